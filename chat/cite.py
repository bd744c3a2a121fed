"""Markers → verified Citations.

The generator writes ``[n]`` where ``n`` numbers the evidence it was shown.  ``cite`` maps each
marker to its evidence span, renumbers markers 1, 2, 3… in order of first appearance, removes any
marker that points nowhere, and checks every quote against the stored document text; a citation
that fails the check is dropped with its markers, never shown.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    text, cites = cite("Chili [2].", evidence, doc_text)
    text, cites[0].marker
    # → ('Chili [1].', 1)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from chat.evidence import Evidence
from chat.types import Citation

__all__ = ["cite", "MARKER", "BARE_MARKER"]

BARE_MARKER = re.compile(r"\[(\d{1,3})\]")  # "[n]" as written
MARKER = re.compile(r"\s?" + BARE_MARKER.pattern)  # with the space before it, which goes when it goes


def cite(text: str, evidence: Sequence[Evidence], doc_text: Callable[[str], str]) -> tuple[str, list[Citation]]:
    """``text`` with markers renumbered and only verified ones kept, plus their citations in order."""
    renumber: dict[int, int] = {}
    citations: list[Citation] = []
    for m in MARKER.finditer(text):
        n = int(m.group(1))
        if n in renumber or not (1 <= n <= len(evidence)):
            continue
        ev = evidence[n - 1]
        try:
            source_text = doc_text(ev.source)
        except KeyError:
            continue
        if source_text[ev.start : ev.end] != ev.text:
            continue  # the store changed under us, or a bug: never show an unverified quote
        renumber[n] = len(renumber) + 1
        citations.append(Citation(renumber[n], ev.source, ev.start, ev.end, ev.text))

    def sub(m: re.Match) -> str:
        n = renumber.get(int(m.group(1)))
        return f"{m.group(0)[: -len(m.group(0).lstrip())]}[{n}]" if n else ""

    out = MARKER.sub(sub, text)
    # Collapse duplicate adjacent markers such as "[1][1]" left by the renumbering.
    out = re.sub(r"(\[\d+\])(?:\s?\1)+", r"\1", out)
    return out.strip(), citations
