"""Shared fixtures: the real MiniLM embedder and a real embedded Chroma holding the default corpus."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
DATA = Path(__file__).resolve().parent / "data"


def python_json(code: str, timeout: float = 120) -> object:
    """Run ``code`` in a fresh interpreter at the project root; the JSON of its last printed line.

    For what one process cannot show about itself, such as which modules a fresh start imports.
    """
    import json

    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=timeout)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def embedder():
    """The one real MiniLM embedder of the run (loading it costs seconds)."""
    from vectorstore.embed import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory, embedder):
    """Settings of an embedded Chroma in a temp dir, holding data/articles."""
    from ingest.pipeline import ingest
    from app.settings import Settings
    from vectorstore.store import open_store

    settings = Settings(
        _env_file=None, chroma_path=tmp_path_factory.mktemp("chroma"), collection="articles", generator="extractive"
    )
    ingest([ARTICLES], open_store(settings.store_config()), embedder, progress=False)
    return settings


@pytest.fixture(scope="session")
def corpus_config(corpus_settings):
    """What ``chat.answer`` takes for ``corpus_settings``: its ``ChatConfig``."""
    return corpus_settings.chat_config()


def with_llm(config, **llm):
    """``config`` (a ``ChatConfig``) with its ``LLMConfig`` fields ``llm`` changed."""
    import dataclasses

    return dataclasses.replace(config, llm=dataclasses.replace(config.llm, **llm))


@pytest.fixture
def fresh_config(fresh_settings):
    """The ``ChatConfig`` of ``fresh_settings``."""
    return fresh_settings.chat_config()


@pytest.fixture
def fresh_settings(tmp_path):
    """Settings of an empty embedded Chroma in this test's own temp dir."""
    from app.settings import Settings

    return Settings(_env_file=None, chroma_path=tmp_path / "chroma", collection="testdocs", generator="extractive")


@pytest.fixture
def corpus_copy(tmp_path):
    """A writable copy of data/articles."""
    dst = tmp_path / "articles"
    shutil.copytree(ARTICLES, dst)
    return dst


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc: subprocess.Popen, timeout: float = 15) -> None:
    """End ``proc`` with SIGTERM, then SIGKILL if it has not gone within ``timeout`` seconds."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGCONT)  # a paused process cannot act on SIGTERM
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)


class ChromaServer:
    """A real `chroma run` on 127.0.0.1 with its own data folder; can be stopped and started again."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path, self.port = path, port or free_port()
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> ChromaServer:
        """Start on the same folder and port; returns once it answers a heartbeat."""
        import httpx

        exe = Path(sys.executable).with_name("chroma")
        self.proc = subprocess.Popen(
            [str(exe), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=2).raise_for_status()
                return self
            except httpx.HTTPError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"chroma run did not start on 127.0.0.1:{self.port}")
                time.sleep(0.3)

    def stop(self) -> None:
        """Stop the server (gently, then by force); a no-op when it is not running."""
        if self.proc is None:
            return
        stop_process(self.proc)
        self.proc = None

    def settings(self, collection: str, **kw):
        """Settings pointing at this server."""
        from app.settings import Settings

        return Settings(_env_file=None, chroma_host="127.0.0.1", chroma_port=self.port, collection=collection,
                        generator="extractive", **kw)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """One real `chroma run` for the whole session (tests use their own collections), stopped at the end."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    try:
        yield server.start()
    finally:
        server.stop()
