"""Pure, deterministic evaluation metrics: no model, no store, no network.

- answers: SQuAD-style normalisation, token F1 and containment against a reference;
- retrieval: where an evidence quote sits in its document (every occurrence), span overlap, MRR;
- refusals: precision and recall of refusing the unanswerable, and the false-refusal rate;
- citations (after ALCE, Gao et al. 2023): answer sentences, and whether each one is supported;
- RGB's own containment rule (Chen et al. 2024): a string, or a list of parts, a nested list = any form;
- percentiles for latencies;
- the registry of metric names (``METRICS``) and the threshold gate (``load_thresholds``, ``check_thresholds``).

>>> round(token_f1("the Eiffel Tower in Paris", "Eiffel Tower"), 2)
0.67
>>> contains_answer("It opened on July 21, 2017, in Tokyo.", "July 21 2017")
True
>>> rgb_match("Released on Jul. 21, 2017.", [["July 21 2017", "Jul. 21, 2017"]])
True
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from chat.cite import BARE_MARKER
from vectorstore.text import fold

__all__ = [
    "normalize_answer", "answer_tokens", "token_f1", "contains_answer", "rgb_match",
    "find_spans", "overlaps", "first_hit_rank", "reciprocal_rank",
    "refusal_scores", "answer_sentences", "sentence_support", "RECALL_SUPPORT_MIN",
    "percentile", "mean", "METRICS", "STAGES", "load_thresholds", "check_thresholds",
]

# name → (label, "higher" or "lower" is better); the names are also the keys of report.json's summary,
# of eval/thresholds.json and of the --min-*/--max-* options (with "-" for "_").
STAGES = ("retrieval", "evidence", "generation", "grounding", "total")
METRICS: dict[str, tuple[str, str]] = {
    "hit_at_1": ("retrieval hit@1", "higher"),
    "hit_at_k": ("retrieval hit@k", "higher"),
    "mrr": ("retrieval MRR", "higher"),
    "answer_f1": ("answer token F1", "higher"),
    "answer_containment": ("answer contains reference", "higher"),
    "refusal_precision": ("refusal precision", "higher"),
    "refusal_recall": ("refusal recall", "higher"),
    "false_refusal_rate": ("false-refusal rate", "lower"),
    "citation_validity": ("citation validity", "higher"),
    "citation_precision": ("citation precision", "higher"),
    "citation_recall": ("citation recall", "higher"),
    "accuracy": ("answer accuracy (RGB rule)", "higher"),
    "refusal_rate": ("refusal rate", "lower"),
    **{f"latency_{s}_p{q}_ms": (f"{s} latency p{q} (ms)", "lower") for s in STAGES for q in (50, 95)},
}

# A sentence counts as supported when at least this share of its distinct words occurs in the quotes
# it cites: a deterministic stand-in for ALCE's NLI judge (an extractive quote scores 1.0).
RECALL_SUPPORT_MIN = 0.5

_ARTICLES = re.compile(r"\b(a|an|the)\b")


# ---- answers ----------------------------------------------------------------------------------------
def normalize_answer(text: str) -> str:
    """SQuAD's normalisation (lower case, no punctuation, no articles, single spaces), made Unicode-aware.

    Beyond SQuAD: NFKC, every Unicode punctuation mark (curly quotes, dashes) becomes a space, and
    accents are folded, so "Việt Nam" matches "Viet Nam".

    >>> normalize_answer("The “3+3” Mechanism—in Hà Nội!")
    '3 3 mechanism in ha noi'
    """
    text = fold(text or "")
    text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def answer_tokens(text: str) -> list[str]:
    """The normalised tokens of ``text``."""
    return normalize_answer(text).split()


def token_f1(prediction: str, reference: str) -> float:
    """SQuAD token F1 between ``prediction`` and ``reference`` (0 when either has no tokens)."""
    pred, ref = answer_tokens(prediction), answer_tokens(reference)
    common = sum((Counter(pred) & Counter(ref)).values())
    if not pred or not ref or common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def contains_answer(prediction: str, reference: str) -> bool:
    """Whether the normalised ``reference`` occurs in the normalised ``prediction`` on word boundaries."""
    ref = normalize_answer(reference)
    return bool(ref) and f" {ref} " in f" {normalize_answer(prediction)} "


def rgb_match(text: str, answer: Any) -> bool:
    """RGB's scorer: every part of ``answer`` occurs in ``text`` (case-insensitive); a nested list
    is one part written in any of several forms.

    >>> rgb_match("Tampa, Florida hosted it", "tampa, florida"), rgb_match("x", ["x", "y"])
    (True, False)
    """
    low = (text or "").lower()
    parts = answer if isinstance(answer, list) else [answer]
    if not parts:
        return False
    for part in parts:
        forms = part if isinstance(part, list) else [part]
        if not any(str(f).lower() in low for f in forms if str(f)):
            return False
    return True


# ---- spans and retrieval ----------------------------------------------------------------------------
def find_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Every ``(start, end)`` where ``quote`` occurs in ``text`` (overlapping occurrences included).

    Exact matches first; failing any, a match that tolerates different white space (a quote copied
    from a web page often has its line breaks changed).

    >>> find_spans("ab ab", "ab"), find_spans("one\\n two", "one two")
    ([(0, 2), (3, 5)], [(0, 8)])
    """
    quote = quote.strip()
    if not quote:
        return []
    spans, i = [], text.find(quote)
    while i >= 0:
        spans.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    if spans:
        return spans
    words = quote.split()
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Whether ``[a_start, a_end)`` and ``[b_start, b_end)`` share at least one character."""
    return a_start < b_end and b_start < a_end


def first_hit_rank(relevant: Sequence[bool]) -> int | None:
    """1-based rank of the first relevant item, or ``None``."""
    return next((i + 1 for i, r in enumerate(relevant) if r), None)


def reciprocal_rank(relevant: Sequence[bool]) -> float:
    """``1 / rank`` of the first relevant item, 0 when none is (the MRR of one query)."""
    rank = first_hit_rank(relevant)
    return 1.0 / rank if rank else 0.0


# ---- refusals ---------------------------------------------------------------------------------------
def refusal_scores(refused: Sequence[bool], answerable: Sequence[bool]) -> dict[str, float | None]:
    """Refusal precision (refusals that were right), recall (unanswerable ones refused), and the
    false-refusal rate (answerable ones refused); ``None`` where the denominator is zero.

    >>> refusal_scores([True, True, False, False], [False, True, False, True])
    {'refusal_precision': 0.5, 'refusal_recall': 0.5, 'false_refusal_rate': 0.5}
    """
    if len(refused) != len(answerable):
        raise ValueError("refused and answerable must have the same length")
    pairs = list(zip(refused, answerable, strict=True))
    n_refused = sum(1 for r, _ in pairs if r)
    n_unanswerable = sum(1 for _, a in pairs if not a)
    n_answerable = len(pairs) - n_unanswerable
    right = sum(1 for r, a in pairs if r and not a)
    wrong = sum(1 for r, a in pairs if r and a)
    return {
        "refusal_precision": right / n_refused if n_refused else None,
        "refusal_recall": right / n_unanswerable if n_unanswerable else None,
        "false_refusal_rate": wrong / n_answerable if n_answerable else None,
    }


# ---- citations --------------------------------------------------------------------------------------
_END = re.compile(r"[.!?…]+[\"'”’»)]*((?:\s*\[\d{1,3}\])*)(?=\s|$)")
_ABBREV = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|No|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))$")


def answer_sentences(text: str) -> list[tuple[str, list[int]]]:
    """``(sentence without markers, its [n] markers)`` for each sentence of an answer.

    Markers right after a sentence's end belong to that sentence, as do markers opening the next
    line; lines break sentences; pieces without a word are dropped.

    >>> answer_sentences("Hanoi is big. [1] It rains. [2][3]\\nNo source here.")
    [('Hanoi is big.', [1]), ('It rains.', [2, 3]), ('No source here.', [])]
    """
    pieces: list[str] = []
    for line in (text or "").splitlines():
        cursor = 0
        for m in _END.finditer(line):
            if _ABBREV.search(line[cursor : m.start()]) and not m.group(1):
                continue
            pieces.append(line[cursor : m.end()])
            cursor = m.end()
        pieces.append(line[cursor:])
        # Markers that open a piece belong to the sentence before them.
    out: list[tuple[str, list[int]]] = []
    for piece in pieces:
        lead = re.match(r"\s*((?:\[\d{1,3}\]\s*)+)", piece)
        if lead and out:
            out[-1][1].extend(int(n) for n in BARE_MARKER.findall(lead.group(1)))
            piece = piece[lead.end() :]
        body = " ".join(re.sub(r"\s*\[\d{1,3}\]", "", piece).split())
        markers = [int(n) for n in BARE_MARKER.findall(piece)]
        if re.search(r"\w", body):
            out.append((body, markers))
        elif markers and out:
            out[-1][1].extend(markers)
    return out


def sentence_support(sentence: str, quotes: Iterable[str]) -> float:
    """Share of the sentence's distinct normalised words found in the cited ``quotes`` (0..1)."""
    words = set(answer_tokens(sentence))
    if not words:
        return 0.0
    cited = set()
    for q in quotes:
        cited.update(answer_tokens(q))
    return len(words & cited) / len(words)


# ---- aggregation ------------------------------------------------------------------------------------
def mean(values: Iterable[float | bool | None]) -> float | None:
    """Mean of the values that are not ``None``; ``None`` when there are none."""
    vals = [float(v) for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def percentile(values: Iterable[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) by linear interpolation, like ``numpy.percentile``.

    >>> percentile([1, 2, 3, 4], 50), percentile([10], 95), percentile([], 50)
    (2.5, 10.0, None)
    """
    vals = sorted(float(v) for v in values)
    if not vals:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q!r}")
    pos = (len(vals) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)


# ---- thresholds -----------------------------------------------------------------------------------
def load_thresholds(path: str | Path) -> tuple[dict[str, float], dict[str, float]]:
    """``(minimums, maximums)`` from a JSON file: ``{metric: minimum}``, or ``{"min": {...}, "max": {...}}``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such thresholds file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object of metric → minimum")
    if set(data) <= {"min", "max", "_comment"} and ("min" in data or "max" in data):
        mins, maxs = data.get("min") or {}, data.get("max") or {}
    else:
        mins, maxs = {k: v for k, v in data.items() if not k.startswith("_")}, {}
    for table in (mins, maxs):
        for name, value in table.items():
            if name not in METRICS:
                raise ValueError(f"{path}: unknown metric {name!r}; known: {', '.join(METRICS)}")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{path}: threshold of {name!r} must be a number, got {value!r}")
    return {k: float(v) for k, v in mins.items()}, {k: float(v) for k, v in maxs.items()}


def check_thresholds(summary: dict[str, Any], minimums: dict[str, float],
                     maximums: dict[str, float] | None = None) -> list[dict[str, Any]]:
    """One result per threshold: ``{metric, op, limit, value, ok}``; a metric not measured fails."""
    results = []
    for op, table in ((">=", minimums), ("<=", maximums or {})):
        for name, limit in table.items():
            value = summary.get(name)
            ok = value is not None and (value >= limit - 1e-9 if op == ">=" else value <= limit + 1e-9)
            results.append({"metric": name, "op": op, "limit": limit, "value": value, "ok": ok})
    return results
