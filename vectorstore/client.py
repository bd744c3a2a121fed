"""The chromadb client behind a ``Store``: a ``chroma run`` server or an embedded folder (``StoreConfig``).

A server is first asked for a heartbeat with a bounded timeout (chromadb's own client would wait
forever), and every later request is bounded too, so a dead or hung server is a quick, clear
``StoreError``.  Telemetry is off.
"""

from __future__ import annotations

from typing import Any

from vectorstore.config import StoreConfig

__all__ = ["StoreError", "connect"]


class StoreError(RuntimeError):
    """The vector store cannot be reached or is not in the expected state."""


def connect(config: StoreConfig) -> Any:
    """A chromadb client for ``config``: a server (checked with a bounded heartbeat) or an embedded folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if config.host:
        import httpx

        url = config.where
        timeout = httpx.Timeout(config.timeout_s, connect=min(5.0, config.timeout_s))
        try:
            # chromadb's own client waits forever (httpx timeout=None), already inside its constructor:
            # a bounded heartbeat first turns a dead or hung server into a quick, clear error.
            httpx.get(f"{url}/api/v2/heartbeat", timeout=timeout).raise_for_status()
            client = chromadb.HttpClient(host=config.host, port=config.port, settings=chroma_settings)
        except Exception as exc:  # chromadb raises a bare ValueError/ConnectError here
            raise StoreError(f"cannot reach the Chroma server at {url}: {type(exc).__name__}: {exc} "
                             f"(is `chroma run` up? see RAG_CHROMA_HOST/RAG_CHROMA_PORT)") from exc
        session = getattr(getattr(client, "_server", None), "_session", None)
        if isinstance(session, httpx.Client):  # every later request is bounded too
            session.timeout = timeout
        return client
    config.path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(config.path), settings=chroma_settings)
