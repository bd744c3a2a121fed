"""``rag serve``: one server, one port, one login for the web chat (``/``), the OpenAI-compatible API
(``/v1``, ``app.api``) and the MCP tools (``/mcp``, ``app.mcp_tools``).

The web chat keeps Gradio's own login form; the API and the tools, which clients call without a browser,
take the same secret as a Bearer token (``app.api.api_token``), checked here before any of their routes.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    serve(Settings(), host="127.0.0.1", port=7860)
"""

from __future__ import annotations

import contextlib
import hmac
import socket
from typing import Any

from app.api import api_router, api_token, openai_error
from app.mcp_tools import mcp_server
from app.settings import Settings
from app.web import build_app

__all__ = ["serve", "build_server"]

_GUARDED = ("/v1/", "/mcp")


class _BearerGuard:
    """ASGI middleware: requests under ``/v1/`` and ``/mcp`` need ``Authorization: Bearer <token>``."""

    def __init__(self, app: Any, token: str | None) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if self.token is not None and scope["type"] == "http" and scope["path"].startswith(_GUARDED):
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not (given.startswith(b"Bearer ") and hmac.compare_digest(given[7:].strip(), self.token.encode())):
                denied = openai_error(401, "Incorrect or missing API key: send Authorization: Bearer <RAG_API_KEY>",
                                      code="invalid_api_key", headers={"www-authenticate": "Bearer"})
                await denied(scope, receive, send)
                return
        await self.app(scope, receive, send)


def build_server(settings: Settings) -> Any:
    """The ASGI app of ``rag serve`` (FastAPI with the API, the MCP tools and the Gradio app mounted)."""
    import gradio as gr
    from fastapi import FastAPI

    mcp = mcp_server(settings)
    tools = mcp.streamable_http_app()

    @contextlib.asynccontextmanager
    async def lifespan(_: Any):
        async with mcp.session_manager.run():  # a mounted app's own lifespan would not run
            yield

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(api_router(settings))
    app.router.routes.extend(tools.routes)  # POST/GET /mcp
    blocks = build_app(settings).queue(default_concurrency_limit=4)
    auth = None
    if settings.auth is not None:
        user, _, password = settings.auth.get_secret_value().partition(":")
        auth = (user, password)
    # Gradio refuses far larger uploads at the door; files just over the limit get the app's own message.
    cap = int(settings.max_file_mb * 2_000_000) + 1_000_000
    app = gr.mount_gradio_app(app, blocks, path="", auth=auth, show_error=False, max_file_size=cap)
    return _BearerGuard(app, api_token(settings))


def check_port(host: str, port: int) -> None:
    """Raise ``OSError`` naming ``host:port`` and the fix when nothing can listen there.

    Checked before the local model starts, so a port another server holds costs seconds, not a model
    load followed by uvicorn's bare "address already in use".
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: a closed port is free
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise OSError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): another server holds it? "
                          "choose another port with --port or RAG_PORT") from None


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve everything on ``host:port`` until interrupted."""
    import uvicorn

    check_port(host, port)

    print(f"articlechat on http://{host}:{port}/ · OpenAI-compatible API at /v1 · MCP tools at /mcp", flush=True)
    uvicorn.run(build_server(settings), host=host, port=port, log_level="warning")
