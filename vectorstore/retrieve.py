"""Hybrid retrieval: dense (MiniLM in Chroma) and BM25, fused by a convex combination of scores.

Dense ranks chunks by their best sentence, so a question worded like one sentence is not diluted by
the rest of its chunk.  Candidates are the ``CANDIDATES`` chunks nearest the question by chunk vector
(Chroma's HNSW, ids only) plus BM25's; each is scored by its best sentence vector (late-chunked, from
the one pass over the chunk at ingest; ``Store.sentence_vectors``, held in memory per revision).
Scanning only candidates keeps the cost flat in the corpus size: a scan of all 47k sentences of the
10k-document bench took several times longer, as it streams every vector (``bench/sentence_index.py``
compares the two).

BM25 reads each chunk with its document's title in front (the first line, when it is short): a
question naming a document ("the author of *Bridging Histories, Building Futures*") reaches chunks
past its first.

Each list's scores are min-max normalised over its own top ``pool`` candidates, then weighed equally:
``0.5 * dense + 0.5 * bm25`` (a chunk absent from a list gets 0 there).  Unlike reciprocal-rank fusion
this keeps how far ahead a list's best chunk is: a passage that only the dense side finds, but finds
clearly first, is no longer buried under chunks both lists rank mid-way (docs/performance.md has the
``make bench`` comparison).  BM25 sees text
folded with NFKC and casefold, so the same article saved as NFC or NFD matches alike; stored text is
never changed.  The index (BM25 and the sentence matrix) is rebuilt when the store's revision changes
and, for an embedded store, saved beside it (``<chroma_path>/../cache/bm25-NAME``), so a new process
(``rag ask``) loads it instead of rebuilding.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    retrieve(store, embedder, "Which exports did China license?", k=3)
    # → [Hit(source='vietnam-china-…', start=…, end=…, text='…', score=0.97…), …]
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Set
from pathlib import Path
from typing import Any

from vectorstore import glosses, multilingual
from vectorstore.store import Store
from vectorstore.text import first_line_title, language, stem, tokenize
from vectorstore.types import Chunk, Hit

__all__ = ["retrieve", "passages", "corpus_vocabulary", "SearchIndex"]

# Weight of the dense list in the fusion (BM25 gets the rest): equal, not tuned to a test set.
DENSE_WEIGHT = 0.5
# The same for a question not in English, scored by e5: BM25 over Vietnamese syllables or Chinese character
# pairs matches the language more than the topic, and would bury an answer in another language.  Chosen on
# the dev half of tests/data/multilingual/qa.jsonl.
FOREIGN_DENSE_WEIGHT = 0.8
# Chunks nearest by chunk vector whose sentences are scored (with BM25's pool): ~2 % of a 10k corpus.
CANDIDATES = 200
# Bumped when what the saved index holds changes (2: titles, sentence vectors; 3: Chinese character
# pairs, đ folded to d): older saves rebuild.
_FORMAT = "3"


class SearchIndex:
    """The store's chunks as a bm25s index, and their sentence vectors as one matrix; one per store revision."""

    def __init__(self, chunks: list[Chunk], bm25: Any = None, vocabulary: frozenset[str] | None = None,
                 sentences: dict[str, Any] | None = None) -> None:
        import bm25s
        import numpy as np

        self.chunks = chunks
        sentences = sentences or {}
        # Rows grouped by chunk, in chunk order: ``owners[j]`` owns rows ``offsets[j]`` to ``offsets[j+1]``.
        self.owners = [c for c in chunks if len(sentences.get(c.id, ())) > 0]
        counts = [len(sentences[c.id]) for c in self.owners]
        self.offsets = np.cumsum([0] + counts[:-1], dtype=np.int64)
        self.by_id = {c.id: c for c in chunks}
        self.rows = {c.id: (int(o), int(o) + n) for c, o, n in zip(self.owners, self.offsets, counts)}
        self.matrix = (np.concatenate([sentences[c.id] for c in self.owners]).astype(np.float32)
                       if self.owners else np.zeros((0, 0), np.float32))
        self.bm25 = bm25 if bm25 is not None else bm25s.BM25()
        self.vocabulary: frozenset[str] = vocabulary or frozenset()
        self._languages: dict[str, str] | None = None
        self._foreign: list[Chunk] = []
        if chunks and bm25 is None:
            tokens = [tokenize(c.text) for c in chunks]
            titles = _titles(chunks)
            fielded = [t if c.start == titles[c.source][0] else titles[c.source][1] + t for c, t in zip(chunks, tokens)]
            self.bm25.index([t or ["\u2205"] for t in fielded], show_progress=False)
            # Stem each distinct word once (10k chunks: ~800k words, ~60k distinct).
            self.vocabulary = frozenset(stem(w) for w in {w for t in tokens for w in t})

    def save(self, folder: Path, revision: str) -> None:
        """Write the index, chunks, vocabulary and sentences to ``folder`` (replaced whole, never half-written)."""
        import numpy as np

        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
        try:
            if self.chunks:
                self.bm25.save(str(tmp), show_progress=False)
            with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as fh:
                for c in self.chunks:
                    fh.write(json.dumps([c.id, c.source, c.start, c.end, c.text], ensure_ascii=False) + "\n")
            (tmp / "vocabulary.json").write_text(json.dumps(sorted(self.vocabulary)), encoding="utf-8")
            counts = np.diff(np.append(self.offsets, len(self.matrix))).tolist()
            (tmp / "sentences.json").write_text(json.dumps([[c.id for c in self.owners], counts]), encoding="utf-8")
            np.save(tmp / "sentences.npy", self.matrix.astype(np.float16))  # as stored: float16
            # Last: the revision file marks the folder complete.
            (tmp / "revision").write_text(f"{_FORMAT}:{revision}", encoding="utf-8")
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, revision: str) -> SearchIndex | None:
        """The index saved in ``folder`` for ``revision``, or None (absent, stale or unreadable)."""
        import bm25s
        import numpy as np

        try:
            if (folder / "revision").read_text(encoding="utf-8") != f"{_FORMAT}:{revision}":
                return None
            with open(folder / "chunks.jsonl", encoding="utf-8") as fh:
                chunks = [Chunk(i, s, int(a), int(b), t) for i, s, a, b, t in map(json.loads, fh)]
            vocabulary = frozenset(json.loads((folder / "vocabulary.json").read_text(encoding="utf-8")))
            bm25 = bm25s.BM25.load(str(folder), show_progress=False) if chunks else None
            ids, counts = json.loads((folder / "sentences.json").read_text(encoding="utf-8"))
            rows = np.split(np.load(folder / "sentences.npy"), np.cumsum(counts)[:-1]) if ids else []
        except (OSError, ValueError, TypeError):  # a cache is only a cache: rebuild from the store
            return None
        return cls(chunks, bm25, vocabulary, dict(zip(ids, rows)))

    def dense(self, embedding: list[float], k: int, among: list[str] | None = None) -> list[tuple[Chunk, float]]:
        """The ``k`` chunks (of ``among``, else of all) whose best sentence is nearest ``embedding``, best first."""
        import numpy as np

        q = np.asarray(embedding, dtype=np.float32)
        if among is None:
            owners, starts, matrix = self.owners, self.offsets, self.matrix
        else:
            spans = [(cid, self.rows[cid]) for cid in dict.fromkeys(among) if cid in self.rows]
            owners = [self.by_id[cid] for cid, _ in spans]
            starts = np.cumsum([0] + [e - s for _, (s, e) in spans][:-1], dtype=np.int64)
            matrix = self.matrix[np.concatenate([np.arange(s, e) for _, (s, e) in spans])] if spans else None
        if not owners:
            return []
        best = np.maximum.reduceat(matrix @ q, starts)
        n = min(k, len(best))
        top = np.argpartition(-best, n - 1)[:n]
        return [(owners[j], float(best[j])) for j in top[np.argsort(-best[top], kind="stable")]]

    def language(self, chunk: Chunk) -> str:
        """``vectorstore.text.language`` of a stored chunk, worked out once per index."""
        if self._languages is None:
            self._languages = {c.id: language(c.text) for c in self.chunks}
            self._foreign = [c for c in self.chunks if self._languages[c.id] != "en"]
        return self._languages[chunk.id]

    def foreign(self) -> list[Chunk]:
        """The chunks not in English, which MiniLM cannot read (worked out with ``language``)."""
        if self._languages is None and self.chunks:
            self.language(self.chunks[0])
        return self._foreign

    def top(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """The ``k`` best chunks for ``query`` with their BM25 scores (positive only), best first."""
        q = tokenize(query)
        if not self.chunks or not q:
            return []
        vocab = self.bm25.vocab_dict
        q = [w for w in q if w in vocab]
        if not q:
            return []
        docs, scores = self.bm25.retrieve([q], k=min(k, len(self.chunks)), show_progress=False, n_threads=1)
        return [(self.chunks[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]


def _titles(chunks: list[Chunk]) -> dict[str, tuple[int, list[str]]]:
    """Per source: where its first chunk starts, and the tokens of its title (first line, if short)."""
    out: dict[str, tuple[int, list[str]]] = {}
    for c in chunks:  # sorted by (source, start): a source's first chunk comes first
        if c.source not in out:
            out[c.source] = (c.start, tokenize(first_line_title(c.text)))
    return out


_cache: dict[str, tuple[str, SearchIndex]] = {}
_cache_lock = threading.Lock()


def _saved_at(store: Store) -> Path | None:
    if "://" in store.where:  # a Chroma server: no folder of ours beside it
        return None
    return Path(store.where).parent / "cache" / f"bm25-{store.name}"


def _index(store: Store) -> SearchIndex:
    rev = store.revision()
    key = f"{store.where}|{store.name}"
    with _cache_lock:
        hit = _cache.get(key)
        if hit and hit[0] == rev:
            return hit[1]
    folder = _saved_at(store)
    index = SearchIndex.load(folder, rev) if folder else None
    if index is None:
        chunks, sentences = store.chunks_and_sentence_vectors()
        index = SearchIndex(chunks, sentences=sentences)
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
    return _index(store).vocabulary


def passages(store: Store, sources: Set[str], keep: Callable[[str], bool]) -> list[Hit]:
    """The stored chunks of ``sources`` whose text ``keep`` accepts, in document order, scored 0: for what a
    question asks of a document rather than of its topic (who wrote it), which ranking by meaning misses."""
    return [Hit(c.source, c.start, c.end, c.text, 0.0) for c in _index(store).chunks
            if c.source in sources and keep(c.text)]


def _per_language(ranked: list[tuple[Chunk, float]], depth: int, index: SearchIndex) -> list[tuple[Chunk, float]]:
    """``ranked`` rescaled to [0, 1] within each document language, best ``depth`` first: e5 scores a
    question higher against text in its own language whatever the topic, and this takes that offset out."""
    groups: dict[str, list[tuple[Chunk, float]]] = {}
    for c, s in ranked:
        groups.setdefault(index.language(c), []).append((c, s))
    by_id = {c.id: c for c, _ in ranked}
    scores = {i: s for group in groups.values() for i, s in _normalised(group).items()}
    return sorted(((by_id[i], s) for i, s in scores.items()), key=lambda p: -p[1])[:depth]


def _normalised(ranked: list[tuple[Chunk, float]]) -> dict[str, float]:
    """``{chunk id: score}`` rescaled to [0, 1] over the list (a list of one, or of ties, scores 1)."""
    if not ranked:
        return {}
    lo, hi = min(s for _, s in ranked), max(s for _, s in ranked)
    return {c.id: (s - lo) / (hi - lo) if hi > lo else 1.0 for c, s in ranked}


def _fuse(dense: list[tuple[Chunk, float]], lexical: list[tuple[Chunk, float]], k: int,
          weight: float = DENSE_WEIGHT) -> list[Hit]:
    """The ``k`` best chunks by ``weight * dense + (1 - weight) * bm25``, both normalised."""
    by_id = {c.id: c for c, _ in dense + lexical}
    d, b = _normalised(dense), _normalised(lexical)
    scores = {i: weight * d.get(i, 0.0) + (1 - weight) * b.get(i, 0.0) for i in by_id}
    best = sorted(scores, key=lambda i: (-scores[i], by_id[i].source, by_id[i].start))[:k]
    return [Hit(by_id[i].source, by_id[i].start, by_id[i].end, by_id[i].text, round(scores[i], 6)) for i in best]


def retrieve(store: Store, embedder: Any, question: str, k: int = 5, pool: int = 30, e5: Any = None) -> list[Hit]:
    """The ``k`` best chunks for ``question``, best first, dense and BM25 scores fused (module doc).

    With ``e5`` (``vectorstore.e5``), what MiniLM cannot read is scored by e5 instead: every chunk for a
    question not in English, the chunks not in English for one that is (each list normalised on its own).
    BM25 then reads a Chinese question's words in English too (``vectorstore.glosses``), for English chunks.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k!r}")
    depth = max(pool, k)
    index = _index(store)
    lexical = index.top(question, depth)
    lang = language(question)
    if e5 is not None and lang != "en":  # BM25 among chunks in the question's language (and glossed, English)
        same = [(c, s) for c, s in lexical if index.language(c) == lang]
        if lang == glosses.LANGUAGE:  # and English chunks, through the dictionary glosses of its words
            same = _per_language(same + [(c, s) for c, s in index.top(glosses.english(question), depth)
                                         if index.language(c) == "en"], depth, index)
        ranked = multilingual.dense(store, index.chunks, e5, question, len(index.chunks))
        return _fuse(_per_language(ranked, depth, index), same, k, FOREIGN_DENSE_WEIGHT)
    embedding = embedder.get_query_embedding(question)
    # Never ask Chroma for more than it holds: it warns (and logs) on every such query.
    wanted = min(max(CANDIDATES, depth), len(index.chunks))
    among = store.nearest_ids(embedding, wanted) + [c.id for c, _ in lexical] if wanted else []
    dense = index.dense(embedding, depth, among)
    others = index.foreign() if e5 is not None else []
    if others:
        mine = _normalised([(c, s) for c, s in dense if index.language(c) == "en"])
        ranked = multilingual.dense(store, others, e5, question, len(others))
        theirs = {c.id: s for c, s in _per_language(ranked, depth, index)}
        by_id = {c.id: c for c, _ in dense} | {c.id: c for c in others}
        dense = sorted(((by_id[i], s) for i, s in (mine | theirs).items()), key=lambda p: -p[1])[:depth]
    return _fuse(dense, lexical, k)
