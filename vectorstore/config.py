"""Where the store is: ``StoreConfig``, built by the edge (``app.settings``) and passed down.

>>> StoreConfig(path=".rag/chroma").where
'.rag/chroma'
>>> StoreConfig(host="127.0.0.1", port=8000).where
'http://127.0.0.1:8000'
>>> StoreConfig(collection="ab")
Traceback (most recent call last):
...
ValueError: StoreConfig.collection must have 3-500 characters, got 'ab'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["StoreConfig"]


@dataclass(frozen=True)
class StoreConfig:
    """An embedded Chroma folder (``path``), or a ``chroma run`` server when ``host`` is set."""

    path: Path = Path(".rag/chroma")
    host: str = ""
    port: int = 8000
    timeout_s: float = 30.0  # every request to a server, the first heartbeat included
    collection: str = "articles"

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))
        if not isinstance(self.port, int) or not 1 <= self.port <= 65535:
            raise ValueError(f"StoreConfig.port must be 1-65535, got {self.port!r}")
        if not self.timeout_s > 0:
            raise ValueError(f"StoreConfig.timeout_s must be positive, got {self.timeout_s!r}")
        # Chroma requires 3-512 characters; the documents collection adds a suffix.
        if not isinstance(self.collection, str) or not 3 <= len(self.collection) <= 500:
            raise ValueError(f"StoreConfig.collection must have 3-500 characters, got {self.collection!r}")

    @property
    def where(self) -> str:
        """The store's address as messages show it: the server's URL or the folder."""
        return f"http://{self.host}:{self.port}" if self.host else str(self.path)
