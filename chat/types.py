"""What an answer is: text with ``[n]`` markers and the verified citations they stand for.

>>> Citation(marker=1, source="a.txt", start=0, end=5, quote="hello").quote
'hello'
>>> Answer("Hi [1].", [Citation(1, "a.txt", 0, 2, "Hi")]).to_dict()["citations"][0]["end"]
2
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from vectorstore.types import Hit, check_span

__all__ = ["Answer", "Citation", "Hit"]


@dataclass(frozen=True)
class Citation:
    """A verified quote: ``document_text(source)[start:end] == quote``; ``marker`` is its ``[n]``."""

    marker: int
    source: str
    start: int
    end: int
    quote: str

    def __post_init__(self) -> None:
        check_span("Citation", self.start, self.end, self.quote)
        if self.marker < 1:
            raise ValueError(f"Citation: marker must be >= 1, got {self.marker!r}")


@dataclass(frozen=True)
class Answer:
    """What ``chat.answer`` returns: text with ``[n]`` markers, their citations, and the hits used.

    ``written_by`` says whose words ``text`` is: a model's name ("local", "openai") when its verified answer
    is shown, "extractive" when the passages themselves are (the extractive generator's answer, or a model's
    that nothing verified), "" for a refusal.
    """

    text: str
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    hits: list[Hit] = field(default_factory=list)
    notice: str = ""
    written_by: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the shape of ``rag ask --json``)."""
        return asdict(self)
