"""The API's own logic without a server: the token, the request checks, and the stream's pieces."""

from __future__ import annotations

import json

from app.api import _chunks, _ChatRequest, _check, _config, api_token
from app.settings import Settings
from chat.types import Answer, Citation


def test_the_token_is_the_api_key_or_else_the_login_password():
    assert api_token(Settings(_env_file=None)) is None
    assert api_token(Settings(_env_file=None, auth="ann:pw1")) == "pw1"
    assert api_token(Settings(_env_file=None, auth="ann:pw1", api_key="k2")) == "k2"
    assert api_token(Settings(_env_file=None, auth="ann:pw1", api_key="")) == "pw1"


def test_requests_are_checked_and_model_settings_pass_to_the_model():
    ok = _ChatRequest(model="articlechat-local", messages=[{"role": "user", "content": "Q?"}], max_tokens=50,
                      temperature=0.3, frequency_penalty=1.0)
    assert _check(ok) is None
    cfg = _config(Settings(_env_file=None).chat_config(), ok)
    assert (cfg.llm.max_tokens, cfg.llm.temperature) == (50, 0.3)
    parts = _ChatRequest(model="articlechat-local", messages=[{"role": "user", "content": [
        {"type": "text", "text": "Which "}, {"type": "image_url"}, {"type": "text", "text": "exports?"}]}])
    assert parts.messages[-1].text() == "Which exports?"
    for bad, status in (({"model": "x", "messages": [{"role": "user", "content": "Q"}]}, 404),
                        ({"model": "articlechat-local", "n": 3, "messages": [{"role": "user", "content": "Q"}]}, 400),
                        ({"model": "articlechat-local", "messages": [{"role": "assistant", "content": "A"}]}, 400)):
        resp = _check(_ChatRequest(**bad))
        assert resp.status_code == status and set(json.loads(resp.body)["error"]) == {"message", "type", "param", "code"}


def test_the_stream_adds_up_to_the_answer_and_ends_with_citations_and_done():
    c = Citation(1, "a.txt", 0, 5, "Hello")
    a = Answer(text="Hello there, this answer has several words in it [1].", citations=[c], refused=False,
               hits=[], notice="", written_by="extractive")
    events = list(_chunks("id1", 0, "articlechat-extractive", a))
    assert events[-1] == "data: [DONE]\n\n"
    bodies = [json.loads(e.removeprefix("data: ")) for e in events[:-1]]
    assert "".join(b["choices"][0]["delta"].get("content", "") for b in bodies) == a.text
    last = bodies[-1]["choices"][0]
    assert last["finish_reason"] == "stop" and last["delta"]["citations"][0]["quote"] == "Hello"
    assert last["delta"]["written_by"] == "extractive"
