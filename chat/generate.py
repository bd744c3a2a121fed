"""Generators: turn a question and numbered evidence into answer text with ``[n]`` markers.

Every generator subclasses ``Generator``; ``get_generator(name)`` picks one.  ``extractive`` uses
no language model: it answers with the best supported evidence sentences themselves, each
followed by its marker, so its output is deterministic and every word of it is cited.

>>> ExtractiveGenerator().generate("q", [ev_a, ev_b])             # doctest: +SKIP
'China agreed to … passion fruit. [1]'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from chat.evidence import Evidence

__all__ = ["Generator", "ExtractiveGenerator", "get_generator", "GENERATORS"]


class Generator:
    """Base class: ``generate`` returns the whole text, ``stream`` yields it in pieces."""

    name = "base"

    def generate(self, question: str, evidence: Sequence[Evidence]) -> str:
        """Answer text citing ``evidence`` by 1-based ``[n]`` markers."""
        raise NotImplementedError

    def stream(self, question: str, evidence: Sequence[Evidence]) -> Iterator[str]:
        """Text pieces whose concatenation is ``generate``'s answer (default: one piece)."""
        yield self.generate(question, evidence)


class ExtractiveGenerator(Generator):
    """The best evidence sentence, plus up to ``extra`` more that score nearly as well."""

    name = "extractive"

    def __init__(self, extra: int = 1, ratio: float = 0.85) -> None:
        if extra < 0 or not (0 < ratio <= 1):
            raise ValueError(f"extra must be >= 0 and 0 < ratio <= 1, got extra={extra!r} ratio={ratio!r}")
        self.extra = extra
        self.ratio = ratio

    def generate(self, question: str, evidence: Sequence[Evidence]) -> str:
        if not evidence:
            return ""
        best = evidence[0].score
        chosen = [1]
        for n, ev in enumerate(evidence[1:], start=2):
            if len(chosen) > self.extra or ev.score < best * self.ratio:
                break
            chosen.append(n)
        # Read in document order, the way the article tells it.
        chosen.sort(key=lambda n: (evidence[n - 1].source, evidence[n - 1].start))
        return " ".join(f"{evidence[n - 1].text} [{n}]" for n in chosen)


GENERATORS: dict[str, type[Generator]] = {"extractive": ExtractiveGenerator}


def get_generator(name: str) -> Generator:
    """The generator called ``name``; a ``ValueError`` lists the valid names otherwise."""
    try:
        return GENERATORS[name]()
    except KeyError:
        raise ValueError(f"unknown generator {name!r}; choose one of {', '.join(GENERATORS)}") from None
