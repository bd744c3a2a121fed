"""Text folding for matching (never for storage): tokens, stop words, crude stems.

>>> tokenize("What did Việt Nam export?")
['viet', 'nam', 'export']
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "tokenize", "stem", "stems", "first_line_title", "STOPWORDS"]

_WORD = re.compile(r"\w\w+")
_HEADING = re.compile(r"^#{1,6} +")  # a Markdown heading's marks are not part of its title
# Only the commonest function words: dropping more hurts short factual questions.
STOPWORDS = frozenset(
    "a an and are as at be by did do does for from had has have how in is it its of on or that the their "
    "this to was were what when where which who whom why will with would".split()
)


def fold(text: str) -> str:
    """``text`` for matching, never for storage: NFKC, case-folded, accents dropped.

    >>> fold("Việt Nam")
    'viet nam'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    # Decomposed accents (NFD) become separate combining marks: drop them for matching only.
    return "".join(ch for ch in unicodedata.normalize("NFD", folded) if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Lower-cased, Unicode-folded word tokens minus stop words."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS]


def stem(word: str) -> str:
    """A crude English stem: plural/past/gerund endings off, then the first 5 letters.

    >>> [stem(w) for w in ("cities", "planned", "agree", "agreed", "passengers")]
    ['city', 'plan', 'agr', 'agr', 'passe']
    """
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    else:
        for suffix in ("ing", "ed", "es", "s"):
            if len(word) - len(suffix) >= 4 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
            word = word[:-1]
    word = word.rstrip("e") if len(word) > 3 else word
    return word[:5]


def stems(text: str) -> set[str]:
    """Content-word stems of ``text`` (see ``stem``)."""
    return {stem(w) for w in tokenize(text)}


def first_line_title(text: str, limit: int = 150) -> str:
    """A document's title: its first non-empty line (Markdown heading marks off) when at most ``limit``
    characters long, else "" (a first line that long is prose).  The one title rule: retrieval's title
    field, answerability's context and the web app's headings all use it.

    >>> first_line_title("\\n# Bridging Histories\\n\\nAmid a rapidly evolving …")
    'Bridging Histories'
    """
    for line in text.splitlines():
        line = _HEADING.sub("", " ".join(line.split()))
        if line:
            return line if len(line) <= limit else ""
    return ""
