"""The names a claim uses, and the first one its evidence does not name.

A name is a capitalised word (``names``).  The evidence names it when it has the word with accents folded,
or writes it in two words ("Viet Nam" for "Vietnam"), or in one where the claim has two ("Hanoi" for "Hà
Nội": a translated Vietnamese question keeps the Vietnamese spelling, and the model's answer with it).  A
country does not stand for its people here, nor a capital for its country, as they do for a question's
names (``chat.words.same_name``): "the *Vietnamese* section" is not said by "the Chinese section of the
China-*Vietnam* Friendship Pass", nor "a centre in Beijing" by "a centre in China".

>>> unnamed("Both sides met in Hà Nội.", "Leaders met in Hanoi.")
>>> unnamed("Japan will fund it.", "China will."), unnamed("The Vietnamese section.", "The China-Vietnam pass.")
('japan', 'vietnamese')
"""

from __future__ import annotations

import re

from chat.words import FUNCTION, fold, is_thing, tokens

__all__ = ["names", "unnamed", "written_apart"]


def names(text: str) -> list[str]:
    """Capitalised words that name something, folded: what must be named in the evidence.

    A capitalised word opening a sentence is a name only if it cannot be an ordinary verb or
    adjective ("Building should start" opens with a word, "Japan will fund" with a name).

    >>> names("Both sides met in Hà Nội. Japan was not there. Building starts soon.")
    ['ha', 'noi', 'japan']
    """
    out = []
    opening = True
    for m in re.finditer(r"[^\W_]+(?:['’][^\W_]+)?|[.!?]", text):
        word = m.group(0)
        if word in ".!?":
            opening = True
            continue
        bare = fold(word).removesuffix("'s")
        if word[:1].isupper() and bare not in FUNCTION and (not opening or is_thing(bare)):
            out.append(fold(word))
        opening = False
    return out


def unnamed(claim: str, evidence: str) -> str | None:
    """The first of ``claim``'s names (folded, as ``names`` gives them) that ``evidence`` does not name."""
    words = [t.removesuffix("'s") for t in tokens(evidence)]
    have = set(words) | {a + b for a, b in zip(words, words[1:])}
    apart = written_apart(claim, have)
    for name in names(claim):
        bare = name.removesuffix("'s")
        if bare not in have and bare not in apart:
            return name
    return None


def written_apart(claim: str, words: set[str]) -> set[str]:
    """The words of ``claim`` that, with the word beside them, make one of ``words`` (the evidence's).

    >>> sorted(written_apart("Both met in Hà Nội.", {"hanoi"})), written_apart("Ha Long", {"hanoi"})
    (['ha', 'noi'], set())
    """
    said = [t.removesuffix("'s") for t in tokens(claim)]
    return {w for a, b in zip(said, said[1:]) if a + b in words for w in (a, b)}
