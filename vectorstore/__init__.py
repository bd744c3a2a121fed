"""The bottom layer: value types, settings, the offline embedder, the Chroma store and retrieval.

It imports nothing else of ours; ``ingest`` and ``chat`` build on it.
"""

from vectorstore.embed import MiniLMEmbedding, get_embedder
from vectorstore.retrieve import retrieve
from vectorstore.settings import Settings
from vectorstore.store import Store, StoreError, open_store
from vectorstore.types import Answer, Chunk, Citation, Document, Hit

__all__ = [
    "Answer",
    "Chunk",
    "Citation",
    "Document",
    "Hit",
    "MiniLMEmbedding",
    "Settings",
    "Store",
    "StoreError",
    "get_embedder",
    "open_store",
    "retrieve",
]
