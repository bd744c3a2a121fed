"""The OpenAI-compatible API and the MCP tools of a real ``rag serve`` on 127.0.0.1, through the official
``openai`` and ``mcp`` clients: every citation is checked against the stored text."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ARTICLES, ROOT, free_port, stop_process

RAG = str(Path(sys.executable).with_name("rag"))
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt")}
CHILI = "Which Vietnamese exports did China agree to license?"


def _serve(corpus_settings, **env) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [RAG, "serve", "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "RAG_CHROMA_PATH": str(corpus_settings.chroma_path),
             "RAG_COLLECTION": corpus_settings.collection, "RAG_GENERATOR": "extractive", **env})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert proc.poll() is None, "rag serve exited"
        try:
            httpx.get(url + "/", timeout=2)
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)
    stop_process(proc)
    pytest.fail("rag serve did not start")


@pytest.fixture(scope="module")
def server(corpus_settings):
    proc, url = _serve(corpus_settings)
    yield url
    stop_process(proc)


def assert_verified(citations):
    assert citations
    for c in citations:
        assert TEXTS[c["source"]][c["start"]:c["end"]] == c["quote"]


def test_openai_client_lists_models_and_gets_a_cited_answer(server):
    from openai import OpenAI

    client = OpenAI(base_url=server + "/v1", api_key="unused")
    assert {m.id for m in client.models.list()} >= {"articlechat-local", "articlechat-extractive"}
    reply = client.chat.completions.create(model="articlechat-extractive", messages=[{"role": "user", "content": CHILI}])
    message = reply.choices[0].message
    assert "chili" in message.content and "passion fruit" in message.content
    extra = message.model_extra
    assert extra["refused"] is False and extra["written_by"] == "extractive"
    assert_verified(extra["citations"])
    assert all(f"[{c['marker']}]" in message.content for c in extra["citations"])


def test_streamed_deltas_add_up_to_the_answer_and_the_last_chunk_carries_the_citations(server):
    from openai import OpenAI

    client = OpenAI(base_url=server + "/v1", api_key="unused")
    whole = client.chat.completions.create(model="articlechat-extractive",
                                           messages=[{"role": "user", "content": CHILI}]).choices[0].message
    pieces, last = [], None
    for chunk in client.chat.completions.create(model="articlechat-extractive", stream=True,
                                                messages=[{"role": "user", "content": CHILI}]):
        pieces.append(chunk.choices[0].delta.content or "")
        last = chunk
    assert "".join(pieces) == whole.content and len(pieces) > 3
    assert last.choices[0].finish_reason == "stop"
    assert last.choices[0].delta.model_extra["citations"] == whole.model_extra["citations"]
    assert_verified(last.choices[0].delta.model_extra["citations"])


def test_a_follow_up_uses_the_earlier_messages(server):
    from openai import OpenAI

    client = OpenAI(base_url=server + "/v1", api_key="unused")
    reply = client.chat.completions.create(model="articlechat-extractive", messages=[
        {"role": "user", "content": "Which railway project did Vietnam's National Assembly approve?"},
        {"role": "assistant", "content": "The Lao Cai-Hanoi-Hai Phong railway project [1]."},
        {"role": "user", "content": "When is it supposed to be finished?"}])
    assert "2030" in reply.choices[0].message.content
    assert_verified(reply.choices[0].message.model_extra["citations"])


def test_unsupported_requests_get_openai_errors(server):
    import openai

    client = openai.OpenAI(base_url=server + "/v1", api_key="unused")
    with pytest.raises(openai.BadRequestError, match="n=2 is not supported"):
        client.chat.completions.create(model="articlechat-extractive", n=2, messages=[{"role": "user", "content": CHILI}])
    with pytest.raises(openai.BadRequestError, match="tools"):
        client.chat.completions.create(model="articlechat-extractive", messages=[{"role": "user", "content": CHILI}],
                                       tools=[{"type": "function", "function": {"name": "f", "parameters": {}}}])
    with pytest.raises(openai.NotFoundError, match="gpt-4o"):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": CHILI}])
    bad = httpx.post(server + "/v1/chat/completions", content=b"{not json", timeout=30)
    assert bad.status_code == 400 and set(bad.json()["error"]) == {"message", "type", "param", "code"}
    ignored = httpx.post(server + "/v1/chat/completions", timeout=60, json={
        "model": "articlechat-extractive", "messages": [{"role": "user", "content": CHILI}], "user": "x", "seed": 1})
    assert ignored.status_code == 200  # fields we do not use are ignored


def test_four_streaming_clients_for_twenty_seconds(server):
    from openai import OpenAI

    errors, answers = [], []

    def client_loop():
        client = OpenAI(base_url=server + "/v1", api_key="unused", timeout=60)
        end = time.monotonic() + 20
        while time.monotonic() < end:
            try:
                text, cites = "", None
                for chunk in client.chat.completions.create(model="articlechat-extractive", stream=True,
                                                            messages=[{"role": "user", "content": CHILI}]):
                    text += chunk.choices[0].delta.content or ""
                    cites = chunk.choices[0].delta.model_extra.get("citations", cites)
                assert_verified(cites)
                answers.append(text)
            except Exception as exc:  # collected, asserted below
                errors.append(repr(exc))

    threads = [threading.Thread(target=client_loop) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(answers) >= 8 and len(set(answers)) == 1


def test_mcp_tools_search_answer_and_read(server):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async def run():
        async with streamablehttp_client(server + "/mcp") as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                tools = {t.name: t for t in (await session.list_tools()).tools}
                assert set(tools) >= {"search", "answer", "read"}
                assert all("exact" in tools[n].description for n in ("search", "answer", "read"))
                found = (await session.call_tool("search", {"query": CHILI, "k": 3})).structuredContent["result"]
                got = (await session.call_tool("answer", {"question": CHILI})).structuredContent
                c = got["citations"][0]
                sliced = (await session.call_tool("read", {"source": c["source"], "start": c["start"],
                                                           "end": c["end"]})).structuredContent
                bad = await session.call_tool("read", {"source": c["source"], "start": 0, "end": 10**9})
                return found, got, sliced, bad

    found, got, sliced, bad = asyncio.run(run())
    assert len(found) == 3 and any("chili and passion fruit" in h["text"] for h in found)
    assert all(TEXTS[h["source"]][h["start"]:h["end"]] == h["text"] for h in found)
    assert not got["refused"] and "chili" in got["text"] and got["written_by"] == "extractive"
    assert_verified(got["citations"])
    assert sliced["text"] == got["citations"][0]["quote"]
    assert bad.isError and "outside" in bad.content[0].text


def test_with_a_login_the_api_and_tools_need_the_bearer_token(corpus_settings):
    import openai

    proc, url = _serve(corpus_settings, RAG_AUTH="ann:pw-login", RAG_API_KEY="tok-123")
    try:
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=url + "/v1", api_key="wrong").models.list()
        missing = httpx.get(url + "/v1/models", timeout=30)
        assert missing.status_code == 401 and missing.json()["error"]["code"] == "invalid_api_key"
        assert httpx.post(url + "/mcp", json={}, timeout=30).status_code == 401
        reply = openai.OpenAI(base_url=url + "/v1", api_key="tok-123").chat.completions.create(
            model="articlechat-extractive", messages=[{"role": "user", "content": CHILI}])
        assert_verified(reply.choices[0].message.model_extra["citations"])
        assert "tok-123" not in missing.text
    finally:
        stop_process(proc)
