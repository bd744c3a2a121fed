"""What kind of sentence a passage holds, before what it says: one that asks, a heading, a dateline.

A sentence can hold every word of a question and still state nothing: it may itself be a question
("Who directed Titanic and Avatar?"), a section heading ("People-to-People Ties and Cultural Exchange"),
or open with the date it was published ("Oct 20, 2021 ... Google Pixel 6: release date.").

>>> states_nothing("Who directed Titanic and Avatar?"), states_nothing("Retail Payments and QR Codes")
(True, True)
>>> states_nothing("Trade grew by 5 percent in May.")
False
>>> undated("Oct 20, 2021 ... Google Pixel 6: release date.")
'Google Pixel 6: release date.'
"""

from __future__ import annotations

import re

from chat.words import FUNCTION, WORD, fold

__all__ = ["states_nothing", "undated"]

# A date that opens a passage, set off by an ellipsis or a dash, is when it was published (a search
# snippet's "Oct 20, 2021 ... ", a wire story's dateline), not a date the passage states.
_DATELINE = re.compile(r"^\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]{2,8}\.? \d{4})"
                       r"\s*(?:\.{3}|…|-|–|—)\s*")
# A wire story's place line ("COPENHAGEN, Denmark — ", "SCOTTSDALE, Ariz. -- "): where it was filed.
_PLACELINE = re.compile(r"^\s*(?:\.{3}\s*)?[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)*)?"
                        r"\s*(?:--|—|–)\s*")
_CLOSING = ".!?。！？…\"”’')"
HEADING_CAPITALS = 0.6  # share of a line's content words capitalised that makes it a heading


def _heading(text: str) -> bool:
    """A line in title case with no closing punctuation: it names a topic and states nothing about it."""
    words = [w for w in WORD.findall(text) if fold(w) not in FUNCTION]
    if not words or text.rstrip()[-1:] in _CLOSING:
        return False
    return sum(w[:1].isupper() for w in words) >= HEADING_CAPITALS * len(words)


def states_nothing(text: str) -> bool:
    """Whether ``text`` is a question or a heading, so no answer can be read from it."""
    return text.rstrip().endswith(("?", "？")) or _heading(text)


def undated(text: str) -> str:
    """``text`` without the date and place that open it as a dateline (unchanged when there is none).

    >>> undated("Apr 30, 2018 ... COPENHAGEN, Denmark — No prize was given.")
    'No prize was given.'
    """
    return _PLACELINE.sub("", _DATELINE.sub("", text))
