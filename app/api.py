"""The OpenAI-compatible chat API, served beside the web chat (same port, same login): ``GET /v1/models``
and ``POST /v1/chat/completions``, streaming or not.

What OpenAI clients do not know is carried as extension fields, never lost: the reply's ``message`` (and,
when streaming, the last chunk's ``delta``) holds ``citations: [{marker, source, start, end, quote}]``, where
``stored_text(source)[start:end] == quote`` exactly, plus ``refused`` and ``notice``.  A streamed answer is
the verified answer cut into pieces: every claim is checked before its first word leaves, so the deltas
add up to exactly the final ``content`` and its markers match the citations.

With ``RAG_AUTH`` set, a request needs ``Authorization: Bearer <RAG_API_KEY>`` (or, when no key is set,
the login's password).  Errors have OpenAI's shape: ``{"error": {"message", "type", "param", "code"}}``.

    curl -s 127.0.0.1:7860/v1/chat/completions -d '{"model": "articlechat-extractive",
      "messages": [{"role": "user", "content": "Which Vietnamese exports did China agree to license?"}]}'
"""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, ValidationError

from app.settings import Settings
from chat import Answer, answer
from chat.config import ChatConfig

__all__ = ["api_router", "MODELS", "api_token", "openai_error"]

MODELS = {"articlechat-local": "local", "articlechat-extractive": "extractive", "articlechat-openai": "openai"}
_PIECE_WORDS = 3  # words per streamed delta


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # content parts: the text ones, in order
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class _ChatRequest(BaseModel):
    """The fields we act on; anything else OpenAI defines is accepted and ignored."""

    model_config = ConfigDict(extra="ignore")
    model: str
    messages: list[_Message]
    stream: bool = False
    n: int = 1
    tools: list[Any] | None = None
    functions: list[Any] | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    temperature: float | None = None


def openai_error(status: int, message: str, param: str | None = None, code: str | None = None,
                 kind: str = "invalid_request_error", headers: dict[str, str] | None = None) -> JSONResponse:
    """An error in OpenAI's shape (also an ASGI app: ``app.server``'s guard sends it as it is)."""
    return JSONResponse({"error": {"message": message, "type": kind, "param": param, "code": code}},
                        status_code=status, headers=headers)


def api_token(settings: Settings) -> str | None:
    """The Bearer token the API requires: None (open) without a login, else RAG_API_KEY or the password."""
    if settings.auth is None:
        return None
    key = settings.api_key.get_secret_value() if settings.api_key is not None else ""
    return key or settings.auth.get_secret_value().partition(":")[2]


def _citations(a: Answer) -> list[dict[str, Any]]:
    return [{"marker": c.marker, "source": c.source, "start": c.start, "end": c.end, "quote": c.quote}
            for c in a.citations]


def _config(base: ChatConfig, req: _ChatRequest) -> ChatConfig:
    """``base`` with the request's ``max_tokens`` and ``temperature`` for the language model."""
    limit = req.max_completion_tokens or req.max_tokens
    changes = {k: v for k, v in (("max_tokens", limit), ("temperature", req.temperature)) if v is not None}
    return dataclasses.replace(base, llm=dataclasses.replace(base.llm, **changes)) if changes else base


def _check(req: _ChatRequest) -> JSONResponse | None:
    if req.model not in MODELS:
        return openai_error(404, f"The model {req.model!r} does not exist; use one of {', '.join(MODELS)}", "model",
                      "model_not_found")
    if req.n != 1:
        return openai_error(400, f"n={req.n} is not supported: one answer per request", "n", "unsupported_parameter")
    if req.tools or req.functions:
        return openai_error(400, "tools and functions are not supported: the answer comes from the articles", "tools",
                      "unsupported_parameter")
    if not req.messages or req.messages[-1].role != "user" or not req.messages[-1].text().strip():
        return openai_error(400, "the last message must be a non-empty user message (the question)", "messages")
    return None


def _chunks(cid: str, created: int, model: str, a: Answer) -> Iterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
        body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    words = a.text.split(" ")
    for i in range(0, len(words), _PIECE_WORDS):
        piece = " ".join(words[i : i + _PIECE_WORDS])
        yield chunk({"content": piece if i == 0 else " " + piece})
    yield chunk({"citations": _citations(a), "refused": a.refused, "notice": a.notice, "written_by": a.written_by},
                "stop")
    yield "data: [DONE]\n\n"


def api_router(settings: Settings) -> APIRouter:
    """The ``/v1`` routes answering from what ``settings`` point at."""
    from starlette.concurrency import run_in_threadpool

    base, router = settings.chat_config(), APIRouter()  # the Bearer check is app.server's, before any route

    @router.get("/v1/models")
    async def models() -> JSONResponse:
        return JSONResponse({"object": "list", "data": [
            {"id": name, "object": "model", "created": 0, "owned_by": "articlechat"} for name in MODELS]})

    @router.post("/v1/chat/completions")
    async def completions(request: Request) -> Any:
        try:
            req = _ChatRequest.model_validate(json.loads(await request.body() or b"null"))
        except (ValueError, ValidationError) as exc:
            first = exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": (), "msg": str(exc)}
            return openai_error(400, f"invalid request: {'.'.join(map(str, first['loc'])) or 'body'}: {first['msg']}",
                          ".".join(map(str, first["loc"])) or None)
        if (bad := _check(req)) is not None:
            return bad
        history = [{"role": m.role, "content": m.text()} for m in req.messages[:-1] if m.role in ("user", "assistant")]
        try:
            a = await run_in_threadpool(answer, req.messages[-1].text(), history=history or None,
                                        generator=MODELS[req.model], config=_config(base, req))
        except ValueError as exc:
            return openai_error(400, settings.redact(str(exc)), "messages")
        except Exception as exc:  # the store is down, and the like: a server error, said plainly
            return openai_error(503, settings.redact(f"{type(exc).__name__}: {exc}"), kind="server_error")
        cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if req.stream:
            return StreamingResponse(_chunks(cid, created, req.model, a), media_type="text/event-stream")
        message = {"role": "assistant", "content": a.text, "citations": _citations(a), "refused": a.refused,
                   "notice": a.notice, "written_by": a.written_by}
        return JSONResponse({"id": cid, "object": "chat.completion", "created": created, "model": req.model,
                             "choices": [{"index": 0, "message": message, "finish_reason": "stop"}]})

    return router
