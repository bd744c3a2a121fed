"""Settings: .env.example documents every one, defaults parse, bad values are named."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.conftest import ROOT
from vectorstore.settings import Settings


def test_env_example_lists_every_setting_and_parses():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    names = {ln.split("=", 1)[0] for ln in lines if ln and not ln.startswith("#")}
    assert names == {f"RAG_{f.upper()}" for f in Settings.model_fields}
    s = Settings(_env_file=ROOT / ".env.example")
    assert s.generator == "local" and s.auth is None and s.host == "127.0.0.1"


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("RAG_TOP_K", "7")
    monkeypatch.setenv("RAG_GENERATOR", "extractive")
    s = Settings(_env_file=None)
    assert s.top_k == 7 and s.generator == "extractive"


@pytest.mark.parametrize(
    "field,value,message",
    [("collection", "ab", "3-500 characters"), ("auth", "nopassword", "user:password"),
     ("generator", "gpt9", "gpt9"), ("top_k", 0, "top_k")],
)
def test_bad_values_are_named(field, value, message):
    with pytest.raises(ValidationError, match=message):
        Settings(_env_file=None, **{field: value})


def test_secret_never_shows_in_repr():
    s = Settings(_env_file=None, llm_api_key="sk-very-secret", auth="me:hunter2")
    assert "sk-very-secret" not in repr(s) and "hunter2" not in repr(s)
    assert "sk-very-secret" not in s.model_dump_json()
