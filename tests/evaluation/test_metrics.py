"""The pure metric logic of ``rag eval`` on hand-made cases (no store, no model)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from evaluation import metrics as M
from evaluation.evalset import EvalItem, EvidenceRef
from evaluation.evaluate import aggregate, check_thresholds, load_thresholds, score_row
from chat.types import Answer, Citation, Hit


# ---- answers ----------------------------------------------------------------------------------------
def test_normalize_answer_is_squad_style_and_unicode_aware():
    assert M.normalize_answer("The  Cat, sat!") == "cat sat"
    assert M.normalize_answer("An apple a day") == "apple day"
    assert M.normalize_answer("“3+3” mechanism—Hà Nội") == "3 3 mechanism ha noi"
    assert M.normalize_answer("Đà Nẵng") == "da nang"
    assert M.normalize_answer("") == ""


@pytest.mark.parametrize(
    "prediction, reference, expected",
    [
        ("Chili and passion fruit", "chili and passion fruit.", 1.0),
        ("the cat sat", "cat sat on mat", 2 / 3),  # P = 1, R = 1/2
        ("w x c d", "c d y z", 0.5),
        ("nothing shared", "entirely different", 0.0),
        ("", "anything", 0.0),
        ("anything", "", 0.0),
        ("the the the", "the", 0.0),  # only articles: no tokens left
        ("cat cat dog", "cat dog dog", 2 / 3),  # multiset overlap: min counts
    ],
)
def test_token_f1(prediction, reference, expected):
    assert M.token_f1(prediction, reference) == pytest.approx(expected)


def test_contains_answer_on_word_boundaries_after_normalisation():
    assert M.contains_answer("It was held from April 14 to 15, 2025, in Hà Nội.", "From April 14 to 15, 2025.")
    assert M.contains_answer("Vietnamese exports such as chili and passion fruit", "Chili and passion fruit")
    assert not M.contains_answer("In 20170 nothing happened", "2017")
    assert not M.contains_answer("anything at all", "")
    assert not M.contains_answer("", "answer")


def test_rgb_match_follows_rgbs_scorer():
    assert M.rgb_match("Held in TAMPA, Florida.", "Tampa, Florida")
    assert not M.rgb_match("Held in Tampa.", "Tampa, Florida")
    assert M.rgb_match("Released Mar. 3, 2017.", [["March 3 2017", "Mar. 3, 2017"]])  # nested: any form
    assert not M.rgb_match("Released in 2017.", [["March 3 2017", "Mar. 3, 2017"]])
    assert M.rgb_match("Ines Okafor and Jon Park", ["Ines Okafor", "Jon Park"])  # flat list: every part
    assert not M.rgb_match("Ines Okafor alone", ["Ines Okafor", "Jon Park"])
    assert not M.rgb_match("anything", [])
    assert not M.rgb_match("", "x")


# ---- spans and retrieval ----------------------------------------------------------------------------
def test_find_spans_returns_every_occurrence():
    assert M.find_spans("ab xx ab", "ab") == [(0, 2), (6, 8)]
    assert M.find_spans("aaa", "aa") == [(0, 2), (1, 3)]  # overlapping occurrences too
    assert M.find_spans("text", "missing") == []
    assert M.find_spans("text", "   ") == []


def test_find_spans_tolerates_changed_white_space():
    text = "One notable outcome\nwas the  establishment."
    assert M.find_spans(text, "outcome was the establishment") == [(12, 42)]


def test_overlaps_needs_a_shared_character():
    assert M.overlaps(0, 5, 4, 9)
    assert not M.overlaps(0, 5, 5, 9)  # touching is not overlapping
    assert M.overlaps(3, 4, 0, 10)


def test_ranks_and_mrr():
    assert M.first_hit_rank([False, True, True]) == 2
    assert M.first_hit_rank([False, False]) is None
    assert M.reciprocal_rank([False, False, True]) == pytest.approx(1 / 3)
    assert M.reciprocal_rank([True]) == 1.0
    assert M.reciprocal_rank([]) == 0.0
    assert M.mean([M.reciprocal_rank(r) for r in ([True], [False, True], [False])]) == pytest.approx(0.5)


# ---- refusals ---------------------------------------------------------------------------------------
def test_refusal_precision_recall_and_false_refusals():
    refused = [True, True, True, False, False, False]
    answerable = [False, False, True, False, True, True]
    got = M.refusal_scores(refused, answerable)
    assert got["refusal_precision"] == pytest.approx(2 / 3)
    assert got["refusal_recall"] == pytest.approx(2 / 3)
    assert got["false_refusal_rate"] == pytest.approx(1 / 3)


def test_refusal_scores_are_none_without_a_denominator():
    got = M.refusal_scores([False, False], [True, True])
    assert got == {"refusal_precision": None, "refusal_recall": None, "false_refusal_rate": 0.0}
    with pytest.raises(ValueError):
        M.refusal_scores([True], [])


# ---- citations --------------------------------------------------------------------------------------
def test_answer_sentences_attach_markers_to_their_sentence():
    text = "Hanoi is big. [1] It rains a lot. [2][3]\n[4] No source here. The U.S. agreed [5]."
    assert M.answer_sentences(text) == [
        ("Hanoi is big.", [1]),
        ("It rains a lot.", [2, 3, 4]),
        ("No source here.", []),
        ("The U.S. agreed.", [5]),
    ]
    assert M.answer_sentences("") == []
    assert M.answer_sentences("[1] [2]") == []


def test_sentence_support_is_the_share_of_words_cited():
    assert M.sentence_support("China licensed chili exports.", ["China licensed chili exports."]) == 1.0
    assert M.sentence_support("Totally unrelated words", ["China licensed chili"]) == 0.0
    assert M.sentence_support("chili and mango", ["chili"]) == pytest.approx(1 / 3)  # "and" counts, "the" not


def test_percentile_matches_numpy():
    values = [12.0, 3.5, 7.0, 100.0, 41.0, 8.25]
    for q in (0, 50, 95, 100):
        assert M.percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
    assert M.percentile([], 50) is None
    with pytest.raises(ValueError):
        M.percentile([1.0], 101)


# ---- one scored row ---------------------------------------------------------------------------------
DOC = "Intro. The fund pays 5 dollars. Middle text here. The fund pays 5 dollars. The end is near."
QUOTE = "The fund pays 5 dollars."


def _doc_text(source: str) -> str:
    if source != "a.txt":
        raise KeyError(source)
    return DOC


def _hit(start: int, end: int, score: float = 0.5) -> Hit:
    return Hit("a.txt", start, end, DOC[start:end], score)


def _evidence() -> list[dict]:
    return [{"source": "a.txt", "quote": QUOTE, "spans": [["a.txt", a, b] for a, b in M.find_spans(DOC, QUOTE)]}]


def test_a_chunk_overlapping_the_second_occurrence_of_a_quote_is_a_hit():
    second = DOC.rindex(QUOTE)
    item = EvalItem("q1", "What does the fund pay?", "5 dollars", (EvidenceRef(QUOTE, "a.txt"),))
    hits = [_hit(0, 6), _hit(second - 5, second + 10)]  # "Intro." first, then a window on occurrence 2
    row = score_row(item, Answer("x", [], False, hits), _evidence(), _doc_text)
    assert [h["relevant"] for h in row["hits"]] == [False, True]
    assert row["metrics"]["hit_at_1"] is False
    assert row["metrics"]["hit_at_k"] is True
    assert row["metrics"]["reciprocal_rank"] == 0.5


def test_citation_validity_precision_and_recall():
    first, second = DOC.index(QUOTE), DOC.rindex(QUOTE)
    end_start = DOC.index("The end")
    cites = [
        Citation(1, "a.txt", second, second + len(QUOTE), QUOTE),  # on evidence (2nd occurrence), valid
        Citation(2, "a.txt", end_start, end_start + 16, "The end is near."),  # valid, not on evidence
        Citation(3, "a.txt", first, first + 6, "XXXXXX"),  # same length, wrong text: invalid
    ]
    text = "The fund pays 5 dollars. [1] The end is near. [2] Something else entirely. [3] Uncited claim."
    item = EvalItem("q1", "What does the fund pay?", "5 dollars", (EvidenceRef(QUOTE, "a.txt"),))
    row = score_row(item, Answer(text, cites, False, [_hit(0, len(DOC))]), _evidence(), _doc_text)
    m = row["metrics"]
    assert [c["valid"] for c in row["citations"]] == [True, True, False]
    assert m["citation_validity"] == pytest.approx(2 / 3)
    assert m["citation_precision"] == pytest.approx(1 / 3)  # only [1] overlaps evidence (invalid [3] does not)
    assert [s["supported"] for s in row["sentences"]] == [True, True, False, False]
    assert m["citation_recall"] == 0.5
    assert m["answer_containment"] is True
    assert 0 < m["answer_f1"] < 1


def test_a_refusal_scores_as_the_empty_answer():
    # The refusal text quotes the question, which may contain the reference's words: they must not count.
    item = EvalItem("q2", "Does the fund pay 5 dollars?", "5 dollars", (EvidenceRef(QUOTE, "a.txt"),))
    a = Answer("The articles don't say. Nothing answers “Does the fund pay 5 dollars?”", [], True, [_hit(0, 6)])
    m = score_row(item, a, _evidence(), _doc_text)["metrics"]
    assert m["answer_f1"] == 0.0 and m["answer_containment"] is False
    assert m["refusal_correct"] is False
    assert m["citation_validity"] is None and m["citation_recall"] is None


def test_unanswerable_rows_score_refusals_only():
    item = EvalItem("neg", "Who won in 2090?", None, ())
    m = score_row(item, Answer("no", [], True, [_hit(0, 6)]), [], _doc_text)["metrics"]
    assert m["refusal_correct"] is True
    assert m["hit_at_k"] is None and m["answer_f1"] is None and m["citation_precision"] is None


def test_aggregate_means_and_micro_validity():
    item = EvalItem("q1", "What does the fund pay?", "5 dollars", (EvidenceRef(QUOTE, "a.txt"),))
    second = DOC.rindex(QUOTE)
    good = Answer("The fund pays 5 dollars. [1]", [Citation(1, "a.txt", second, second + len(QUOTE), QUOTE)], False,
                  [_hit(second, second + len(QUOTE))])
    rows = [score_row(item, good, _evidence(), _doc_text),
            score_row(item, Answer("no", [], True, [_hit(0, 6)]), _evidence(), _doc_text),
            score_row(EvalItem("n", "?", None, ()), Answer("no", [], True, []), [], _doc_text)]
    for r in rows:
        r["latency_ms"] = {"retrieval": 10.0, "total": 20.0}
    s = aggregate(rows)
    assert (s["questions"], s["answerable"], s["unanswerable"], s["refused"]) == (3, 2, 1, 2)
    assert s["hit_at_k"] == 0.5 and s["hit_at_1"] == 0.5 and s["mrr"] == 0.5
    assert s["answer_containment"] == 0.5
    assert s["refusal_precision"] == 0.5 and s["refusal_recall"] == 1.0 and s["false_refusal_rate"] == 0.5
    assert s["citation_validity"] == 1.0 and s["citation_precision"] == 1.0 and s["citation_recall"] == 1.0
    assert s["latency_total_p50_ms"] == 20.0 and "latency_evidence_p95_ms" not in s


# ---- thresholds -------------------------------------------------------------------------------------
def test_thresholds_file_flat_and_min_max(tmp_path):
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps({"hit_at_k": 0.9, "_comment": "ignored"}))
    assert load_thresholds(flat) == ({"hit_at_k": 0.9}, {})
    both = tmp_path / "both.json"
    both.write_text(json.dumps({"min": {"citation_validity": 1}, "max": {"false_refusal_rate": 0.3}}))
    assert load_thresholds(both) == ({"citation_validity": 1.0}, {"false_refusal_rate": 0.3})


@pytest.mark.parametrize("content, message", [
    ('{"hit_at_kk": 0.9}', "unknown metric"),
    ('{"hit_at_k": "high"}', "must be a number"),
    ("[1, 2]", "JSON object"),
    ("{oops", "not valid JSON"),
])
def test_bad_thresholds_files_say_why(tmp_path, content, message):
    path = tmp_path / "t.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_thresholds(path)


def test_check_thresholds():
    summary = {"hit_at_k": 0.9, "false_refusal_rate": 0.2, "refusal_recall": None}
    got = {r["metric"]: r["ok"] for r in check_thresholds(
        summary, {"hit_at_k": 0.9, "refusal_recall": 0.5}, {"false_refusal_rate": 0.1})}
    assert got == {"hit_at_k": True, "refusal_recall": False, "false_refusal_rate": False}
