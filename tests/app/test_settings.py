"""Settings: .env.example documents every one, defaults parse, bad values are named."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.conftest import ROOT
from app.settings import Settings


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
    for shown in (repr(s), str(s), s.model_dump_json(), str(s.model_dump())):
        assert "sk-very-secret" not in shown and "hunter2" not in shown
    assert s.llm_api_key.get_secret_value() == "sk-very-secret"  # still usable where it is needed


@pytest.mark.parametrize("field,value", [("auth", "hunter2-without-user"), ("auth", 12345678)])
def test_a_bad_secret_is_named_but_never_echoed(monkeypatch, field, value):
    with pytest.raises(ValidationError) as err:
        Settings(_env_file=None, **{field: value}, top_k=0)
    text = str(err.value)
    assert str(value) not in text and "input_value='**********'" in text
    assert "auth" in text and "top_k" in text and "input_value=0" in text  # other values are still shown
    monkeypatch.setenv("RAG_AUTH", "hunter2-from-env")
    with pytest.raises(ValidationError, match="RAG_AUTH must look like user:password") as err:
        Settings(_env_file=None)
    assert "hunter2-from-env" not in str(err.value)


def test_redact_and_fingerprint():
    s = Settings(_env_file=None, llm_api_key="sk-very-secret", auth="me:hunter2")
    assert s.redact("key sk-very-secret, login me:hunter2, password hunter2") == (
        "key **********, login **********, password **********")
    assert Settings(_env_file=None).redact("nothing to hide") == "nothing to hide"
    other = Settings(_env_file=None, llm_api_key="sk-another", auth="me:hunter2")
    assert s.model_dump_json() == other.model_dump_json()  # masked alike in JSON, so caches need the fingerprint
    assert s.secrets_fingerprint() != other.secrets_fingerprint()
    assert "sk-very-secret" not in s.secrets_fingerprint() and len(s.secrets_fingerprint()) == 64
