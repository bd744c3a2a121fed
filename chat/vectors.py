"""Sentence vectors, remembered, and their cosine: shared by evidence scoring, grounding and near-synonyms.

>>> cosine([0.6, 0.8], [0.8, 0.6]), cosine([1.0, 0.0], [-1.0, 0.0])
(0.96, 0.0)
"""

from __future__ import annotations

from typing import Any

__all__ = ["cosine", "embed_cached"]

_vector_cache: dict[tuple[int, str], list[float]] = {}
_CACHE_MAX = 20_000  # vectors kept before the cache starts afresh (a few MB of MiniLM vectors)


def embed_cached(embedder: Any, texts: list[str]) -> list[list[float]]:
    """Embeddings of ``texts``, remembered: the same article sentences come back question after question."""
    missing = list(dict.fromkeys(t for t in texts if (id(embedder), t) not in _vector_cache))
    if missing:
        if len(_vector_cache) + len(missing) > _CACHE_MAX:
            _vector_cache.clear()
        for t, v in zip(missing, embedder.get_text_embedding_batch(missing)):
            _vector_cache[(id(embedder), t)] = v
    return [_vector_cache[(id(embedder), t)] for t in texts]


def cosine(a: list[float], b: list[float]) -> float:
    """Cosine of two unit vectors, floored at 0."""
    return max(0.0, sum(x * y for x, y in zip(a, b)))  # both are unit length
