"""The store on a real embedded Chroma, and on a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.pipeline import ingest
from tests.conftest import ARTICLES, free_port
from vectorstore.retrieve import retrieve
from vectorstore.settings import Settings
from vectorstore.store import StoreError, open_store


def test_embedded_store_round_trip(fresh_settings, embedder):
    store = open_store(fresh_settings)
    assert store.sources() == {} and store.chunk_count() == 0
    ingest([ARTICLES], store, embedder, progress=False)
    reopened = open_store(fresh_settings)  # a second client on the same folder sees the same data
    assert set(reopened.sources()) == {p.name for p in ARTICLES.glob("*.txt")}
    name = "vietnam-china-shared-future-2025-04.txt"
    assert reopened.document_text(name) == (ARTICLES / name).read_text(encoding="utf-8")
    with pytest.raises(KeyError, match="nope.txt"):
        reopened.document_text("nope.txt")


def test_store_never_runs_chromas_default_embedding(fresh_settings):
    store = open_store(fresh_settings)
    assert store._chunks._embedding_function is None
    assert store._docs._embedding_function is None


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A real `chroma run` on a free port of 127.0.0.1, stopped after the module."""
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    exe = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [str(exe), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    deadline = time.time() + 60
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)).heartbeat()
            break
        except Exception:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.fail(f"chroma run did not start on 127.0.0.1:{port}")
            time.sleep(0.3)
    yield port
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.mark.server
def test_http_client_path_ingests_and_retrieves(chroma_server, embedder):
    settings = Settings(_env_file=None, chroma_host="127.0.0.1", chroma_port=chroma_server, collection="server_articles")
    store = open_store(settings)
    assert store.where == f"http://127.0.0.1:{chroma_server}"
    report = ingest([ARTICLES], store, embedder, progress=False)
    assert len(report.added) == 2
    again = ingest([ARTICLES], store, embedder, progress=False)
    assert again.chunks == 0 and len(again.unchanged) == 2
    hits = retrieve(store, embedder, "Which Vietnamese exports did China agree to license?", k=3)
    assert any("chili and passion fruit" in h.text for h in hits)
    for h in hits:
        assert store.document_text(h.source)[h.start : h.end] == h.text


@pytest.mark.server
def test_unreachable_server_is_a_clear_error():
    settings = Settings(_env_file=None, chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:\d+"):
        open_store(settings).sources()
