"""Whose office a question asks about, and which: "Who is Vietnam's president?" is not answered by "Chinese
President Xi", nor "Who is the ambassador?" by any president.

A story about two countries names both sides' office holders.  A sentence in which every mention of the
office belongs to another country ("Chinese President …", "China's president", "President of China …")
does not say who holds the asker's; one that names the office without an owner ("… To Lam and President
Luong Cuong") may.

>>> held_elsewhere("Who is Vietnam's president?", "president", "Chinese President Xi Jinping visited Hanoi.")
True
>>> held_elsewhere("Who is Vietnam's president?", "president", "Xi was hosted by To Lam and President Luong Cuong.")
False

Nor does a sentence that names the office and the body the question ties it to, but not together (``untied``):
"Director Stanley Kubrick believed that The Godfather was the greatest film" does not say who directed it.
"""

from __future__ import annotations

import re

from chat.parse import PLACES, parse
from chat.ties import joined, stated
from chat.wordnet import is_noun, related
from chat.words import fold, same_name, word_classes

__all__ = ["held_elsewhere", "may_name", "of_country", "unsaid"]

_LETTERS = r"[^\W\d_]+"


def of_country(word: str) -> bool:
    """Whether folded ``word`` names a country or capital we know, or its people ("chinese")."""
    return any(same_name(word, place) for place in PLACES)


def may_name(role: str, word: str) -> bool:
    """Whether ``word`` may name the office ``role``: a noun, and one WordNet relates to it when it knows both
    (a "leader" may be the president; a "president" is no ambassador, however close MiniLM puts them).

    >>> may_name("leader", "president"), may_name("ambassador", "president"), may_name("ambassador", "diplomat")
    (True, False, True)
    """
    return "NOUN" in word_classes(word) and (related(role, word) or not (is_noun(role) and is_noun(word)))


def held_elsewhere(question: str, role: str, text: str) -> bool:
    """Whether ``text`` names the ``role`` that ``question`` asks a country's holder of ("Vietnam's
    *president*") only as another country's."""
    asked = re.search(rf"({_LETTERS})['’]s (?:{_LETTERS} )?{re.escape(role)}\b", question, re.I)
    owner = fold(asked.group(1)) if asked else ""
    if not of_country(owner):
        return False
    mentions = list(re.finditer(rf"\b{re.escape(role)}s?\b", text, re.I))

    def others(m: re.Match) -> bool:
        # "Chinese President", "China's president", "Chinese Prime Minister", "President of China"
        before = re.search(rf"({_LETTERS})(?:['’]s)? (?:({_LETTERS}) )?$", text[: m.start()])
        after = re.match(rf" of (?:the )?({_LETTERS})", text[m.end():])
        owners = [w for x in (before, after) if x for w in x.groups() if w and w[:1].isupper()]
        return any(of_country(fold(w)) and not same_name(fold(w), owner) for w in owners)

    return bool(mentions) and all(others(m) for m in mentions)


def untied(question: str, role: str, text: str) -> bool:
    """Whether ``text`` names the office ``role`` and the body ``question`` ties it to ("the *director* of *The
    Godfather*", "*Tesla's* CEO"; a country's office is ``held_elsewhere``'s), but never the one
    with the other."""
    asked = parse(question)
    bodies = {fold(b.text) for a in asked if fold(a.text) == role for b in asked
              if b.pos_ == "PROPN" and b.text[:1].isupper() and not of_country(fold(b.text)) and joined(a, b)}
    doc = parse(text)
    return any(stated(role, body, doc, relatives=True) is False for body in bodies)  # an actor for an actress


def unsaid(question: str, role: str, text: str) -> bool:
    """Whether ``text`` cannot say who holds the office ``role`` that ``question`` asks about: it names the office
    only as another country's (``held_elsewhere``), or apart from the body asked about (``untied``).

    >>> unsaid("Who is the director of The Godfather?", "director",
    ...        "Director Stanley Kubrick believed that The Godfather was the greatest film.")
    True
    """
    return held_elsewhere(question, role, text) or untied(question, role, text)
