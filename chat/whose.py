"""Whose office a question asks about: "Who is Vietnam's president?" is not answered by "Chinese President Xi".

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
from chat.words import fold, same_name

__all__ = ["held_elsewhere"]

_LETTERS = r"[^\W\d_]+"


def _country(word: str) -> bool:
    """Whether folded ``word`` names a country or capital we know, or its people ("chinese")."""
    return any(same_name(word, place) for place in PLACES)


def held_elsewhere(question: str, role: str, text: str) -> bool:
    """Whether ``text`` names the ``role`` that ``question`` asks a country's holder of ("Vietnam's
    *president*") only as another country's."""
    asked = re.search(rf"({_LETTERS})['’]s (?:{_LETTERS} )?{re.escape(role)}\b", question, re.I)
    owner = fold(asked.group(1)) if asked else ""
    if not _country(owner):
        return False
    mentions = list(re.finditer(rf"\b{re.escape(role)}s?\b", text, re.I))

    def others(m: re.Match) -> bool:
        # "Chinese President", "China's president", "Chinese Prime Minister", "President of China"
        before = re.search(rf"({_LETTERS})(?:['’]s)? (?:({_LETTERS}) )?$", text[: m.start()])
        after = re.match(rf" of (?:the )?({_LETTERS})", text[m.end():])
        owners = [w for x in (before, after) if x for w in x.groups() if w and w[:1].isupper()]
        return any(_country(fold(w)) and not same_name(fold(w), owner) for w in owners)

    return bool(mentions) and all(others(m) for m in mentions)
