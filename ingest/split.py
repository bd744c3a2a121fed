"""Document → Chunks with exact offsets: ``doc.text[c.start:c.end] == c.text`` for every chunk.

The cutting is llama-index's ``SentenceSplitter`` recipe (lines, then punkt sentences, then phrases,
words, characters; greedy merge up to ``chunk_tokens`` with a small sentence overlap), re-done on
spans instead of strings so that offsets come from the cut itself.  Token counts are MiniLM word
pieces, so no chunk is truncated by the embedder (256 including its two special tokens).

>>> from vectorstore.types import Document
>>> doc = Document("a.txt", "One. Two.")
>>> [c.text for c in split_document(doc, chunk_tokens=200, overlap=0, count=str.split)]
['One. Two.']
"""

from __future__ import annotations

from collections.abc import Callable

from vectorstore.spans import Piece, pieces, strip_span
from vectorstore.types import Chunk, Document, sha256_text

__all__ = ["split_document"]


def _merge(parts: list[Piece], limit: int, overlap: int) -> list[tuple[int, int]]:
    """Greedy merge of pieces into spans of at most ``limit`` tokens, carrying ``overlap`` tokens over."""
    spans: list[tuple[int, int]] = []
    cur: list[Piece] = []
    cur_tokens, fresh = 0, True  # fresh: the chunk holds only overlap carried from the previous one
    i = 0
    while i < len(parts):
        p = parts[i]
        if p.tokens > limit:
            raise ValueError(f"a single token run of {p.tokens} tokens exceeds chunk size {limit}")
        if cur_tokens + p.tokens > limit and not fresh:
            spans.append((cur[0].start, cur[-1].end))
            carried: list[Piece] = []
            carried_tokens = 0
            for q in reversed(cur):
                if carried_tokens + q.tokens > overlap:
                    break
                carried.insert(0, q)
                carried_tokens += q.tokens
            cur, cur_tokens, fresh = carried, carried_tokens, True
            continue
        while fresh and cur and cur_tokens + p.tokens > limit:
            cur_tokens -= cur.pop(0).tokens
        cur.append(p)
        cur_tokens += p.tokens
        fresh = False
        i += 1
    if cur and not fresh:
        spans.append((cur[0].start, cur[-1].end))
    return spans


def split_document(
    doc: Document, *, chunk_tokens: int, overlap: int, count: Callable[[str], list]
) -> list[Chunk]:
    """Chunks of ``doc``, in order, each at most ``chunk_tokens`` tokens by ``count``."""
    if overlap >= chunk_tokens:
        raise ValueError(f"overlap ({overlap}) must be smaller than chunk_tokens ({chunk_tokens})")
    text = doc.text
    chunks: list[Chunk] = []
    seen: set[tuple[int, int]] = set()
    for s, e in _merge(pieces(text, count, chunk_tokens), chunk_tokens, overlap):
        s, e = strip_span(text, s, e)
        if e <= s or (s, e) in seen:
            continue
        seen.add((s, e))
        body = text[s:e]
        # The id hashes the source, the document's content and the span: unchanged files give
        # unchanged ids, and two files with the same text never share (and so silently drop) a chunk.
        cid = sha256_text(f"{doc.source}\n{doc.sha256}:{s}:{e}")[:32]
        chunks.append(Chunk(id=cid, source=doc.source, start=s, end=e, text=body))
    return chunks
