"""The team's test set, eval/articles_qa.jsonl: well formed, and every evidence quote verbatim in its article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.evalset import load_testset

ROOT = Path(__file__).resolve().parents[2]
QA = ROOT / "eval" / "articles_qa.jsonl"
ARTICLES = ROOT / "data" / "articles"
ROWS = [json.loads(line) for line in QA.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_line_has_the_documented_fields_and_a_unique_id():
    assert len(ROWS) >= 50
    ids = [r["id"] for r in ROWS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in ROWS:
        assert set(r) >= {"id", "question", "answer", "evidence"}, r["id"]
        assert isinstance(r["question"], str) and r["question"].strip(), r["id"]
        assert r["answer"] is None or (isinstance(r["answer"], str) and r["answer"].strip()), r["id"]
        assert isinstance(r["evidence"], list), r["id"]


def test_answerable_questions_have_evidence_and_unanswerable_ones_none():
    for r in ROWS:
        if r["answer"] is None:
            assert r["evidence"] == [], f"{r['id']}: an unanswerable question cannot have evidence"
        else:
            assert r["evidence"], f"{r['id']}: an answerable question needs at least one evidence quote"
    assert any(r["answer"] is None for r in ROWS), "the set should test refusals too"


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_every_quote_is_verbatim_in_its_source(row):
    for ev in row["evidence"]:
        path = ARTICLES / ev["source"]
        assert path.is_file(), f"{row['id']}: no article {ev['source']!r} under data/articles"
        text = path.read_text(encoding="utf-8")
        assert ev["quote"].strip(), f"{row['id']}: empty quote"
        assert ev["quote"] in text, f"{row['id']}: quote not verbatim in {ev['source']}: {ev['quote'][:80]!r}"


def test_the_evaluator_reads_it():
    fmt, items = load_testset(QA)
    assert fmt == "articlechat"
    assert [i.id for i in items] == [r["id"] for r in ROWS]
    assert sum(not i.answerable for i in items) == sum(r["answer"] is None for r in ROWS)
