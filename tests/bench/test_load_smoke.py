"""bench/load.py: its citation check catches bad citations, and a short real run against `rag serve` passes
and leaves no server behind (also when the bench itself is stopped with SIGTERM)."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import ARTICLES, ROOT

spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
load = importlib.util.module_from_spec(spec)
spec.loader.exec_module(load)

TEXT = (ARTICLES / "vietnam-china-shared-future-2025-04.txt").read_text(encoding="utf-8")
SRC = "vietnam-china-shared-future-2025-04.txt"


def _cite(start: int, end: int, quote: str | None = None, marker: int = 1, source: str = SRC) -> dict:
    return {"marker": marker, "source": source, "start": start, "end": end,
            "quote": TEXT[start:end] if quote is None else quote}


def test_check_answer_accepts_exact_spans_and_names_every_bad_one():
    texts = {SRC: TEXT}
    good = {"text": "Claim [1].", "citations": [_cite(0, 40)], "refused": False}
    assert load.check_answer(good, texts) == []
    assert load.check_answer({"text": "The articles don't say.", "citations": [], "refused": True}, texts) == []
    bad = {"text": "Claim [1]. Other [2].", "refused": False,
           "citations": [_cite(0, 40, quote=TEXT[1:41]), _cite(0, 10, marker=2, source="gone.txt"),
                         _cite(50, 60, marker=3)]}
    problems = load.check_answer(bad, texts)
    assert len(problems) == 3
    assert "is not the quote" in problems[0] and "'gone.txt', which is not stored" in problems[1]
    assert "[3] is cited but not in the answer text" == problems[2]
    assert load.check_answer({"text": "Claim.", "citations": [], "refused": False}, texts) == [
        "an answer that is not a refusal carries no citation"]


def test_percentile_is_the_evaluations():
    xs = [float(i) for i in range(1, 21)]  # 1..20: interpolated, as evaluation.metrics.percentile and numpy
    assert load.percentile(xs, 50) == 10.5 and load.percentile(xs, 95) == 19.05 and load.percentile(xs, 100) == 20.0
    assert load.percentile([3.0], 95) == 3.0 and load.percentile([], 50) == 0.0


def _closed(url: str) -> bool:
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_short_load_run_has_no_errors_and_stops_its_server(corpus_settings):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--clients", "4", "--seconds", "8",
         "--chroma-path", str(corpus_settings.chroma_path), "--collection", corpus_settings.collection],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"},
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert "| clients | seconds | answers | errors | invalid citations | p50 s | p95 s | max s | answers/s |" in proc.stdout
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["clients"] == 4 and result["answers"] > 0 and result["errors"] == 0
    assert result["invalid_citations"] == 0 and 0 < result["p50_s"] <= result["p95_s"] <= result["max_s"]
    url = proc.stderr.split("answering at ", 1)[1].split(" ", 1)[0].rstrip(";")
    assert _closed(url), f"the bench left {url} running"


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("RAG_SLOW_TESTS") != "1", reason="opt-in: RAG_SLOW_TESTS=1 (starts a server)")
def test_sigterm_to_the_bench_stops_its_server(corpus_settings):
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--clients", "2", "--seconds", "600",
         "--chroma-path", str(corpus_settings.chroma_path), "--collection", corpus_settings.collection],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"},
    )
    try:
        line = ""
        deadline = time.time() + 300
        while "answering at " not in line:
            assert time.time() < deadline and proc.poll() is None, line
            line = proc.stderr.readline()
        url = line.split("answering at ", 1)[1].split(" ", 1)[0].rstrip(";")
        assert not _closed(url)
        time.sleep(3)  # the clients are asking
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        assert _closed(url), f"SIGTERM to the bench left {url} running"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
