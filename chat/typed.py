"""A question as people type it, tidied for the rules that read it: names in lower case, a possessive
without its apostrophe, a misspelt question word.

"who is vietnams president" and "wich province borders lao cai" ask what "Who is Vietnam's president?"
and "Which province borders Lao Cai?" ask, but the rules (``chat.answerable``) know a name by its
capital, the country a role belongs to by its possessive, and a question about a kind by "which".  They
read the tidied question; the model and the reply keep the user's words.

A word is capitalised as the retrieved passages write it when they never write it in lower case and the
lexicon knows it as no common word, or as a country ("china"): "president" stays as typed, though the
passages write "President Lương Cường".  A question word is put right only when one is a single slip away
and the word is neither English nor in the passages.

>>> tidied("who is vietnams president", ["President Lương Cường of Vietnam.", "Vietnam’s president spoke."])
"who is Vietnam's president"
>>> tidied("wich province borders lao cai", ["Lao Cai borders China’s Yunnan Province."])
'which province borders Lao Cai'
>>> tidied("what did china say about asean", ["China backs ASEAN centrality."])
'what did China say about ASEAN'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from chat.kinds import QUESTION_WORDS
from chat.words import COUNTRIES, FUNCTION, WORD, fold, word_classes

__all__ = ["tidied"]

_POSSESSIVE = re.compile(r"(['’]s)$")


def tidied(question: str, texts: Iterable[str]) -> str:
    """``question`` with its lower-case names written as ``texts`` write them and a misspelt question word
    put right; unchanged when there is nothing to tidy."""
    forms, lower = _names(texts)

    def name(word: str) -> str | None:
        key = fold(word)
        if key in forms and key not in lower and (not word_classes(key) or key in COUNTRIES):
            return forms[key]
        return None

    def tidy(m: re.Match) -> str:
        word = m.group(0)
        if not word.islower():
            return word
        base = _POSSESSIVE.sub("", word)
        if (named := name(base)) is not None:
            return named + word[len(base):]
        key = fold(word)
        if key in lower or key in forms or key in FUNCTION or word_classes(key):
            return word
        if key.endswith("s") and len(key) > 2:  # "vietnams president", "whats": the apostrophe left out
            if key[:-1] in QUESTION_WORDS:
                return f"{key[:-1]}'s"
            if (named := name(base[:-1])) is not None:
                return f"{named}'s"
        near = [q for q in QUESTION_WORDS if _one_slip(key, q)]
        return near[0] if len(near) == 1 else word

    return WORD.sub(tidy, question)


def _names(texts: Iterable[str]) -> tuple[dict[str, str], set[str]]:
    """Each folded word the texts write capitalised, with its commonest written form; and those they also
    write in lower case."""
    seen: dict[str, Counter] = {}
    lower: set[str] = set()
    for text in texts:
        for m in WORD.finditer(text):
            word = _POSSESSIVE.sub("", m.group(0))
            key = fold(word)
            if word[:1].isupper():
                seen.setdefault(key, Counter())[word] += 1
            elif word[:1].islower():
                lower.add(key)
    return {key: forms.most_common(1)[0][0] for key, forms in seen.items()}, lower


def _one_slip(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with one letter dropped, added, changed, or two neighbours swapped."""
    if typed == word or abs(len(typed) - len(word)) > 1 or len(typed) < 3:
        return False
    if len(typed) == len(word):
        diff = [i for i, (a, b) in enumerate(zip(typed, word)) if a != b]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and typed[diff[0]] == word[diff[1]] and typed[diff[1]] == word[diff[0]])
    short, long_ = sorted((typed, word), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
