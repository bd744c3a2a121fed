"""The value objects of the store: files → Document → Chunk → Hit (``chat.types`` goes on: Citation, Answer).

Every span type obeys one rule, checked in ``__post_init__``: ``0 <= start <= end`` and the text it
carries is exactly ``end - start`` characters long.  Whether it equals the document slice is checked
where the document text is at hand (``ingest.split`` and ``chat.cite``).

>>> Chunk(id="c1", source="a.txt", start=4, end=9, text="hello")
Chunk(id='c1', source='a.txt', start=4, end=9, text='hello')
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["Document", "Chunk", "Hit", "sha256_text", "check_span"]


def sha256_text(text: str) -> str:
    """Hex sha256 of ``text`` encoded as UTF-8 (the content hash behind every id)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_span(kind: str, start: int, end: int, text: str) -> None:
    """``ValueError`` naming ``kind`` unless ``0 <= start <= end`` and ``text`` is ``end - start`` long."""
    if not (0 <= start <= end):
        raise ValueError(f"{kind}: bad span start={start!r} end={end!r}")
    if end - start != len(text):
        raise ValueError(f"{kind}: span {start}:{end} has length {end - start} but text has {len(text)} chars")


@dataclass(frozen=True)
class Document:
    """One source file as text: ``source`` is its path relative to the corpus root."""

    source: str
    text: str
    sha256: str = ""

    def __post_init__(self) -> None:
        if not self.source:
            raise ValueError("Document: empty source")
        if not self.sha256:
            object.__setattr__(self, "sha256", sha256_text(self.text))


@dataclass(frozen=True)
class Chunk:
    """A piece of a document: ``document.text[start:end] == text``."""

    id: str
    source: str
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        check_span("Chunk", self.start, self.end, self.text)


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused retrieval score (higher is better)."""

    source: str
    start: int
    end: int
    text: str
    score: float

    def __post_init__(self) -> None:
        check_span("Hit", self.start, self.end, self.text)
