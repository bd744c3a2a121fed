"""A number keeps its hedge: "more than 40 agreements" is not "40 agreements", nor "fewer than 40".

The claim check finds every number of a claim among the evidence's numbers; a claim that drops the
"more than" before one, or turns it into "exactly", "just" or "fewer than", still names the same number
and states something else.  A hedge in other words ("over", "topped", "upwards of", "300-plus") keeps it.

>>> hedge_dropped("The plan contains 300 reform tasks.", "It sets out more than 300 reform tasks.")
'300'
>>> hedge_dropped("The plan contains over 300 reform tasks.", "It sets out more than 300 reform tasks.") is None
True
>>> hedge_dropped("Trade topped $200 billion.", "Trade kept surpassing $200 billion.") is None
True
"""

from __future__ import annotations

import re

from chat.words import number_spans

__all__ = ["hedge_dropped", "hedge", "ABOVE", "BELOW", "ROUGHLY", "EXACT"]

ABOVE, BELOW, ROUGHLY, EXACT = "above", "below", "roughly", "exact"
_BEFORE = [
    (ABOVE, r"more than|over|above|beyond|exceeding|exceeded|exceeds|exceed|surpassing|surpassed|surpasses|"
            r"surpass|topping|topped|tops|top|passing|passed|at least|upwards of|in excess of|no fewer than|"
            r"no less than|greater than"),
    (BELOW, r"less than|fewer than|under|below|up to|at most|nearly|almost|just under|short of|no more than"),
    (ROUGHLY, r"about|around|roughly|approximately|some|close to|an estimated|estimated"),
    (EXACT, r"exactly|precisely|just|only|a mere"),
]
# A hedge right before the number (a currency sign may sit between), or "-plus" / "+" right after it.
_HEDGE_BEFORE = [(kind, re.compile(rf"\b(?:{words})\s+(?:the\s+)?(?:US)?[$€£¥]?\s*$", re.I))
                 for kind, words in _BEFORE]
_PLUS_AFTER = re.compile(r"^(?:\+|-plus\b|\s+plus\b|\s+or more\b)", re.I)


def hedge(text: str, start: int, end: int) -> str | None:
    """How ``text`` hedges the number at ``start:end``: ``ABOVE``, ``BELOW``, ``ROUGHLY``, ``EXACT`` or None."""
    if _PLUS_AFTER.match(text[end:end + 8]):
        return ABOVE
    before = text[max(0, start - 30):start]
    return next((kind for kind, pattern in _HEDGE_BEFORE if pattern.search(before)), None)


def hedge_dropped(claim: str, evidence: str) -> str | None:
    """The first number of ``claim`` that every mention of in ``evidence`` hedges ("more than 300") while
    the claim states it bare, exactly, or hedged the other way; None when there is none."""
    ev_text, ev_spans = number_spans(evidence)
    text, spans = number_spans(claim)
    for start, end, values in spans:
        theirs = {hedge(ev_text, s, e) for s, e, v in ev_spans if v & values}
        if not theirs or None in theirs:
            continue  # the evidence states it bare somewhere (or not at all: another rule's business)
        mine = hedge(text, start, end)
        if mine is None or mine == EXACT or {mine, *theirs} >= {ABOVE, BELOW}:
            return text[start:end]
    return None
