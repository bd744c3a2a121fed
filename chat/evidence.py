"""Hits → numbered evidence sentences, each an exact span, scored against the question.

A sentence's support score mixes meaning and wording: the cosine between the MiniLM vectors of
question and sentence, and the share of the question's content words (folded, prefix-stemmed) that
the sentence contains (a Chinese question's words, for English sentences, through their dictionary
glosses: ``vectorstore.glosses``).  The score decides which sentences are cited and whether to refuse.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    ev = gather_evidence("Which exports?", hits, embedder)
    ev[0].text
    # → 'China agreed to license … chili and passion fruit …'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from chat.kinds import asks, exact
from chat.vectors import cosine, embed_cached
from vectorstore import glosses
from vectorstore.spans import sentence_spans
from vectorstore.text import language, stems
from vectorstore.types import Hit

__all__ = ["Evidence", "fused", "gather_evidence", "lexical_overlap"]

MEANING_WEIGHT = 0.6  # a sentence's support: this much MiniLM meaning, the rest word overlap
MIN_WORDS = 5  # shorter "sentences" are headings and datelines, not evidence
MAX_SENTENCES = 80
CONTEXT_DISCOUNT = 0.9  # a sentence may lean on the one before it ("The meeting, held in …")
TYPE_BONUS = 0.06  # a "when" question is better answered by a sentence with a date in it ("soon" is none)
# How much a sentence's score against the English translation of a Vietnamese or Chinese question adds to
# its score against the question itself: the two count alike (the one weight measured, on the dev half of
# eval/multilingual_qa.jsonl; see docs/performance.md).
TRANSLATION_WEIGHT = 1.0


@dataclass(frozen=True)
class Evidence:
    """One candidate sentence: ``document_text(source)[start:end] == text``."""

    source: str
    start: int
    end: int
    text: str
    score: float
    dense: float
    lexical: float
    context: str = ""  # the sentences around it ("The meeting, held in …" leans on the one before)


def lexical_overlap(question: str, sentence: str) -> float:
    """Share of the question's content-word stems found in ``sentence`` (0..1)."""
    q = stems(question)
    return len(q & stems(sentence)) / len(q) if q else 0.0


def gather_evidence(question: str, hits: list[Hit], embedder: Any) -> list[Evidence]:
    """Sentences of ``hits`` (deduplicated across overlapping chunks), best supported first."""
    spans: dict[tuple[str, int, int], str] = {}
    before: dict[tuple[str, int, int], str] = {}  # the sentence preceding each one, for context
    after: dict[tuple[str, int, int], str] = {}  # and the one following it ("The line stretches …")
    for hit in hits:
        prev, prev_key = "", None
        for s, e in sentence_spans(hit.text, base=hit.start):
            body = hit.text[s - hit.start : e - hit.start]
            if prev_key is not None:
                after.setdefault(prev_key, body)
            prev_key = None
            # Chinese has no spaces: about two characters a word.
            if (len(body) // 2 if language(body) == "zh" else len(body.split())) >= MIN_WORDS:
                spans.setdefault((hit.source, s, e), body)
                before.setdefault((hit.source, s, e), prev)
                prev_key = (hit.source, s, e)
            prev = body
    keys = list(spans)[:MAX_SENTENCES]
    if not keys:
        return []
    contexts = [f"{before[k]} {spans[k]}".strip() for k in keys]
    vectors = embed_cached(embedder, [spans[k] for k in keys] + contexts)
    qv = embedder.get_query_embedding(question)
    langs = [language(spans[k]) for k in keys]
    dense_of = [max(cosine(qv, vectors[i]), CONTEXT_DISCOUNT * cosine(qv, vectors[len(keys) + i])) for i in range(len(keys))]
    mixed = len(set(langs)) > 1
    if mixed:  # sentences in several languages: score each by how far it stands above its own language's
        # average, taking out the lift a model gives any text in the question's own language
        mean = {g: sum(d for d, h in zip(dense_of, langs) if h == g) / langs.count(g) for g in set(langs)}
        overall = sum(dense_of) / len(dense_of)
        dense_of = [d - mean[g] + overall for d, g in zip(dense_of, langs)]
    kind, asked_in = asks(question), language(question)
    # A Chinese question's words meet English sentences (and their contexts) through dictionary glosses.
    glossed = glosses.overlaps(question, [spans[k] for k in keys] + contexts) \
        if asked_in == glosses.LANGUAGE and set(langs) == {"en"} else []
    out = []
    for i, key in enumerate(keys):
        dense = dense_of[i]
        text = spans[key]
        # Word overlap compares within one language (a Vietnamese question's syllables meet an English
        # sentence only by chance: "lượng" and the name "Lương" fold alike), or a Chinese question's words,
        # through their dictionary glosses, with an English sentence.
        if mixed:
            lexical = 0.0
        elif langs[i] == asked_in:
            lexical = max(lexical_overlap(question, text), CONTEXT_DISCOUNT * lexical_overlap(question, contexts[i]))
        else:
            lexical = max(glossed[i], CONTEXT_DISCOUNT * glossed[len(keys) + i]) if glossed else 0.0
        bonus = TYPE_BONUS if kind is not None and exact(kind, text) else 0
        score = MEANING_WEIGHT * dense + (1 - MEANING_WEIGHT) * lexical + bonus
        out.append(Evidence(key[0], key[1], key[2], spans[key], round(score, 4), round(dense, 4), round(lexical, 4),
                            f"{before[key]} {after.get(key, '')}".strip()))
    return _best_first(out)


def _best_first(evidence: list[Evidence]) -> list[Evidence]:
    return sorted(evidence, key=lambda ev: (-ev.score, ev.source, ev.start))


def fused(evidence: list[Evidence], other: list[Evidence], weight: float = TRANSLATION_WEIGHT) -> list[Evidence]:
    """``evidence`` re-ranked, each sentence's score raised by ``weight`` times its score in ``other`` (the
    same sentences scored against another wording of the question: its English translation)."""
    extra = {(ev.source, ev.start): ev.score for ev in other}
    raised = (round(ev.score + weight * extra.get((ev.source, ev.start), 0.0), 4) for ev in evidence)
    return _best_first([dataclasses.replace(ev, score=score) for ev, score in zip(evidence, raised)])
