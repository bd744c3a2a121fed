"""Shared fixtures: the real MiniLM embedder and a real embedded Chroma holding the default corpus."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def embedder():
    """The one real MiniLM embedder of the run (loading it costs seconds)."""
    from vectorstore.embed import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory, embedder):
    """Settings of an embedded Chroma in a temp dir, holding data/articles."""
    from ingest.pipeline import ingest
    from vectorstore.settings import Settings
    from vectorstore.store import open_store

    settings = Settings(
        _env_file=None, chroma_path=tmp_path_factory.mktemp("chroma"), collection="articles", generator="extractive"
    )
    ingest([ARTICLES], open_store(settings), embedder, progress=False)
    return settings


@pytest.fixture
def fresh_settings(tmp_path):
    """Settings of an empty embedded Chroma in this test's own temp dir."""
    from vectorstore.settings import Settings

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
