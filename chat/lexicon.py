"""The English lexicon (``lemminflect``): imported once, without the spaCy it would pull in, and the
lemmas of a word, which tell a word's forms apart better than a crude stem does.

>>> sorted(lemmas("grew")), sorted(lemmas("importance"))
(['grew', 'grow'], ['importance'])
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["lexicon", "lemmas"]


@functools.cache
def lexicon() -> Any:
    """The ``lemminflect`` module, imported once."""
    from chat.imports import install

    install()  # lemminflect would import spaCy, and spaCy torch
    import lemminflect

    return lemminflect


@functools.lru_cache(maxsize=20_000)
def lemmas(word: str) -> frozenset[str]:
    """``word`` and every lemma the lexicon gives it, of any part of speech: "grew" is "grow", and
    "importance" no form of "import", which the five-letter stem of ``vectorstore.text.stem`` makes it."""
    return frozenset({word, *(w for ws in lexicon().getAllLemmas(word).values() for w in ws)})
