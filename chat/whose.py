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
"""

from __future__ import annotations

import re

from chat.parse import PLACES
from chat.wordnet import is_noun, related
from chat.words import fold, same_name, word_classes

__all__ = ["held_elsewhere", "may_name", "of_country"]

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
