"""Speed of generated answers on 2 CPU cores: time to first token and full answer, per generator.

    .venv/bin/python bench/llm_speed.py [--limit 20]

Runs the answerable questions of eval/articles_qa.jsonl through ``answer_stream`` with the
``extractive`` generator (the anchor: no LLM) and the ``local`` LLM, in this one process, and prints a
Markdown table of medians and p95s plus the ratio local/extractive.  Refused questions are counted
apart: no generation runs for them.  The model loads once (not timed, reported separately).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chat.answer import answer_stream, get_engine  # noqa: E402
from chat.llm import load_llm  # noqa: E402
from vectorstore.settings import Settings  # noqa: E402
from vectorstore.types import Answer  # noqa: E402


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def run(generator: str, questions: list[str], settings: Settings) -> dict:
    ttft, total, refused, fallbacks = [], [], 0, 0
    for q in questions:
        t0 = time.perf_counter()
        first = None
        final = None
        for item in answer_stream(q, generator=generator, settings=settings):
            if isinstance(item, Answer):
                final = item
            elif first is None:
                first = time.perf_counter() - t0
        elapsed = time.perf_counter() - t0
        if final.refused:
            refused += 1
            continue
        fallbacks += bool(final.notice)
        ttft.append(first if first is not None else elapsed)
        total.append(elapsed)
    return {
        "answered": len(total), "refused": refused, "notices": fallbacks,
        "ttft_p50": statistics.median(ttft), "ttft_p95": p95(ttft),
        "total_p50": statistics.median(total), "total_p95": p95(total),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=20, help="answerable questions to ask (default 20)")
    ap.add_argument("--testset", default="eval/articles_qa.jsonl")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.testset, encoding="utf-8") if line.strip()]
    questions = [r["question"] for r in rows if r["answer"] is not None][: args.limit]
    settings = Settings()
    engine = get_engine(settings)
    if engine.store.chunk_count() == 0:
        print("the store is empty: run `rag ingest` (or `make ingest`) first", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    load_llm("local", settings)
    load_s = time.perf_counter() - t0
    answer_stream(questions[0], generator="extractive", settings=settings)  # warm the embedder
    results = {g: run(g, questions, settings) for g in ("extractive", "local")}
    print(f"\n{len(questions)} answerable questions; model load {load_s:.1f} s (once per process)\n")
    print("| generator | answered | refused | notices | TTFT p50 s | TTFT p95 s | answer p50 s | answer p95 s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for g, r in results.items():
        print(f"| {g} | {r['answered']} | {r['refused']} | {r['notices']} | {r['ttft_p50']:.2f} | {r['ttft_p95']:.2f} "
              f"| {r['total_p50']:.2f} | {r['total_p95']:.2f} |")
    e, loc = results["extractive"], results["local"]
    print(f"\nlocal/extractive answer p50 ratio: {loc['total_p50'] / e['total_p50']:.1f}x; targets: TTFT p50 ≤ 3 s "
          f"({'met' if loc['ttft_p50'] <= 3 else 'missed'}), answer p50 ≤ 8 s ({'met' if loc['total_p50'] <= 8 else 'missed'})")
    print(json.dumps({"load_s": round(load_s, 2), **{g: {k: round(v, 3) for k, v in r.items()} for g, r in results.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
