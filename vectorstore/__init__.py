"""The bottom layer: value types, the store's config, the offline embedder, the Chroma store and retrieval.

It imports nothing else of ours; ``ingest`` and ``chat`` build on it.  Names load on first use
(``vectorstore.lazy``): an embedding child that imports ``vectorstore.minilm`` pays for torch only.
"""

from vectorstore.lazy import lazy_exports

__all__ = [
    "Chunk",
    "Document",
    "Hit",
    "MiniLMEmbedding",
    "Store",
    "StoreConfig",
    "StoreError",
    "get_embedder",
    "open_store",
    "retrieve",
]

lazy_exports(__name__, {
    **dict.fromkeys(("Chunk", "Document", "Hit"), "vectorstore.types"),
    **dict.fromkeys(("MiniLMEmbedding", "get_embedder"), "vectorstore.embed"),
    **dict.fromkeys(("Store", "StoreError", "open_store"), "vectorstore.store"),
    "StoreConfig": "vectorstore.config",
    "retrieve": "vectorstore.retrieve",
})
