"""chat.complete: the sentence a verified answer left out, added with its own exact citation."""

from __future__ import annotations

from chat.cite import cite
from chat.complete import completed
from chat.evidence import Evidence

DOCS = {"a.txt": "Work on the tram will commence soon. The tram opens by the end of 2026. It has ten stops.",
        "b.txt": "The Eastport line opens in May 2027."}


def ev(source: str, sentence: str, score: float) -> Evidence:
    start = DOCS[source].index(sentence)
    return Evidence(source, start, start + len(sentence), sentence, score=score, dense=score, lexical=0.0)


SOON = ev("a.txt", "Work on the tram will commence soon.", 0.5)
DATED = ev("a.txt", "The tram opens by the end of 2026.", 0.7)
STOPS = ev("a.txt", "It has ten stops.", 0.4)
OTHER = ev("b.txt", "The Eastport line opens in May 2027.", 0.3)


def complete(question: str, draft: str, shown: list[Evidence]):
    text, citations = cite(draft, shown, DOCS.__getitem__)
    return completed(question, text, citations, shown, DOCS.__getitem__)


def test_soon_gets_the_date_that_ranks_above_it():
    text, citations = complete("When will the tram open?", "Work will commence soon [1].", [SOON, DATED])
    assert text == "Work will commence soon [1]. The tram opens by the end of 2026. [2]"
    assert [(c.marker, c.quote) for c in citations] == [(1, SOON.text), (2, DATED.text)]
    assert all(DOCS[c.source][c.start:c.end] == c.quote for c in citations)


def test_nothing_is_added_when_the_answer_dates_it_or_nothing_better_ranks():
    assert complete("When will the tram open?", "It opens by the end of 2026 [2].", [SOON, DATED])[0] == \
        "It opens by the end of 2026 [1]."
    lower = ev("a.txt", "The tram opens by the end of 2026.", 0.2)
    assert complete("When will the tram open?", "Work will commence soon [1].", [SOON, lower])[0] == \
        "Work will commence soon [1]."
    assert complete("How many stops?", "It has ten stops [1].", [STOPS, DATED])[0] == "It has ten stops [1]."


def test_an_answer_from_one_article_gets_the_other_when_both_were_asked_about():
    text, citations = complete("What does each article say about when it opens?", "By 2026 [1].", [DATED, OTHER])
    assert text.endswith("The Eastport line opens in May 2027. [2]") and {c.source for c in citations} == {
        "a.txt", "b.txt"}
