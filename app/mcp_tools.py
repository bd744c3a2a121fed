"""MCP tools on the chat's own server (``/mcp``, streamable HTTP, the ``mcp`` SDK): ``search``, ``answer``
and ``read``, so an agent can find passages, get a cited answer, and check any quote against the stored
text itself.  Every span is ``(source, start, end)`` in characters of the stored document, exact.

Client configuration (Claude Desktop, Cursor, or any MCP client speaking streamable HTTP)::

    {"mcpServers": {"articlechat": {"url": "http://127.0.0.1:7860/mcp"}}}
"""

from __future__ import annotations

from typing import Any

from app.settings import Settings
from chat import answer as answer_question
from chat.answer import get_engine
from vectorstore.retrieve import retrieve

__all__ = ["mcp_server"]

SPANS = ("Citations and passages are exact character spans: read(source, start, end) returns the stored text "
         "whose [start:end] is the quote, character for character.")


def mcp_server(settings: Settings) -> Any:
    """A ``FastMCP`` server whose tools answer from what ``settings`` point at (mounted by ``app.web``)."""
    from mcp.server.fastmcp import FastMCP

    config = settings.chat_config()
    mcp = FastMCP("articlechat", instructions=f"Questions about the ingested news articles. {SPANS}",
                  stateless_http=True, json_response=True)

    @mcp.tool(description=f"Find the passages of the articles nearest a query, best first. {SPANS}")
    def search(query: str, k: int = 5) -> list[dict[str, Any]]:
        if not isinstance(k, int) or not 1 <= k <= 50:
            raise ValueError(f"k must be an integer from 1 to 50, got {k!r}")
        engine = get_engine(config)
        hits = retrieve(engine.store, engine.query_embedder, query, k=k, e5=engine.e5)
        return [{"source": h.source, "start": h.start, "end": h.end, "text": h.text, "score": h.score} for h in hits]

    @mcp.tool(description="Answer a question from the articles, every claim cited. Returns text with [n] markers, "
                          f"citations [{{marker, source, start, end, quote}}], refused, notice and written_by "
                          f"(the model's name when its verified words are shown, else extractive). {SPANS}")
    def answer(question: str) -> dict[str, Any]:
        a = answer_question(question, config=config)
        return {"text": a.text, "refused": a.refused, "notice": a.notice, "written_by": a.written_by,
                "citations": [{"marker": c.marker, "source": c.source, "start": c.start, "end": c.end,
                               "quote": c.quote} for c in a.citations]}

    @mcp.tool(description=f"The stored text of a document between two character offsets. {SPANS}")
    def read(source: str, start: int, end: int) -> dict[str, Any]:
        text = get_engine(config).doc_text(source)  # KeyError names an unknown source
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span [{start}:{end}] is outside {source!r}, which has {len(text)} characters")
        return {"source": source, "start": start, "end": end, "text": text[start:end]}

    return mcp
