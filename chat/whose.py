"""Whose office a question asks about, and which: "Who is Vietnam's president?" is not answered by "Chinese
President Xi", nor "Who is the ambassador?" by any president.

A story about two countries names both sides' office holders.  A sentence in which every mention of the
office belongs to another country ("Chinese President …", "China's president", "General Secretary of the
Communist Party of China …", as the parse ties them) does not say who holds the asker's; one that names the
office without an owner ("… To Lam and President Luong Cuong") may.

>>> held_elsewhere("Who is Vietnam's president?", "president", "Chinese President Xi Jinping visited Hanoi.")
True
>>> held_elsewhere("Who is Vietnam's president?", "president", "Xi was hosted by To Lam and President Luong Cuong.")
False

Nor does a sentence that names the office and the body the question ties it to, but not together (``untied``):
"Director Stanley Kubrick believed that The Godfather was the greatest film" does not say who directed it.
"""

from __future__ import annotations

import functools
from collections.abc import Set
from typing import Any

from chat.parse import PLACES, parse
from chat.ties import joined, meeting, stated
from chat.wordnet import is_noun, related
from chat.words import SEATS, fold, same_name, word_classes

__all__ = ["held_elsewhere", "may_name", "of_country", "owned_elsewhere", "unsaid"]

_APART = frozenset({"conj", "appos"})  # links to another holder: "Xi, …, and To Lam, general secretary of …"


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


def _country(token: Any) -> str:
    """The country (or people) capitalised ``token`` names, folded, or "": by itself ("China", "Chinese") or with
    the next word ("Việt Nam").  Not a city, capital or not: "Hà Nội" in "the Lào Cai – Hà Nội – Hải Phòng
    railway" names a stop, not an owner."""
    if not token.text[:1].isupper():
        return ""
    word = fold(token.text)
    after = token.nbor() if token.i + 1 < len(token.doc) else None
    pair = word + fold(after.text) if after is not None and after.text[:1].isupper() else ""
    return next((w for w in (word, pair) if w and w not in SEATS and of_country(w)), "")


def _owners(office: Any) -> set[str]:
    """The countries token ``office`` is said to be of, folded: "*Chinese* President", "*China's* president", "the
    president of *China*", "the general secretary of the Communist Party of *China*"; not "the ambassador *to*
    China", another country's envoy.  Those of its own phrase if it has any, else the nearest the parse ties to
    it ("*Chinese* President Xi", which the parser may read as "Chinese Xi"), not those of a second office holder
    named in the same breath."""
    ways: dict[str, tuple[Any, list[Any]]] = {}  # country → (where the parse joins it to the office, the way)
    for token in office.doc:
        country = _country(token)
        if token.i == office.i or not country or not joined(office, token):
            continue
        head, mine, theirs = meeting(office, token)
        way = mine[1:] + theirs[1:] + [head]
        # Through "of" or a copula ("Xi is the President of China"), not a verb: "Korean leaders received
        # Lund" does not make Lund Korean, though the tie reads "Xi undertook a visit" as "Xi's visit".
        if head.pos_ != "VERB" and all(t.lower_ == "of" for t in way if t.dep_ == "prep"):
            ways[country] = (head, way)
    own = {c for c, (head, way) in ways.items() if head.i == office.i and not any(t.dep_ in _APART for t in way[:-1])}
    nearest = min((len(way) for _, way in ways.values()), default=0)
    return own or {c for c, (_, way) in ways.items() if len(way) == nearest}


def _elsewhere(mentions: list[Any], countries: Set[str]) -> bool:
    """Whether there are ``mentions`` and every one belongs to a country, none of them one of ``countries``."""
    return bool(mentions) and all((owners := _owners(t)) and not any(same_name(o, c) for o in owners for c in countries)
                                  for t in mentions)


@functools.lru_cache(maxsize=256)
def _asked_owners(question: str, role: str) -> frozenset[str]:
    """The countries ``question`` asks the office ``role`` of: read once per question, not per sentence judged."""
    return frozenset(c for t in parse(question) if _is_role(t, role) for c in _owners(t))


def held_elsewhere(question: str, role: str, text: str) -> bool:
    """Whether ``text`` names the ``role`` that ``question`` asks a country's holder of ("Vietnam's
    *president*", "the general secretary of the Communist Party of *Vietnam*") only as another country's."""
    asked = _asked_owners(question, role)
    return bool(asked) and _elsewhere([t for t in parse(text) if _is_role(t, role)], asked)


def owned_elsewhere(claim: str, evidence: str) -> str | None:
    """The first thing the English ``claim`` says is a country's ("the *President of Vietnam*") that ``evidence``
    names only as other countries' ("Chinese President Xi"), as "thing of country"; or None.  A holder is
    his office's: "Xi is the President of Vietnam" gives Xi to Vietnam.

    >>> owned_elsewhere("Xi Jinping is the President of Vietnam.", "Chinese President Xi Jinping visited Hanoi.")
    'xi of vietnam'
    >>> owned_elsewhere("Xi Jinping is the President of China.", "Chinese President Xi Jinping visited Hanoi.")
    """
    doc = parse(evidence)
    for token in parse(claim):
        mine = _owners(token) if token.pos_ in ("NOUN", "PROPN") else set()
        if not mine:
            continue
        if _elsewhere([t for t in doc if _is_role(t, fold(token.lemma_))], mine):
            return f"{fold(token.lemma_)} of {min(mine)}"
    return None


def _is_role(token: Any, role: str) -> bool:
    return fold(token.text) == role or fold(token.lemma_) == role


def untied(question: str, role: str, text: str) -> bool:
    """Whether ``text`` names the office ``role`` and the body ``question`` ties it to ("the *director* of *The
    Godfather*", "*Tesla's* CEO"; a country's office is ``held_elsewhere``'s), but never the one
    with the other."""
    doc = parse(text)
    # relatives: an actor for an actress
    return any(stated(role, body, doc, relatives=True) is False for body in _bodies(question, role))


@functools.lru_cache(maxsize=256)
def _bodies(question: str, role: str) -> frozenset[str]:
    """The names, folded, that ``question`` ties the office ``role`` to, countries aside: once per question."""
    asked = parse(question)
    return frozenset(fold(b.text) for a in asked if fold(a.text) == role for b in asked
                     if b.pos_ == "PROPN" and b.text[:1].isupper() and not of_country(fold(b.text)) and joined(a, b))


def unsaid(question: str, role: str, text: str) -> bool:
    """Whether ``text`` cannot say who holds the office ``role`` that ``question`` asks about: it names the office
    only as another country's (``held_elsewhere``), or apart from the body asked about (``untied``).

    >>> unsaid("Who is the director of The Godfather?", "director",
    ...        "Director Stanley Kubrick believed that The Godfather was the greatest film.")
    True
    """
    return held_elsewhere(question, role, text) or untied(question, role, text)
