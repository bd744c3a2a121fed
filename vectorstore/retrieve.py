"""Hybrid retrieval: dense (MiniLM in Chroma) and BM25, fused by reciprocal rank.

RRF (Cormack et al. 2009) needs no score calibration between the two retrievers: each chunk scores
``sum(1 / (60 + rank))`` over the lists it appears in.  BM25 sees text folded with NFKC and casefold,
so the same article saved as NFC or NFD matches alike; stored text is never changed.  The BM25 index
is rebuilt when the store's revision changes and, for an embedded store, saved beside it
(``<chroma_path>/../cache/bm25-NAME``), so a new process (``rag ask``) loads it instead of rebuilding
(10k chunks: ~2.5 s to build).

>>> retrieve(store, embedder, "Which exports did China license?", k=3)   # doctest: +SKIP
[Hit(source='vietnam-china-…', start=…, end=…, text='…', score=0.032…), …]
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from vectorstore.store import Store
from vectorstore.text import stem, tokenize
from vectorstore.types import Chunk, Hit

__all__ = ["retrieve", "corpus_vocabulary"]

RRF_K = 60
class _BM25:
    """A bm25s index over the store's chunks, rebuilt when the store's revision changes."""

    def __init__(self, chunks: list[Chunk], index: Any = None, vocabulary: frozenset[str] | None = None) -> None:
        import bm25s

        self.chunks = chunks
        self.index = index if index is not None else bm25s.BM25()
        self.vocabulary: frozenset[str] = vocabulary or frozenset()
        if chunks and index is None:
            tokens = [tokenize(c.text) for c in chunks]
            self.index.index([t or ["\u2205"] for t in tokens], show_progress=False)
            # Stem each distinct word once (10k chunks: ~800k words, ~60k distinct).
            self.vocabulary = frozenset(stem(w) for w in {w for t in tokens for w in t})

    def save(self, folder: Path, revision: str) -> None:
        """Write the index, chunks and vocabulary to ``folder`` (replaced whole, never half-written)."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
        try:
            if self.chunks:
                self.index.save(str(tmp), show_progress=False)
            with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as fh:
                for c in self.chunks:
                    fh.write(json.dumps([c.id, c.source, c.start, c.end, c.text], ensure_ascii=False) + "\n")
            (tmp / "vocabulary.json").write_text(json.dumps(sorted(self.vocabulary)), encoding="utf-8")
            (tmp / "revision").write_text(revision, encoding="utf-8")  # last: it marks the folder complete
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, revision: str) -> _BM25 | None:
        """The index saved in ``folder`` for ``revision``, or None (absent, stale or unreadable)."""
        import bm25s

        try:
            if (folder / "revision").read_text(encoding="utf-8") != revision:
                return None
            with open(folder / "chunks.jsonl", encoding="utf-8") as fh:
                chunks = [Chunk(i, s, int(a), int(b), t) for i, s, a, b, t in map(json.loads, fh)]
            vocabulary = frozenset(json.loads((folder / "vocabulary.json").read_text(encoding="utf-8")))
            index = bm25s.BM25.load(str(folder), show_progress=False) if chunks else None
        except (OSError, ValueError, TypeError):  # a cache is only a cache: rebuild from the store
            return None
        return cls(chunks, index, vocabulary)

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


def _saved_at(store: Store) -> Path | None:
    if "://" in store.where:  # a Chroma server: no folder of ours beside it
        return None
    return Path(store.where).parent / "cache" / f"bm25-{store.name}"


def _bm25(store: Store) -> _BM25:
    rev = store.revision()
    key = f"{store.where}|{store.name}"
    with _cache_lock:
        hit = _cache.get(key)
        if hit and hit[0] == rev:
            return hit[1]
    folder = _saved_at(store)
    index = _BM25.load(folder, rev) if folder else None
    if index is None:
        index = _BM25(store.chunks())
        if folder:
            try:
                index.save(folder, rev)
            except OSError:  # read-only folder: keep the index in memory only
                pass
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
