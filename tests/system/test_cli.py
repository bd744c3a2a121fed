"""The ``rag`` command as a user runs it: a real process, real store, JSON out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ARTICLES, ROOT
from vectorstore.embed import default_model_path

RAG = str(Path(sys.executable).with_name("rag"))


def run(args, settings_env, **kw):
    env = {**os.environ, **settings_env, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([RAG, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, **kw)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    env = {
        "RAG_CHROMA_PATH": str(tmp_path_factory.mktemp("cli-chroma")),
        "RAG_COLLECTION": "cli_articles",
        "RAG_GENERATOR": "extractive",
    }
    done = run(["ingest", "--quiet"], env)
    assert done.returncode == 0, done.stderr
    assert "2 added" in done.stdout
    return env


def test_help_shows_examples():
    out = subprocess.run([RAG, "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    for word in ("ingest", "ask", "serve", "examples:"):
        assert word in out.stdout


def test_ask_json_cites_the_chili_sentence_exactly(cli_env):
    out = run(["ask", "Which Vietnamese exports did China agree to license?", "--json"], cli_env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"text", "citations", "refused", "hits"}
    assert data["refused"] is False
    chili = [c for c in data["citations"] if "chili and passion fruit" in c["quote"]]
    assert chili, data["citations"]
    text = (ARTICLES / chili[0]["source"]).read_text(encoding="utf-8")
    assert text[chili[0]["start"] : chili[0]["end"]] == chili[0]["quote"]


def test_reingest_is_a_no_op(cli_env):
    out = run(["ingest", "--quiet"], cli_env)
    assert out.returncode == 0 and "0 added, 0 replaced, 2 unchanged" in out.stdout


def test_errors_are_one_clear_line(cli_env, tmp_path):
    empty = run(["ask", "   "], cli_env)
    assert empty.returncode == 2 and "question is empty" in empty.stderr and "Traceback" not in empty.stderr
    nostore = run(["ask", "Anything?"], {**cli_env, "RAG_COLLECTION": "never_ingested"})
    assert nostore.returncode == 2 and "rag ingest" in nostore.stderr
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    bad = run(["ingest", "--strict", str(tmp_path / "x.pdf")], cli_env)
    assert bad.returncode == 2 and "x.pdf" in bad.stderr and "unsupported" in bad.stderr


def test_a_100_kb_question_is_one_clear_line_and_nothing_loads(tmp_path):
    env = {"RAG_CHROMA_PATH": str(tmp_path / "chroma"), "RAG_EMBED_MODEL_PATH": str(tmp_path / "no-model"),
           "RAG_GENERATOR": "extractive"}
    out = run(["ask", "x" * 100_000], env)
    assert out.returncode == 2, out.stderr[-2000:]
    assert out.stderr.strip() == ("rag ask: error: question is 100000 characters long; "
                                  "the limit is 2000 (RAG_MAX_QUESTION_CHARS)")
    assert out.stdout == "" and not (tmp_path / "chroma").exists()  # no store opened, no model loaded


def test_ingest_prints_each_skipped_file_and_keeps_the_store(cli_env, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name = "vietnam-china-shared-future-2025-04.txt"
    (inbox / "copy.txt").write_bytes((ARTICLES / name).read_bytes())
    with open(inbox / "huge.txt", "w", encoding="utf-8") as f:
        for _ in range(20):
            f.write("lanterns " * 111_112)
    out = run(["ingest", "--quiet", str(inbox)], cli_env)
    assert out.returncode == 0, out.stderr
    assert f"skipped: copy.txt: same text as {name} (already stored); skipped as a duplicate" in out.stderr
    assert "skipped: huge.txt: 20.0 MB is over the 10.0 MB limit" in out.stderr
    assert "0 added, 0 replaced, 0 unchanged, 0 removed, 0 chunks written, 2 skipped" in out.stdout
    again = run(["ingest", "--quiet"], cli_env)  # the default corpus is still all there
    assert "0 added, 0 replaced, 2 unchanged" in again.stdout


def test_ingest_can_embed_in_a_child_process_and_names_a_bad_choice(tmp_path):
    """RAG_EMBED_PROCESS=on through the real `rag` script (the spawned child imports it again as its main)."""
    env = {"RAG_CHROMA_PATH": str(tmp_path / "chroma"), "RAG_COLLECTION": "child_embed",
           "RAG_GENERATOR": "extractive", "RAG_EMBED_PROCESS": "on"}
    done = run(["ingest", "--quiet"], env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "2 added" in done.stdout
    out = run(["ask", "Which Vietnamese exports did China agree to license?", "--json"], env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert any("chili and passion fruit" in c["quote"] for c in json.loads(out.stdout)["citations"])
    bad = run(["ingest", "--quiet"], {**env, "RAG_EMBED_PROCESS": "sometimes"})
    assert bad.returncode == 2 and "embed_process" in bad.stderr and "sometimes" in bad.stderr, bad.stderr
    # A model that only the child would load shows which process embedded: one clear line either way.
    broken = tmp_path / "broken-model"
    broken.mkdir()
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(default_model_path() / name, broken)
    (broken / "model.safetensors").write_bytes(b"not weights")
    env = {**env, "RAG_COLLECTION": "child_broken", "RAG_EMBED_MODEL_PATH": str(broken)}
    for choice, child in (("on", True), ("off", False)):
        failed = run(["ingest", "--quiet"], {**env, "RAG_EMBED_PROCESS": choice})
        assert failed.returncode == 2 and "model.safetensors" in failed.stderr, failed.stderr[-2000:]
        assert ("the embedding process failed" in failed.stderr) is child, failed.stderr[-2000:]


def test_a_store_from_an_earlier_version_names_the_fix_and_rag_ingest_rebuild_applies_it(tmp_path):
    from tests.vectorstore.test_store import as_an_earlier_version_wrote_it
    from app.settings import Settings

    env = {"RAG_CHROMA_PATH": str(tmp_path / "chroma"), "RAG_COLLECTION": "old_articles", "RAG_GENERATOR": "extractive"}
    assert run(["ingest", "--quiet"], env).returncode == 0
    as_an_earlier_version_wrote_it(Settings(_env_file=None, chroma_path=tmp_path / "chroma", collection="old_articles"))
    question = ["ask", "Which Vietnamese exports did China agree to license?", "--json"]
    refused = run(question, env)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "earlier version" in refused.stderr and "`rag ingest --rebuild`" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    rebuilt = run(["ingest", "--quiet", "--rebuild"], env)
    assert rebuilt.returncode == 0 and "0 added, 2 replaced" in rebuilt.stdout, rebuilt.stderr
    answered = run(question, env)
    assert answered.returncode == 0, answered.stderr
    assert any("chili and passion fruit" in c["quote"] for c in json.loads(answered.stdout)["citations"])


def test_serve_on_a_taken_port_says_which_and_how_to_choose_another(cli_env):
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        out = run(["serve", "--port", str(port)], {**cli_env, "RAG_GENERATOR": "local"})
    assert out.returncode == 2, out.stderr
    assert f"127.0.0.1:{port}" in out.stderr and "RAG_PORT" in out.stderr
    assert "local model: starting" not in out.stderr  # failed before loading any model
