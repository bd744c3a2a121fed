"""A noun keeps its kind: "Chinese *financial* assistance" is not "Chinese *technical* assistance".

Adjectives and verbs may paraphrase ("help" for "assist"), so the claim check does not require them
in the evidence.  But a word that classifies a noun the evidence also uses is no paraphrase when the
evidence gives that noun another classifier the claim drops: "financial" takes the place of
"technical", "wholesale" of "retail".  A classifier the evidence uses anywhere, a near-synonym of the
one it replaced ("farm" for "agricultural"), or an adjective with degrees, which describes rather than
classifies ("four *straight* years" for "four consecutive years"), is kept.

>>> reclassified("Chinese financial assistance supports the study.",
...              "The study, supported by Chinese technical assistance, is a priority.", None)
'financial'
>>> reclassified("Chinese technical assistance supports the study.",
...              "The study, supported by Chinese technical assistance, is a priority.", None) is None
True

Nor is a holder the evidence calls *former* the present one: "Ada Berg, the former president of the league"
does not say "Ada Berg is the president of the league" (``bygone``), though it does say she was.

>>> bygone("Ada Berg is the president of the league.", "Ada Berg, the former president of the league, spoke.")
'former president'
>>> bygone("Ada Berg was president of the league.", "Ada Berg, the former president of the league, spoke.")
"""

from __future__ import annotations

from typing import Any

from chat.parse import parse
from chat.words import content_words, gradable, near
from vectorstore.text import stem

__all__ = ["reclassified", "bygone"]

_CLASSIFYING = frozenset({"amod", "compound"})
# Words that put what a noun names in the past: "the *former* president", "Xi's *previous* visit".
_BYGONE = frozenset({"former", "ex", "previous", "onetime", "erstwhile", "outgoing"})


def _classifiers(doc: Any) -> dict[str, set[str]]:
    """``{noun lemma: the lemmas of the words classifying it}`` in a parsed text."""
    out: dict[str, set[str]] = {}
    for t in doc:
        head = t.head
        if t.dep_ not in _CLASSIFYING and not (t.dep_ == "conj" and head.dep_ in _CLASSIFYING):
            continue  # a conjunct classifies too: "naval and *coast guard* activities"
        while head.dep_ in _CLASSIFYING and head.head is not head:
            head = head.head  # "*retail* payment systems" classifies the systems, however it is parsed
        # Lower case only: a name ("*Chinese* assistance", "the *Hanoi* office") is checked as a name.
        if t.pos_ in ("ADJ", "NOUN", "PROPN") and t.text.islower() and head.pos_ == "NOUN":
            out.setdefault(head.lemma_.lower(), set()).add(t.lemma_.lower())
    return out


def reclassified(claim: str, evidence: str, embedder: Any) -> str | None:
    """The first classifier of English ``claim`` that replaces another the evidence gives the same noun,
    or None."""
    theirs = _classifiers(parse(evidence))
    stated = {stem(w) for w in content_words(evidence)}
    doc = parse(claim)
    said = {t.lemma_.lower() for t in doc}
    for noun, mine in _classifiers(doc).items():
        dropped = sorted(theirs.get(noun, set()) - said)
        for word in sorted(mine):
            if dropped and stem(word) not in stated and not gradable(word) and not near(word, dropped, embedder):
                return word
    return None


def _mark(token: Any) -> str | None:
    """The word that puts ``token`` in the past ("former"), or None."""
    return next((c.lower_ for c in token.children if c.lower_ in _BYGONE), None)


def _past(token: Any) -> bool:
    """Whether the verb ``token`` hangs on is in the past ("Ada Berg *was* president", "had been")."""
    head = token.head
    return head.tag_ in ("VBD", "VBN") or any(c.tag_ in ("VBD", "VBN") for c in head.children if c.dep_ == "aux")


def bygone(claim: str, evidence: str) -> str | None:
    """"former president" (the evidence's words) when English ``claim`` speaks in the present of a noun that
    the evidence, every time it uses it, marks as past; else None."""
    marks: dict[str, set[str | None]] = {}
    for t in parse(evidence):
        if t.pos_ == "NOUN":
            marks.setdefault(t.lemma_.lower(), set()).add(_mark(t))
    for t in parse(claim):
        had = marks.get(t.lemma_.lower(), {None})
        if t.pos_ == "NOUN" and None not in had and _mark(t) is None and not _past(t):
            return f"{sorted(had)[0]} {t.lemma_.lower()}"
    return None
