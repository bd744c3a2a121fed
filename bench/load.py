"""Load: concurrent ``gradio_client`` clients against ``rag serve`` on 127.0.0.1, every citation checked.

    .venv/bin/python bench/load.py [--clients 16] [--seconds 60] [--generator extractive|local]

Ingests data/articles into a fresh temp store (or uses ``--chroma-path``/``--collection`` as they are),
starts ``rag serve`` on a free 127.0.0.1 port in its own process group, waits until it answers, then
runs ``--clients`` threads, each with its own ``gradio_client.Client``, asking the questions of
eval/articles_qa.jsonl in a loop through the ``/answer`` endpoint for ``--seconds``.  Every citation
returned must be an exact span of the stored text (``text[start:end] == quote``, texts read from the
store) and an answer that is not a refusal must carry one.  The server is stopped in every case
(finally, atexit, SIGTERM).  Prints a Markdown table and a final JSON line; exits 1 on any error or
invalid citation, 2 when the server cannot be started.  Latency is per request as a client sees it,
queueing included (``rag serve`` works on 4 requests at a time; the rest wait in Gradio's queue).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import free_port  # noqa: E402  (the one helper; the tests start servers the same way)


def check_answer(data: dict, texts: dict[str, str]) -> list[str]:
    """What is wrong with one ``/answer`` result: citations that are not exact stored spans, or none at all."""
    problems = []
    for c in data.get("citations") or []:
        text = texts.get(c.get("source"))
        if text is None:
            problems.append(f"[{c.get('marker')}] cites {c.get('source')!r}, which is not stored")
        elif text[c["start"] : c["end"]] != c["quote"]:
            problems.append(f"[{c['marker']}] {c['source']}[{c['start']}:{c['end']}] is not the quote {c['quote']!r}")
        elif f"[{c['marker']}]" not in data.get("text", ""):
            problems.append(f"[{c['marker']}] is cited but not in the answer text")
    if not data.get("refused") and not data.get("citations"):
        problems.append("an answer that is not a refusal carries no citation")
    return problems


def percentile(xs: list[float], q: float) -> float:
    """Percentile ``q`` (0-100) of ``xs`` as the evaluation computes it (``evaluation.metrics``); 0.0 when empty."""
    from evaluation.metrics import percentile as interpolated

    p = interpolated(xs, q)
    return 0.0 if p is None else p


class Server:
    """``rag serve`` in its own process group; ``stop()`` is safe to call any number of times."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}/"
        self.log = log
        with open(log, "wb") as sink:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def wait_ready(self, question: str, timeout: float) -> float:
        """Seconds until the first answer (the model and BM25 index load then); raises if it never comes."""
        from gradio_client import Client

        t0 = time.perf_counter()
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"rag serve exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                Client(self.url, verbose=False).predict(question, api_name="/answer")
                return time.perf_counter() - t0
            except Exception:
                if time.perf_counter() - t0 > timeout:
                    raise RuntimeError(f"rag serve did not answer within {timeout:.0f} s:\n{self.tail()}") from None
                time.sleep(1.0)

    def tail(self, n: int = 3000) -> str:
        """The end of the server's output."""
        return self.log.read_text(errors="replace")[-n:] if self.log.exists() else ""

    def stop(self) -> None:
        """Terminate the whole process group, then kill it if it lingers."""
        if self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


def client_loop(url: str, questions: list[str], offset: int, end: float, timeout: float, texts: dict[str, str],
                out: dict) -> None:
    """One client: ask questions in turn until ``end``, recording latencies, refusals, errors, bad citations."""
    from gradio_client import Client

    try:
        client = Client(url, verbose=False)
    except Exception as exc:
        with out["lock"]:
            out["errors"].append(f"client {offset}: cannot connect: {type(exc).__name__}: {exc}")
        return
    n = offset
    while time.perf_counter() < end:
        q = questions[n % len(questions)]
        n += 1
        t0 = time.perf_counter()
        try:
            data = client.submit(q, api_name="/answer").result(timeout=timeout)
        except Exception as exc:
            with out["lock"]:
                out["errors"].append(f"{q!r}: {type(exc).__name__}: {exc}")
            continue
        latency = time.perf_counter() - t0
        problems = check_answer(data, texts)
        with out["lock"]:
            out["latencies"].append(latency)
            out["refused"] += bool(data.get("refused"))
            out["invalid"] += [f"{q!r}: {p}" for p in problems]


def run_load(url: str, questions: list[str], clients: int, seconds: float, timeout: float,
             texts: dict[str, str]) -> dict:
    """Run ``clients`` client threads for ``seconds``; the collected counts and latencies."""
    out: dict = {"lock": threading.Lock(), "latencies": [], "refused": 0, "errors": [], "invalid": []}
    t0 = time.perf_counter()
    end = t0 + seconds
    step = max(1, len(questions) // clients)
    threads = [threading.Thread(target=client_loop, args=(url, questions, i * step, end, timeout, texts, out),
                                daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:  # a request started before the deadline may finish after it, within its timeout
        t.join(timeout=seconds + timeout + 30)
    out["elapsed"] = time.perf_counter() - t0
    out["stuck"] = sum(t.is_alive() for t in threads)
    return out


def _stored_texts(chroma_path: Path, collection: str) -> dict[str, str]:
    from vectorstore.config import StoreConfig
    from vectorstore.store import open_store

    store = open_store(StoreConfig(path=chroma_path, collection=collection))
    return {s: store.document_text(s) for s in store.sources()}


def main() -> int:
    """Parse the options, set up the store and the server, run the clients, print the table; the exit code."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    ap.add_argument("--seconds", type=float, default=60, help="how long the clients keep asking (default 60)")
    ap.add_argument("--generator", default="extractive", choices=["extractive", "local"],
                    help="RAG_GENERATOR of the server (default extractive)")
    ap.add_argument("--testset", type=Path, default=ROOT / "eval" / "articles_qa.jsonl")
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "articles", help="ingested into a fresh store")
    ap.add_argument("--chroma-path", type=Path, default=None,
                    help="serve this already-ingested embedded store instead of a fresh one (nothing is ingested)")
    ap.add_argument("--collection", default="articles")
    ap.add_argument("--request-timeout", type=float, default=120, help="seconds before a request counts as an error")
    ap.add_argument("--startup-timeout", type=float, default=300)
    args = ap.parse_args()
    if args.clients < 1 or args.seconds <= 0:
        ap.error(f"--clients must be >= 1 and --seconds > 0, got {args.clients} and {args.seconds:g}")
    questions = [json.loads(line)["question"] for line in args.testset.read_text(encoding="utf-8").splitlines()
                 if line.strip()]

    tmp = Path(tempfile.mkdtemp(prefix="articlechat-load-"))
    env = {k: v for k, v in os.environ.items() if k not in ("RAG_AUTH", "RAG_CHROMA_HOST")}  # no login, embedded
    env.update(RAG_CHROMA_PATH=str(args.chroma_path or tmp / "chroma"), RAG_COLLECTION=args.collection,
               RAG_GENERATOR=args.generator, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False", TOKENIZERS_PARALLELISM="false",
               PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    server: Server | None = None

    def cleanup() -> None:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # runs the finally below, then atexit
    try:
        if args.chroma_path is None:
            done = subprocess.run([sys.executable, "-m", "app.cli", "ingest", "--quiet", str(args.corpus)], env=env,
                                  cwd=ROOT, capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                print(f"ingest failed:\n{done.stderr[-3000:]}", file=sys.stderr)
                return 2
        texts = _stored_texts(Path(env["RAG_CHROMA_PATH"]), args.collection)
        if not texts:
            print(f"the store at {env['RAG_CHROMA_PATH']} is empty", file=sys.stderr)
            return 2
        server = Server(env, free_port(), tmp / "serve.log")
        try:
            ready_s = server.wait_ready(questions[0], args.startup_timeout)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(f"rag serve ({args.generator}) answering at {server.url} after {ready_s:.1f} s; "
              f"{args.clients} clients for {args.seconds:g} s …", file=sys.stderr)
        r = run_load(server.url, questions, args.clients, args.seconds, args.request_timeout, texts)
    finally:
        cleanup()

    lat = r["latencies"]
    errors = len(r["errors"]) + r["stuck"]
    result = {
        "clients": args.clients, "seconds": args.seconds, "generator": args.generator, "answers": len(lat),
        "refused": r["refused"], "errors": errors, "invalid_citations": len(r["invalid"]),
        "p50_s": round(percentile(lat, 50), 3), "p95_s": round(percentile(lat, 95), 3),
        "max_s": round(max(lat, default=0.0), 3), "answers_per_s": round(len(lat) / r["elapsed"], 2),
        "elapsed_s": round(r["elapsed"], 1), "startup_s": round(ready_s, 1),
    }
    for line in (r["errors"] + r["invalid"])[:10]:
        print(f"problem: {line}", file=sys.stderr)
    print(f"\n`rag serve` on 127.0.0.1, generator {args.generator}, questions from {args.testset.name}; latency as "
          f"a client sees it (queueing included)\n")
    print("| clients | seconds | answers | errors | invalid citations | p50 s | p95 s | max s | answers/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.clients} | {args.seconds:g} | {len(lat)} | {errors} | {len(r['invalid'])} | {result['p50_s']:.2f} "
          f"| {result['p95_s']:.2f} | {result['max_s']:.2f} | {result['answers_per_s']:.2f} |")
    print(json.dumps(result))
    return 1 if errors or r["invalid"] or not lat else 0


if __name__ == "__main__":
    sys.exit(main())
