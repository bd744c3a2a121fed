"""Whose "its" is: a possessive pronoun stands for its clause's subject when that subject is a name.

"China, in turn, highlighted Việt Nam as a key focus of its neighborhood diplomacy": the diplomacy is
China's, so a claim that says "China's neighborhood diplomacy" states what the sentence does, and one
that says "Việt Nam's" does not.  Only "its" and "their", and only a named subject of the nearest verb
above the pronoun: "his"/"her" and subjects that are not names are left alone (the small parser's
reach).

>>> possessors_written("China highlighted Laos as a focus of its neighborhood diplomacy.")
"China's neighborhood diplomacy"
"""

from __future__ import annotations

from typing import Any

from chat.parse import parse

__all__ = ["name_of", "possessor", "possessors_written"]

_PRONOUNS = frozenset({"its", "their"})


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
