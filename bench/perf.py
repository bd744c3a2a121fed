"""Performance and scale: our pipeline against the llama-index tutorial pipeline, side by side.

    .venv/bin/python bench/perf.py [--corpus articles|wiki|both] [--limit-docs N] [--quick] [--out reports/bench]

For each corpus (``bench/corpus.py``: the two articles; the two articles + 10,033 Wikipedia summaries),
three subprocesses run one after the other (``bench/perf_worker.py``), so each one's peak RSS is its own:
the embedder alone on our chunks (the floor), the tutorial pipeline, and ours.  Then ``rag ask`` is timed
from process start to answer (extractive generator) against the store ours built, and the import time of
the ``rag ask`` path is measured with ``python -X importtime``.

Prints a Markdown table per corpus, the targets met or missed, and a final JSON line
``{"corpus", "ours": {...}, "baseline": {...}, ...}`` (of the last corpus run); saves ``bench.png`` and
``bench.json`` to ``--out``.  ``--quick`` (one timed pass, 5 answers, no cold start) is for the smoke test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CORPORA, build_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "perf_worker.py"
KEYS = ("ingest_s", "reingest_s", "retrieve_p50_ms", "hit1", "hit5", "mrr", "cite_chars_median", "peak_rss_mb")
COLD_QUESTION = "Which Vietnamese exports did China agree to license?"
ENV = {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "TRANSFORMERS_OFFLINE": "1",
       "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false", "GRADIO_ANALYTICS_ENABLED": "False"}


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, **ENV, **extra}


def _worker(mode: str, corpus_dir: Path, work: Path, reps: int, answers: int | None) -> dict[str, Any]:
    cmd = [sys.executable, str(WORKER), mode, "--corpus-dir", str(corpus_dir), "--work", str(work / mode),
           "--reps", str(reps)]
    if answers is not None:
        cmd += ["--answers", str(answers)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise RuntimeError(f"bench worker {mode!r} failed with exit code {proc.returncode}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_s"] = round(time.perf_counter() - t0, 2)
    return out


def cold_start(chroma: str, collection: str, runs: int = 3) -> dict[str, Any]:
    """Seconds from starting ``rag ask`` to its exit with the answer (extractive), ``runs`` times."""
    rag = Path(sys.executable).with_name("rag")
    cmd = [str(rag), "ask", COLD_QUESTION, "--generator", "extractive", "--json"]
    env = _env(RAG_CHROMA_PATH=chroma, RAG_COLLECTION=collection, RAG_CHROMA_HOST="")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-2000:])
            raise RuntimeError(f"rag ask failed with exit code {proc.returncode}")
        answered = not json.loads(proc.stdout)["refused"]
    return {"cold_start_s": round(statistics.median(times), 2), "cold_start_runs_s": [round(t, 2) for t in times],
            "cold_start_answered": answered}


def import_times(chroma: str, collection: str, top: int = 8) -> dict[str, Any]:
    """``python -X importtime`` over a whole ``rag ask`` run (the CLI imports chromadb, onnxruntime … lazily,
    inside the command): seconds of imports in total, and the slowest top-level imports."""
    rag = Path(sys.executable).with_name("rag")
    env = _env(RAG_CHROMA_PATH=chroma, RAG_COLLECTION=collection, RAG_CHROMA_HOST="")
    proc = subprocess.run([sys.executable, "-X", "importtime", str(rag), "ask", COLD_QUESTION, "--generator",
                           "extractive"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(3)) == 1:  # top level: not imported from inside another import
            rows.append((int(m.group(2)) / 1e6, m.group(4)))
    rows.sort(reverse=True)
    return {"import_s": round(sum(s for s, _ in rows), 2), "slowest": [[n, round(s, 2)] for s, n in rows[:top]]}


def _ratio(a: Any, b: Any) -> str:
    try:
        return f"{a / b:.2f}×" if b else "–"
    except TypeError:
        return "–"


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
    return str(v)


ROWS = (
    ("chunks", "chunks"), ("ingest_s", "ingest (s)"), ("chunks_per_s", "ingest throughput (chunks/s)"),
    ("reingest_s", "re-ingest unchanged (s)"), ("retrieve_first_ms", "first query (ms, builds indexes)"),
    ("retrieve_p50_ms", "retrieval p50 (ms)"), ("retrieve_p95_ms", "retrieval p95 (ms)"),
    ("hit1", "hit@1"), ("hit5", "hit@5"), ("mrr", "MRR"), ("cite_chars_median", "cited passage, median chars"),
    ("peak_rss_mb", "peak RSS (MB)"),
)


def table(name: str, r: dict[str, Any]) -> str:
    ours, base, raw = r["ours"], r["baseline"], r["raw"]
    lines = [f"### {name}: {r['files']} files", "",
             "| metric | ours | llama-index tutorial | ours / tutorial |", "|---|---:|---:|---:|"]
    for key, label in ROWS:
        o, b = ours.get(key), base.get(key)
        lines.append(f"| {label} | {_fmt(o)} | {_fmt(b)} | {_ratio(o, b)} |")
    lines.append(f"| embedder alone on our chunks (chunks/s): plain-torch MiniLM, 1 process × 2 threads | "
                 f"{_fmt(raw.get('minilm_chunks_per_s'))} | | |")
    lines.append(f"| embedder alone: plain-torch MiniLM, 2 processes × 1 thread | "
                 f"{_fmt(raw.get('minilm_two_processes_chunks_per_s'))} | | |")
    lines.append(f"| embedder alone: sentence-transformers | "
                 f"{_fmt(raw.get('sentence_transformers_chunks_per_s'))} | | |")
    lines.append(f"| ingest / the fastest embedder alone | {ours['chunks_per_s'] / raw['chunks_per_s']:.2f} | "
                 f"{base['chunks_per_s'] / raw['chunks_per_s']:.2f} | |")
    if "cold_start_s" in r:
        lines.append(f"| `rag ask` cold start (s, median of {len(r['cold_start_runs_s'])}) | {r['cold_start_s']} | | |")
    return "\n".join(lines)


def targets(r: dict[str, Any]) -> list[tuple[str, bool, str]]:
    ours, base, raw = r["ours"], r["baseline"], r["raw"]
    thr = ours["chunks_per_s"] / raw["chunks_per_s"]
    return [
        ("retrieval p50 ≤ 25 ms", ours["retrieve_p50_ms"] <= 25, f"{ours['retrieve_p50_ms']} ms"),
        ("hit@5 ≥ 0.95", ours["hit5"] >= 0.95, f"{ours['hit5']}"),
        ("MRR ≥ tutorial + 0.15", ours["mrr"] >= base["mrr"] + 0.15, f"{ours['mrr']} vs {base['mrr']}"),
        ("re-ingest ≤ 5% of ingest", ours["reingest_s"] <= 0.05 * ours["ingest_s"],
         f"{100 * ours['reingest_s'] / ours['ingest_s']:.1f}%"),
        ("ingest ≥ 0.9× embedder alone", thr >= 0.9, f"{thr:.2f}×"),
        ("cited passage median ≤ 300 chars", (ours["cite_chars_median"] or 1e9) <= 300,
         f"{ours['cite_chars_median']}"),
    ]


def plot(results: dict[str, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [("ingest_s", "ingest (s)"), ("reingest_s", "re-ingest unchanged (s)"),
              ("retrieve_p50_ms", "retrieval p50 (ms)"), ("chunks_per_s", "ingest chunks/s"),
              ("hit5", "hit@5"), ("mrr", "MRR"), ("cite_chars_median", "cited chars (median)"),
              ("peak_rss_mb", "peak RSS (MB)")]
    names = list(results)
    fig, axes = plt.subplots(2, 4, figsize=(15, 6.5))
    width = 0.38
    for ax, (key, title) in zip(axes.flat, panels):
        xs = range(len(names))
        ours = [results[n]["ours"].get(key) or 0 for n in names]
        base = [results[n]["baseline"].get(key) or 0 for n in names]
        ax.bar([x - width / 2 for x in xs], ours, width, label="ours", color="#2b7bba")
        ax.bar([x + width / 2 for x in xs], base, width, label="llama-index tutorial", color="#bbbbbb")
        if key == "chunks_per_s":
            for x, n in zip(xs, names):
                ax.hlines(results[n]["raw"]["chunks_per_s"], x - 0.45, x + 0.45, colors="red", linestyles="--",
                          label="embedder alone" if x == 0 else None)
        ax.set_xticks(list(xs), [f"{n}\n({results[n]['files']} files)" for n in names], fontsize=8)
        ax.set_title(title, fontsize=10)
        if key in ("hit5", "mrr"):
            ax.set_ylim(0, 1.05)
    axes.flat[3].legend(fontsize=8, loc="lower right")
    fig.suptitle("articlechat vs the llama-index tutorial pipeline (2 CPU cores, MiniLM, Chroma)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=(*CORPORA, "both"), default="both")
    ap.add_argument("--limit-docs", type=int, default=None, metavar="N", help="at most N Wikipedia summaries")
    ap.add_argument("--reps", type=int, default=3, help="timed passes over the questions (default 3)")
    ap.add_argument("--answers", type=int, default=None, help="run chat.answer on the first N questions only")
    ap.add_argument("--quick", action="store_true", help="1 pass, 5 answers, no cold start or import timing")
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench")
    args = ap.parse_args(argv)
    if args.quick:
        args.reps, args.answers = 1, args.answers or 5
    kinds = list(CORPORA) if args.corpus == "both" else [args.corpus]
    results: dict[str, dict] = {}
    imports: dict[str, Any] | None = None
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="articlechat-bench-") as tmp:
        for kind in kinds:
            corpus_dir, work = Path(tmp) / kind / "corpus", Path(tmp) / kind / "work"
            files = build_corpus(kind, corpus_dir, args.limit_docs)
            print(f"[{kind}] {files} files in {corpus_dir}", file=sys.stderr, flush=True)
            r: dict[str, Any] = {"files": files}
            # The embedder alone right before ours: timings here drift by 10 % over minutes, and the ratio
            # of the two is a target (the tutorial, minutes long, would sit between them otherwise).
            for mode in ("baseline", "raw", "ours"):
                t0 = time.perf_counter()
                r[mode] = _worker(mode, corpus_dir, work, args.reps, args.answers)
                print(f"[{kind}] {mode}: {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
            if not args.quick:
                r.update(cold_start(r["ours"]["chroma"], r["ours"]["collection"]))
                imports = import_times(r["ours"]["chroma"], r["ours"]["collection"])
            results[kind] = r

    print(f"\n## articlechat vs the llama-index tutorial pipeline (load average {load:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at end; other jobs on the machine skew times)\n")
    for kind, r in results.items():
        print(table(kind, r) + "\n")
    last = kinds[-1]
    print(f"### targets ({last})\n")
    checks = targets(results[last])
    for name, ok, value in checks:
        print(f"- {'met' if ok else 'MISSED'}: {name} — {value}")
    if imports:
        print(f"\n`rag ask` imports (python -X importtime, whole run): {imports['import_s']} s; slowest: "
              + ", ".join(f"{n} {s} s" for n, s in imports["slowest"]))
    png = args.out / "bench.png"
    plot(results, png)
    print(f"\nplot: {png}")
    final = {
        "corpus": last, "files": results[last]["files"],
        "ours": {k: results[last]["ours"].get(k) for k in KEYS},
        "baseline": {k: results[last]["baseline"].get(k) for k in KEYS},
        "raw_chunks_per_s": results[last]["raw"]["chunks_per_s"],
        "ours_chunks_per_s": results[last]["ours"]["chunks_per_s"],
        "cold_start_s": results[last].get("cold_start_s"),
        "import_s": imports["import_s"] if imports else None,
        "targets": {name: ok for name, ok, _ in checks},
    }
    (args.out / "bench.json").write_text(json.dumps({"summary": final, "results": results, "imports": imports},
                                                    indent=2), encoding="utf-8")
    print(json.dumps(final, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
