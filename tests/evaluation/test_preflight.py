"""evaluation.preflight: an evaluation of ``local`` with no model file (or ``openai`` with no server) stops,
naming what is missing, instead of measuring the extractive generator that ``answer()`` falls back to."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from chat.config import ChatConfig, LLMConfig
from evaluation.preflight import runnable

ROOT = Path(__file__).resolve().parents[2]


def test_a_generator_that_can_run_is_the_one_measured(tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    assert runnable("extractive", ChatConfig(llm=LLMConfig(model_path=tmp_path / "none.gguf"))) == "extractive"
    assert runnable(None, ChatConfig(generator="extractive")) == "extractive"
    assert runnable("local", ChatConfig(llm=LLMConfig(model_path=model))) == "local"


def test_local_without_its_model_file_is_an_error_naming_the_file(tmp_path):
    missing = tmp_path / "none.gguf"
    with pytest.raises(ValueError, match="none.gguf"):
        runnable("local", ChatConfig(llm=LLMConfig(model_path=missing)))
    with pytest.raises(ValueError, match="make model"):
        runnable(None, ChatConfig(generator="local", llm=LLMConfig(model_path=missing)))


def test_openai_without_a_server_and_model_is_an_error_naming_the_settings():
    with pytest.raises(ValueError, match="RAG_LLM_BASE_URL and RAG_LLM_MODEL"):
        runnable("openai", ChatConfig(llm=LLMConfig(base_url="http://127.0.0.1:9/v1")))
    named = ChatConfig(llm=LLMConfig(base_url="http://127.0.0.1:9/v1", model="m"))
    assert runnable("openai", named) == "openai"


@pytest.mark.parametrize("command", [["eval-hard", str(ROOT / "eval" / "hard_qa.jsonl"), "--split", "dev"],
                                     ["eval-rgb-protocol", str(ROOT / "tests" / "data" / "rgb_tiny.json")],
                                     ["eval", str(ROOT / "eval" / "articles_qa.jsonl"), "-q"],
                                     ["eval-rgb", str(ROOT / "tests" / "data" / "rgb_tiny.json"), "-q"]])
def test_the_commands_stop_before_answering_when_local_has_no_model(command, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RAG_LLM_MODEL_PATH", str(tmp_path / "none.gguf"))
    monkeypatch.setenv("RAG_CHROMA_PATH", str(tmp_path / "chroma"))
    assert main(command + ["--generator", "local", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "no model file" in err and "none.gguf" in err
    assert not (tmp_path / "out").exists(), "nothing measured, nothing written"
