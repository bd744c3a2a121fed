"""Text → exact character spans, using llama-index's own split functions.

llama-index's splitters return strings; we need offsets.  Each split function returns its pieces in
order, so we walk a cursor through the text and place every piece where the splitter cut it
(``text.startswith(piece, cursor)``), allowing only a gap of characters the splitter dropped (white
space, or the punctuation its phrase regex can skip).  A piece that cannot be placed is a bug and
raises, rather than guessing with a search from the top (the second article repeats a paragraph).

llama-index's punkt is untrained: it ends a sentence at every full stop, so "near the border, Mar. 1,
2025." became two sentences and the cited quote lost its date.  Ours knows the abbreviations of nltk's
English punkt model (shipped with llama-index: "Dr.", "Jan.", "U.S.", "Inc."), and the months it lacks,
but not that model's other cues (it would also cut search snippets after "...").

Chinese ends sentences with 。！？ and no space, which punkt does not split on: every punkt sentence is
cut once more after those marks (and the closing quotes or brackets that follow them).

>>> sentence_spans("Hi there. Bye now.\\nNext line")
[(0, 9), (10, 18), (19, 28)]
>>> t = "Dr. Li came on Mar. 1, 2025. He left."
>>> [t[s:e] for s, e in sentence_spans(t)]
['Dr. Li came on Mar. 1, 2025.', 'He left.']
>>> t = "水库明年完工。谁来管理？“我们会！”他说。"
>>> [t[s:e] for s, e in sentence_spans(t)]
['水库明年完工。', '谁来管理？', '“我们会！”', '他说。']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from llama_index.core.node_parser.text.utils import (
    split_by_char,
    split_by_regex,
    split_by_sentence_tokenizer_internal,
    split_by_sep,
)

__all__ = ["Piece", "place", "pieces", "sentence_spans", "strip_span"]

_DROPPABLE = re.compile(r"[\s,.;。，；]*")
_LINE_SPLIT = split_by_sep("\n")
# Month abbreviations nltk's English model lacks ("May" needs none).
_MONTHS = frozenset({"mar", "apr", "jun", "jul"})
_CJK_SENTENCE = re.compile(r"[^。！？]*[。！？]+[”’」』）)]*|[^。！？]+")


@functools.lru_cache(maxsize=1)
def _punkt() -> Any:
    """punkt with English abbreviations (module doc), read from the nltk data llama-index ships."""
    from llama_index.core.utils import globals_helper
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTokenizer

    globals_helper.punkt_tokenizer  # noqa: B018 (puts llama-index's nltk data on nltk's path)
    params = PunktParameters()
    params.abbrev_types = set(PunktTokenizer("english")._params.abbrev_types) | _MONTHS
    return PunktSentenceTokenizer(params)


def _SENTENCE_SPLIT(text: str) -> list[str]:
    """punkt's sentences, each cut again after Chinese sentence marks (module doc)."""
    sentences = split_by_sentence_tokenizer_internal(text, _punkt())
    return [part for sentence in sentences for part in _CJK_SENTENCE.findall(sentence)]


# Below sentences: phrases, then words, then characters (the SentenceSplitter's own fallbacks).
_SUB_SENTENCE = (split_by_regex("[^,.;。，；]+[,.;。，；]?"), split_by_sep(" "), split_by_char())


@dataclass(frozen=True)
class Piece:
    """A span ``[start, end)`` of some text, with its token count and whether it is whole sentences."""

    start: int
    end: int
    tokens: int
    is_sentence: bool


def place(text: str, parts: list[str], base: int = 0) -> list[tuple[int, int]]:
    """Offsets (relative to ``base``) of ``parts``, which a split function cut from ``text`` in order."""
    spans, cursor = [], 0
    for part in parts:
        if not part:
            continue
        if text.startswith(part, cursor):
            pos = cursor
        else:
            gap = _DROPPABLE.match(text, cursor)
            pos = gap.end() if gap else cursor
            while pos > cursor and not text.startswith(part, pos):
                pos -= 1
            if not text.startswith(part, pos):
                raise ValueError(f"splitter piece {part[:40]!r} not found at offset {base + cursor}")
        spans.append((base + pos, base + pos + len(part)))
        cursor = pos + len(part)
    return spans


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` of ``text`` past leading and trailing white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def pieces(text: str, count: Callable[[str], list], limit: int, start: int = 0, end: int | None = None) -> list[Piece]:
    """Cut ``text[start:end]`` into pieces of at most ``limit`` tokens: lines, sentences, phrases, words."""
    end = len(text) if end is None else end
    segment = text[start:end]
    n = len(count(segment))
    if n <= limit:
        return [Piece(start, end, n, True)]
    parts, is_sentence = [], True
    for fn in (_LINE_SPLIT, _SENTENCE_SPLIT):
        parts = fn(segment)
        if len(parts) > 1:
            break
    else:
        is_sentence = False
        for fn in _SUB_SENTENCE:
            parts = fn(segment)
            if len(parts) > 1:
                break
    if len(parts) <= 1:  # one indivisible unit over the limit: keep it, the merge will say so
        return [Piece(start, end, n, is_sentence)]
    out: list[Piece] = []
    for s, e in place(segment, parts, base=start):
        sub = pieces(text, count, limit, s, e)
        out.extend(p if is_sentence else Piece(p.start, p.end, p.tokens, False) for p in sub)
    return out


def sentence_spans(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (lines first, then punkt sentences), stripped, offsets + ``base``."""
    spans = []
    for ls, le in place(text, _LINE_SPLIT(text)):
        line = text[ls:le]
        for ss, se in place(line, _SENTENCE_SPLIT(line), base=ls):
            s, e = strip_span(text, ss, se)
            if e > s:
                spans.append((base + s, base + e))
    return spans
