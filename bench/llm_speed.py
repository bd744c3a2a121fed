"""Speed of generated answers on the CPU: time to first token, full answer and tokens/s, per way of running.

    .venv/bin/python bench/llm_speed.py [--limit 20] [--native DIR] [--testset FILE]

Asks the same answerable questions of eval/articles_qa.jsonl (or ``--testset``: eval/multilingual_qa.jsonl
times Vietnamese and Chinese questions, the two languages taken in turn, with the translation step that
ranks their evidence) through ``answer_stream`` in one run, one question at a time round-robin over the
ways (so drift of the machine hits them alike):

- ``extractive``: no LLM (the anchor);
- ``in-process``: the GGUF loaded into this process by llama-index's ``LlamaCPP`` (how ``local`` ran
  before it moved to a child process; a native crash here would kill the bench);
- ``child``: the shipped ``local`` generator, the model in its supervised child process;
- ``child-native`` (with ``--native DIR``): the same, with a llama-cpp-python built for this very CPU
  (``-march=native``) on the child's import path, to show what the portable build costs.

Prints a Markdown table of medians and p95s, the ratios against in-process, and the targets.  Refused
questions are counted apart (no generation runs for them).  Model loads are not timed here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from itertools import zip_longest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chat import Answer, answer_stream  # noqa: E402
from chat.generate import SYSTEM, ExtractiveGenerator, LLMGenerator, LocalGenerator  # noqa: E402
from chat.llm import STOP, ChatMessage, chatml  # noqa: E402
from chat.localmodel import LocalModel, ModelSpec  # noqa: E402
from evaluation.metrics import percentile  # noqa: E402
from app.settings import Settings  # noqa: E402


def in_process(settings: Settings) -> LLMGenerator:
    """The model in this process, as ``local`` ran it before (same sampling, threads and context)."""
    from llama_index.llms.llama_cpp import LlamaCPP

    llm = LlamaCPP(
        model_path=str(settings.llm_model_path), temperature=0.0, max_new_tokens=settings.llm_max_tokens,
        context_window=settings.llm_context, messages_to_prompt=chatml,
        completion_to_prompt=lambda text: chatml([ChatMessage(role="user", content=text)]),
        generate_kwargs={"stop": STOP, "top_k": 1, "repeat_penalty": 1.05},
        model_kwargs={"n_threads": settings.llm_threads, "n_batch": 512, "verbose": False}, verbose=False,
    )
    return LLMGenerator(llm, "in-process")


def ask(question: str, generator, settings: Settings) -> dict:
    """One timed answer: first piece, whole answer, pieces streamed (≈ tokens), refusal and notice."""
    t0 = time.perf_counter()
    first = None
    pieces = 0
    final = None
    for item in answer_stream(question, generator=generator, config=settings.chat_config()):
        if isinstance(item, Answer):
            final = item
        else:
            pieces += 1
            if first is None:
                first = time.perf_counter() - t0
    total = time.perf_counter() - t0
    assert final is not None
    first = total if first is None else first
    rate = (pieces - 1) / (total - first) if pieces > 1 and total > first else float("nan")
    return {"ttft": first, "total": total, "tokens_per_s": rate, "refused": final.refused,
            "notice": final.notice}


def answerable(path: str) -> list[str]:
    """The answerable questions of a test set with no conversation before them (``answer`` or ``keys`` given,
    no ``history``), languages taken in turn when rows name one (``lang``)."""
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    by_lang: dict[str, list[str]] = {}
    for r in rows:
        if r.get("answer", r.get("keys")) is not None and not r.get("history"):
            by_lang.setdefault(r.get("lang", "en"), []).append(r["question"])
    turns = zip_longest(*by_lang.values())
    return [q for turn in turns for q in turn if q is not None]


def summary(rows: list[dict]) -> dict:
    answered = [r for r in rows if not r["refused"]]
    out = {"answered": len(answered), "refused": len(rows) - len(answered),
           "notices": sum(bool(r["notice"]) for r in answered)}
    for key in ("ttft", "total"):
        xs = [r[key] for r in answered]
        out[f"{key}_p50"], out[f"{key}_p95"] = percentile(xs, 50), percentile(xs, 95)
    rates = [r["tokens_per_s"] for r in answered if r["tokens_per_s"] == r["tokens_per_s"]]
    out["tokens_per_s_p50"] = percentile(rates, 50) if rates else float("nan")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=20, help="answerable questions to ask (default 20)")
    ap.add_argument("--testset", default="eval/articles_qa.jsonl")
    ap.add_argument("--native", default="", help="a folder holding a natively built llama_cpp package")
    ap.add_argument("--no-in-process", action="store_true", help="skip the in-process way")
    args = ap.parse_args()
    questions = answerable(args.testset)[: args.limit]
    settings = Settings()
    if not Path(settings.llm_model_path).is_file():
        print(f"no model at {settings.llm_model_path}: run `make model` first", file=sys.stderr)
        return 2

    ways: dict[str, object] = {"extractive": ExtractiveGenerator()}
    loads: dict[str, float] = {}
    for name, make in (("in-process", None if args.no_in_process else lambda: in_process(settings)),
                       ("child", lambda: LocalGenerator(settings.chat_config().llm)),
                       ("child-native", (lambda: LocalGenerator(settings.chat_config().llm, model=LocalModel(ModelSpec(
                           path=Path(settings.llm_model_path), threads=settings.llm_threads,
                           context=settings.llm_context, system=SYSTEM, pythonpath=(args.native,)))))
                        if args.native else None)):
        if make is None:
            continue
        t0 = time.perf_counter()
        try:
            ways[name] = make()
        except Exception as exc:  # e.g. a native build that crashes on this CPU: report it, go on
            print(f"{name}: could not start: {exc}", file=sys.stderr)
            continue
        loads[name] = time.perf_counter() - t0
    features = {n: " ".join(g.model.ready.get("features", [])) for n, g in ways.items()
                if isinstance(g, LocalGenerator)}

    for gen in ways.values():  # warm the embedder, retrieval caches and each model's prompt cache
        ask(questions[0], gen, settings)
    results: dict[str, list[dict]] = {name: [] for name in ways}
    for q in questions:
        for name, gen in ways.items():
            results[name].append(ask(q, gen, settings))
    table = {name: summary(rs) for name, rs in results.items()}

    print(f"\n{len(questions)} answerable questions of {args.testset}, {settings.llm_threads} threads; "
          "start-up (not in the table): " + ", ".join(f"{n} {s:.1f} s" for n, s in loads.items()) + "\n")
    for name, feats in features.items():
        print(f"{name}: llama.cpp CPU features {feats}")
    print("\n| way | answered | refused | notices | TTFT p50 s | TTFT p95 s | answer p50 s | answer p95 s "
          "| tokens/s p50 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in table.items():
        print(f"| {name} | {r['answered']} | {r['refused']} | {r['notices']} | {r['ttft_p50']:.2f} | "
              f"{r['ttft_p95']:.2f} | {r['total_p50']:.2f} | {r['total_p95']:.2f} | {r['tokens_per_s_p50']:.1f} |")
    child = table.get("child")
    base = table.get("in-process")
    if child and base:
        ratio = child["total_p50"] / base["total_p50"]
        verdict = "met" if ratio <= 1.10 else "missed"
        print(f"\nchild / in-process answer p50: {ratio:.2f}x (target ≤ 1.10: {verdict}); "
              f"TTFT {child['ttft_p50'] / base['ttft_p50']:.2f}x")
    if child and "child-native" in table:
        nat = table["child-native"]
        print(f"portable / native build: answer p50 {child['total_p50'] / nat['total_p50']:.2f}x, "
              f"tokens/s {child['tokens_per_s_p50'] / nat['tokens_per_s_p50']:.2f}x")
    if child:
        print(f"targets for child: TTFT p50 ≤ 3 s ({'met' if child['ttft_p50'] <= 3 else 'missed'}), "
              f"answer p50 ≤ 5 s ({'met' if child['total_p50'] <= 5 else 'missed'})")
    print(json.dumps({"loads": {k: round(v, 2) for k, v in loads.items()}, "features": features,
                      **{n: {k: round(v, 3) for k, v in r.items()} for n, r in table.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
