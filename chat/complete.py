"""A verified answer that leaves out what was asked for, completed from the evidence the model was shown.

Two gaps a small model leaves: a question about *each* or *both* articles answered from one of them, and a
*when* question answered with "soon" (or no date at all) when a sentence that ranks higher gives the date.
Either way the missing sentence is added as it stands, with its own exact citation, never rewritten.

>>> from chat.cite import cite
>>> from chat.evidence import Evidence
>>> soon = Evidence("a.txt", 0, 24, "Work will commence soon.", score=0.5, dense=0.5, lexical=0.0)
>>> dated = Evidence("a.txt", 25, 56, "Work begins by the end of 2025.", score=0.7, dense=0.6, lexical=0.0)
>>> doc = {"a.txt": "Work will commence soon. Work begins by the end of 2025."}
>>> answer = "Work will commence soon [1]."
>>> completed("When will work begin?", answer, cite(answer, [soon], doc.get)[1], [soon, dated], doc.get)[0]
'Work will commence soon [1]. Work begins by the end of 2025. [2]'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from chat.answerable import CROSS
from chat.cite import cite
from chat.evidence import Evidence
from chat.kinds import asks, exact
from chat.types import Citation

__all__ = ["completed"]


def completed(question: str, text: str, citations: list[Citation], shown: Sequence[Evidence],
              doc_text: Callable[[str], str]) -> tuple[str, list[Citation]]:
    """``text`` and ``citations`` with the sentence the question needs and the answer left out, if any."""
    return _add(text, citations, _missing(question, citations, shown), doc_text)


def _missing(question: str, citations: list[Citation], shown: Sequence[Evidence]) -> Evidence | None:
    cited = {(c.source, c.start) for c in citations}
    if CROSS.search(question) and len({c.source for c in citations}) == 1:
        return next((ev for ev in shown if ev.source != citations[0].source), None)
    kind = asks(question)
    if kind in ("date", "day", "year") and not any(exact(kind, c.quote) for c in citations):
        # An answer to *when* with no date, or only "soon", stands only if no sentence ranked above it dates it.
        bar = max((ev.score for ev in shown if (ev.source, ev.start) in cited), default=0.0)
        return next((ev for ev in shown if ev.score > bar and exact(kind, ev.text)), None)
    return None


def _add(text: str, citations: list[Citation], ev: Evidence | None,
         doc_text: Callable[[str], str]) -> tuple[str, list[Citation]]:
    if ev is None:
        return text, citations
    _, found = cite(f"{ev.text} [1]", [ev], doc_text)
    if not found:
        return text, citations
    n = len(citations) + 1
    return f"{text} {ev.text} [{n}]", [*citations, dataclasses.replace(found[0], marker=n)]
