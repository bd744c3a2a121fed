"""Hybrid retrieval: dense (MiniLM in Chroma) and BM25, fused by reciprocal rank.

RRF (Cormack et al. 2009) needs no score calibration between the two retrievers: each chunk scores
``sum(1 / (60 + rank))`` over the lists it appears in.  BM25 sees text folded with NFKC and casefold,
so the same article saved as NFC or NFD matches alike; stored text is never changed.

>>> retrieve(store, embedder, "Which exports did China license?", k=3)   # doctest: +SKIP
[Hit(source='vietnam-china-…', start=…, end=…, text='…', score=0.032…), …]
"""

from __future__ import annotations

import threading
from typing import Any

from vectorstore.store import Store
from vectorstore.text import stem, tokenize
from vectorstore.types import Chunk, Hit

__all__ = ["retrieve", "corpus_vocabulary"]

RRF_K = 60
class _BM25:
    """A bm25s index over the store's chunks, rebuilt when the store's revision changes."""

    def __init__(self, chunks: list[Chunk]) -> None:
        import bm25s

        self.chunks = chunks
        self.index = bm25s.BM25()
        self.vocabulary: frozenset[str] = frozenset()
        if chunks:
            tokens = [tokenize(c.text) for c in chunks]
            self.index.index([t or ["\u2205"] for t in tokens], show_progress=False)
            # Stem each distinct word once (10k chunks: ~800k words, ~60k distinct).
            self.vocabulary = frozenset(stem(w) for w in {w for t in tokens for w in t})

    def top(self, query: str, k: int) -> list[Chunk]:
        q = tokenize(query)
        if not self.chunks or not q:
            return []
        vocab = self.index.vocab_dict
        q = [w for w in q if w in vocab]
        if not q:
            return []
        docs, scores = self.index.retrieve([q], k=min(k, len(self.chunks)), show_progress=False, n_threads=1)
        return [self.chunks[int(d)] for d, s in zip(docs[0], scores[0]) if s > 0]


_cache: dict[str, tuple[str, _BM25]] = {}
_cache_lock = threading.Lock()


def _bm25(store: Store) -> _BM25:
    rev = store.revision()
    key = f"{store.where}|{store.name}"
    with _cache_lock:
        hit = _cache.get(key)
        if hit and hit[0] == rev:
            return hit[1]
    index = _BM25(store.chunks())
    with _cache_lock:
        _cache[key] = (rev, index)
    return index


def corpus_vocabulary(store: Store) -> frozenset[str]:
    """Stems of every word in the stored corpus (see ``vectorstore.text.stem``)."""
    return _bm25(store).vocabulary


def retrieve(store: Store, embedder: Any, question: str, k: int = 5, pool: int = 30) -> list[Hit]:
    """The ``k`` best chunks for ``question``, best first, scored by reciprocal-rank fusion."""
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k!r}")
    depth = max(pool, k)
    dense = store.dense(embedder.get_query_embedding(question), depth)
    lexical = _bm25(store).top(question, depth)
    scores: dict[str, float] = {}
    by_id: dict[str, Chunk] = {}
    for ranked in ([c for c, _ in dense], lexical):
        for rank, chunk in enumerate(ranked):
            by_id[chunk.id] = chunk
            scores[chunk.id] = scores.get(chunk.id, 0.0) + 1.0 / (RRF_K + rank + 1)
    best = sorted(scores, key=lambda i: (-scores[i], by_id[i].source, by_id[i].start))[:k]
    return [Hit(by_id[i].source, by_id[i].start, by_id[i].end, by_id[i].text, scores[i]) for i in best]
