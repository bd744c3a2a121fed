"""Which end of a span a number stands at: a claim may not make a start its end, or an end its start.

"… a comprehensive strategy … from 2021 to 2025" states 2021, so a number check passes "The target year of
the plan is 2021", though 2021 is where the plan begins.  A number has a *role* here when it is one end of a
range ("from 2021 to 2025", "April 14-15", "between 8 and 9") or when the nearest word before it in its
clause, with no other number between, marks a start ("begin", "since", "launched") or an end ("completed",
"until", "target").  A claim's number with a role must have that role at some place the evidence states
the number, unless the evidence also states it with none ("Building should start before 2025 is out and wrap
up by 2030" gives 2030 no role, so it is not compared).

>>> roles("slated to begin construction by the end of 2025 and to be completed by 2030")
{2025: {'start'}, 2030: {'end'}}
>>> switched("The target year of the plan is 2021.", "a strategy for development from 2021 to 2025")
2021
>>> switched("The plan runs from 2021 through 2025.", "a strategy for development from 2021 to 2025") is None
True

A year may also be a bound: "by 2030" and "before the end of 2025" bound from above, "after 2030" and
"since 2021" from below; a claim may not bound a year the other way (``flipped``).

>>> flipped("It is to be completed after 2030.", "slated to begin by the end of 2025 and to be completed by 2030")
2030
>>> flipped("It should start before the end of 2025.", "slated to begin by the end of 2025") is None
True
"""

from __future__ import annotations

import re

__all__ = ["roles", "switched", "bounds", "flipped"]

_MONTH = r"(?:[A-Z][a-z]+\.?\s+)?"  # "April 14 to April 15", "Apr. 14-15"
_RANGE = re.compile(rf"(?:\bbetween\s+{_MONTH}(\d{{1,4}})\s+and\s+|(?<![\d,.])\b(\d{{1,4}})\s*"
                    rf"(?:-|–|—|\bto\b|\bthrough\b|\buntil\b|\btill\b)\s*){_MONTH}(\d{{1,4}})\b(?![,.]?\d)")
_NUMBER = re.compile(r"(?<![\d,.])\b\d{1,4}\b(?![,.]?\d)")
_CLAUSE = re.compile(r"[,;:()\[\]—–.!?]\s")
_START = re.compile(r"\b(?:begin|begins|began|begun|beginning|start|starts|started|starting|"
                    r"commenc(?:e|es|ed|ing)|launch(?:es|ed|ing)?|opens|opened|opening|arriv(?:e|es|ed|ing|al)|"
                    r"from|since|kick(?:s|ed)? off)\b")
_END = re.compile(r"\b(?:(?<!the )end(?:s|ed|ing)?|finish(?:es|ed|ing)?|complet(?:e|es|ed|ing|ion)|"
                  r"conclu(?:de|des|ded|ding|sion)|until|till|target|targets|targeted|deadline|expir(?:e|es|ed|y)|"
                  r"wrap(?:s|ped)? up)\b")


def _clause_roles(clause: str, out: dict[int, set[str | None]]) -> None:
    """Roles of the numbers of one ``clause`` (ranges already taken out), from the marker nearest before."""
    last = 0
    for m in _NUMBER.finditer(clause):
        before = clause[last:m.start()].lower()
        marks = [(x.end(), "start") for x in _START.finditer(before)]
        marks += [(x.end(), "end") for x in _END.finditer(before)]
        role = max(marks)[1] if marks else None  # a number between cuts a marker off from what follows
        out.setdefault(int(m.group(0)), set()).add(role)
        last = m.end()


def roles(text: str) -> dict[int, set[str | None]]:
    """``{number: the roles it has in text}``; None for a place it has none (module doc)."""
    out: dict[int, set[str | None]] = {}
    for m in _RANGE.finditer(text):
        out.setdefault(int(m.group(1) or m.group(2)), set()).add("start")
        out.setdefault(int(m.group(3)), set()).add("end")
    rest = _RANGE.sub(" ; ", text)
    for clause in _CLAUSE.split(rest):
        _clause_roles(clause, out)
    return out


def switched(claim: str, evidence: str) -> int | None:
    """A number ``claim`` puts at one end of a span that ``evidence`` states only at the other, or None."""
    theirs = roles(evidence)
    for number, mine in roles(claim).items():
        found = theirs.get(number)
        if not found or None in found:
            continue
        if any(role is not None and role not in found for role in mine):
            return number
    return None


_UPPER, _LOWER = "upper", "lower"
_FROM_BELOW = ("after", "since", "beyond", "no earlier than")  # the rest bound a year from above
_BOUND = re.compile(rf"\b(by|before|until|till|no later than|{'|'.join(_FROM_BELOW)})\s+(?:the\s+(?:end|"
                    r"start|beginning|middle|close)\s+of\s+)?(?:[A-Z][a-z]+\.?\s+)?$", re.I)
_YEAR = re.compile(r"(?<![\d,.])\b(?:19|20)\d\d\b(?![,.]?\d)")


def bounds(text: str) -> dict[int, set[str | None]]:
    """``{year: how text bounds it}``: "upper" ("by 2030"), "lower" ("after 2030"), None where it does not."""
    out: dict[int, set[str | None]] = {}
    for m in _YEAR.finditer(text):
        b = _BOUND.search(text[max(0, m.start() - 40):m.start()])
        side = None if b is None else _LOWER if b.group(1).lower() in _FROM_BELOW else _UPPER
        out.setdefault(int(m.group(0)), set()).add(side)
    return out


def flipped(claim: str, evidence: str) -> int | None:
    """A year ``claim`` bounds one way ("after 2030") that ``evidence`` bounds only the other ("by 2030"), or None."""
    theirs = bounds(evidence)
    for year, mine in bounds(claim).items():
        found = theirs.get(year)
        if found and None not in found and any(side is not None and side not in found for side in mine):
            return year
    return None
