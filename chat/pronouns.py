"""Whose a thing is, written out: "its" and "their" for the named subject of their clause, and the act a
name undertakes ("Xi undertook a state visit": Xi's state visit).

"China, in turn, highlighted Việt Nam as a key focus of its neighborhood diplomacy": the diplomacy is
China's, so a claim that says "China's neighborhood diplomacy" states what the sentence does, and one
that says "Việt Nam's" does not.  Only "its" and "their", and only a named subject of the nearest verb
above the pronoun: "his"/"her" and subjects that are not names are left alone (the small parser's
reach).

>>> possessors_written("China highlighted Laos as a focus of its neighborhood diplomacy.")
"China's neighborhood diplomacy"

A verb whose object is its doer's own act (``_OWN_ACTS``) makes the act the doer's, under the whole name
and under each word of it, as a claim may shorten it:

>>> print(acts_written("President Xi Jinping undertook a state visit to Laos."))
President Xi Jinping's state visit
President's state visit
Xi's state visit
Jinping's state visit
"""

from __future__ import annotations

from typing import Any

from chat.parse import parse

__all__ = ["acts_written", "name_of", "possessor", "possessors_written"]

_PRONOUNS = frozenset({"its", "their"})
# Verbs whose object is the doer's own act: a visit undertaken, talks held, a speech given.
_OWN_ACTS = frozenset("undertake pay make conduct hold host lead give deliver".split())


def possessor(token: Any) -> Any | None:
    """The name token (the head of a named subject) that the possessive pronoun ``token`` stands for, or None."""
    if token.lower_ not in _PRONOUNS or token.dep_ != "poss":
        return None
    verb = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None) if verb else None
    return subject if subject is not None and subject.pos_ == "PROPN" else None


def name_of(subject: Any) -> list[Any]:
    """The tokens of the name ``subject`` heads: "Việt" and "Nam" of "Việt Nam"."""
    return [t for t in subject.subtree if t.pos_ == "PROPN" and t.i <= subject.i
            and (t.i == subject.i or t.dep_ in ("compound", "flat"))]


def possessors_written(text: str) -> str:
    """Each "its/their N" of ``text`` whose owner ``possessor`` finds, written "Name's N", one per line."""
    doc, out = parse(text), []
    for token in doc:
        subject = possessor(token)
        if subject is not None and token.head.i > token.i:
            name = " ".join(t.text for t in name_of(subject))
            out.append(f"{name}'s {doc[token.i + 1: token.head.i + 1].text}")
    return "\n".join(out)


def acts_written(text: str) -> str:
    """Each act a named doer (or a name joined to it by "and") undertakes in ``text`` (module doc), written
    "Name's act", one per line."""
    doc, out = parse(text), []
    for verb in doc:
        if verb.pos_ != "VERB" or verb.lemma_ not in _OWN_ACTS:
            continue
        act = next((c for c in verb.children if c.dep_ == "dobj"), None)
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if act is None or subject is None:
            continue
        start = min((t.i for t in act.subtree if t.i <= act.i and t.dep_ not in ("det", "poss")), default=act.i)
        thing = doc[start: act.i + 1].text
        doers = [subject] + [c for c in subject.subtree if c.dep_ == "conj" and c.head.i == subject.i]
        for doer in (d for d in doers if d.pos_ == "PROPN"):
            name = [t.text for t in name_of(doer)]
            for owner in [" ".join(name)] + (name if len(name) > 1 else []):
                out.append(f"{owner}'s {thing}")
    return "\n".join(out)
