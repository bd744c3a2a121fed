"""Markers become verified citations; anything that cannot be verified is dropped, never shown."""

from __future__ import annotations

from chat.cite import cite
from chat.evidence import Evidence

DOC = "Alpha is first. Beta is second. Gamma is third."
DOCS = {"d.txt": DOC}


def ev(quote: str, source: str = "d.txt", start: int | None = None) -> Evidence:
    s = DOC.index(quote) if start is None else start
    return Evidence(source, s, s + len(quote), quote, 0.9, 0.9, 0.9)


def lookup(source: str) -> str:
    return DOCS[source]


def test_markers_renumbered_in_order_of_appearance():
    evidence = [ev("Alpha is first."), ev("Beta is second."), ev("Gamma is third.")]
    text, cites = cite("Gamma [3]. Alpha [1]. Gamma again [3].", evidence, lookup)
    assert text == "Gamma [1]. Alpha [2]. Gamma again [1]."
    assert [(c.marker, c.quote) for c in cites] == [(1, "Gamma is third."), (2, "Alpha is first.")]
    for c in cites:
        assert DOC[c.start : c.end] == c.quote


def test_markers_pointing_nowhere_are_removed():
    text, cites = cite("Claim [7] and [0] and [1].", [ev("Beta is second.")], lookup)
    assert text == "Claim and and [1]."
    assert len(cites) == 1


def test_quote_that_does_not_match_the_document_is_dropped():
    forged = Evidence("d.txt", 0, 15, "Alpha is FIRST.", 0.9, 0.9, 0.9)  # same length, wrong text
    text, cites = cite("Forged [1]. Real [2].", [forged, ev("Beta is second.")], lookup)
    assert text == "Forged. Real [1]."
    assert [c.quote for c in cites] == ["Beta is second."]


def test_unknown_source_is_dropped():
    text, cites = cite("X [1].", [ev("Alpha is first.", source="gone.txt", start=0)], lookup)
    assert cites == [] and "[" not in text


def test_adjacent_duplicate_markers_collapse():
    text, _ = cite("A [2][2] b [2] [2].", [ev("Alpha is first."), ev("Beta is second.")], lookup)
    assert text == "A [1] b [1]."
