"""A real `chroma run` that goes away mid-session: every entry point fails fast with a clear error naming
the server, nothing stored is lost, and the same long-lived objects (Store, engine, UI app) work again once
the server is back on the same folder and port."""

from __future__ import annotations

import html
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from app import render as R
from chat.answer import answer
from ingest.pipeline import ingest
from tests.conftest import ARTICLES, ROOT, ChromaServer, free_port
from vectorstore.store import StoreError, open_store

pytestmark = pytest.mark.server

RAG = str(Path(sys.executable).with_name("rag"))
Q = "Which Vietnamese exports did China agree to license?"
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt")}
NAME = "vietnam-china-shared-future-2025-04.txt"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """This module's own server: its tests stop and restart it."""
    s = ChromaServer(tmp_path_factory.mktemp("outage-server"))
    try:
        yield s.start()
    finally:
        s.stop()


def snapshot(store) -> tuple[dict, list]:
    return store.sources(), sorted((c.id, c.source, c.start, c.end, c.text) for c in store.chunks())


def assert_verified(a) -> None:
    assert not a.refused and any("chili and passion fruit" in c.quote for c in a.citations), a.text
    for c in a.citations:
        assert TEXTS[c.source][c.start : c.end] == c.quote


def handler(app, name: str):
    """The app's own event handler called ``name`` (what a click in the browser runs)."""
    return next(f.fn for f in app.fns.values() if f.name == name)


def chat_turn(app, question: str) -> str:
    """One turn through the app's own respond handler; the assistant bubble it ends with."""
    respond = handler(app, "respond")
    *_, (_, _, messages) = respond(question, [], "extractive", 5)
    assert messages[-2]["role"] == "user" and messages[-1]["role"] == "assistant"
    return messages[-1]["content"]


def rag(args: list[str], settings) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "RAG_CHROMA_HOST": settings.chroma_host, "RAG_CHROMA_PORT": str(settings.chroma_port),
           "RAG_COLLECTION": settings.collection, "RAG_GENERATOR": "extractive"}
    t = time.monotonic()
    out = subprocess.run([RAG, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    return out, time.monotonic() - t


def assert_one_clear_line(out: subprocess.CompletedProcess, address: str) -> None:
    assert out.returncode == 2, (out.returncode, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert "cannot reach the Chroma server" in lines[0] and address in lines[0], lines[0]


def test_server_down_mid_session_then_back(server, embedder):
    from gradio_client import Client

    from app.web import build_app

    settings = server.settings("outage", chroma_timeout_s=10)
    address = f"127.0.0.1:{server.port}"
    store = open_store(settings.store_config())
    ingest([ARTICLES], store, embedder, progress=False)
    before = snapshot(store)
    assert_verified(answer(Q, config=settings.chat_config()))
    app, port = build_app(settings), free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        assert "chili and passion fruit" in chat_turn(app, Q)
        assert client.predict(Q, api_name="/answer")["refused"] is False

        server.stop()
        t = time.monotonic()  # (a) the Python API: a StoreError naming the server, at once
        with pytest.raises(StoreError, match=rf"cannot reach the Chroma server at http://{address}"):
            answer(Q, config=settings.chat_config())
        assert time.monotonic() - t < 5
        asked, _ = rag(["ask", Q], settings)  # (b) the CLI: one line, no traceback
        assert_one_clear_line(asked, address)
        bubble = chat_turn(app, Q)  # (c) the UI: an error message in the chat, not a crash
        assert "Could not answer" in bubble and address in bubble, bubble
        assert "Cannot read the library" in handler(app, "library")()
        assert "Cannot open" in handler(app, "open_link")(SimpleNamespace(href=R.doc_href(NAME)))
        with pytest.raises(Exception, match=address):  # the API tells its client why, too
            client.predict(Q, api_name="/answer")
        ingested, seconds = rag(["ingest", "--quiet", str(ARTICLES)], settings)  # (d) ingest: fails, no hang
        assert_one_clear_line(ingested, address)
        assert seconds < 120

        server.start()  # same folder, same port
        assert snapshot(open_store(settings.store_config())) == before, "nothing stored was lost"
        assert snapshot(store) == before  # the Store opened before the outage works again
        assert_verified(answer(Q, config=settings.chat_config()))  # so does the cached engine behind answer()
        assert "chili and passion fruit" in chat_turn(app, Q)  # and the very same app, never restarted
        assert NAME in handler(app, "library")()
        assert html.escape(TEXTS[NAME][:40]) in handler(app, "open_link")(SimpleNamespace(href=R.doc_href(NAME)))
        assert client.predict(Q, api_name="/answer")["refused"] is False
        asked, _ = rag(["ask", Q, "--json"], settings)
        assert asked.returncode == 0 and "chili and passion fruit" in asked.stdout
    finally:
        app.close()


def test_server_lost_mid_write_then_back(server, embedder, corpus_copy):
    """The server dies between a write's chunks and its records; once back, the same Store finishes the job."""
    settings = server.settings("midwrite")
    store = open_store(settings.store_config())
    ingest([corpus_copy], store, embedder, progress=False)
    name = NAME
    (corpus_copy / name).write_text(TEXTS[name] + "\nA closing line about durian exports.\n", encoding="utf-8")
    real = store._call

    def dies_before_records(fn, *args, **kwargs):
        owner = getattr(getattr(fn, "__self__", None), "name", "")  # chunks are upserted too: wait for the records
        if getattr(fn, "__name__", "") == "upsert" and str(owner).endswith("__docs"):
            server.stop()
        return real(fn, *args, **kwargs)

    store._call = dies_before_records
    with pytest.raises(StoreError, match=f"127.0.0.1:{server.port}"):
        ingest([corpus_copy], store, embedder, progress=False)
    del store._call
    server.start()
    half = store._chunks.get(where={"source": name}, include=["metadatas"])["metadatas"]
    assert len({m["doc_sha256"] for m in half}) == 2, "old and new chunks side by side: a real half-write"
    report = ingest([corpus_copy], store, embedder, progress=False)  # recovers its own marker first
    assert report.replaced == [name] and len(report.unchanged) == 1
    text = store.document_text(name)
    assert text == (corpus_copy / name).read_text(encoding="utf-8")
    sha = store.sources()[name]
    got = store._chunks.get(where={"source": name}, include=["metadatas"])["metadatas"]
    assert {m["doc_sha256"] for m in got} == {sha}
    assert all(text[m["start"] : m["end"]] == m["chunk_text"] for m in got)
    assert any("durian" in m["chunk_text"] for m in got)


def test_a_hung_server_fails_within_the_timeout(server, embedder):
    """A server that accepts connections but never answers (SIGSTOP) is bounded by RAG_CHROMA_TIMEOUT_S."""
    settings = server.settings("hung", chroma_timeout_s=2)
    store = open_store(settings.store_config())
    ingest([ARTICLES], store, embedder, progress=False)
    os.kill(server.proc.pid, signal.SIGSTOP)
    try:
        for call in (store.sources, lambda: open_store(settings.store_config())):
            t = time.monotonic()
            with pytest.raises(StoreError, match=f"127.0.0.1:{server.port}"):
                call()
            assert time.monotonic() - t < 10
    finally:
        os.kill(server.proc.pid, signal.SIGCONT)
    assert sorted(store.sources()) == sorted(TEXTS)
