"""The hard question set's runner: cases checked by line, and follow-ups asked the way a chat asks them."""

from __future__ import annotations

import json

import pytest

from chat.generate import ExtractiveGenerator
from evaluation.hard import _has_keys, hard_table, load_hard, run_hard
from tests.conftest import ARTICLES

TEXTS = {p.name: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt")}
CASE = {"id": "x-01", "split": "dev", "kind": "followup", "question": "When will it be finished?",
        "keys": [["2030"]], "evidence": [], "history": ["Which railway project did the National Assembly approve?"]}


def test_a_bad_case_is_refused_naming_its_line(tmp_path):
    path = tmp_path / "hard.jsonl"
    path.write_text(json.dumps(CASE) + "\n" + json.dumps({**CASE, "kind": "trivia"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"hard.jsonl:2: .*kind one of"):
        load_hard(path)
    path.write_text(json.dumps({**CASE, "keys": None}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"hard.jsonl:1: keys must be null exactly for unanswerable"):
        load_hard(path)


class RecordingGenerator(ExtractiveGenerator):
    """The extractive generator, remembering the questions it was asked to answer."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def generate(self, question, evidence):
        self.asked.append(question)
        return super().generate(question, evidence)


def test_earlier_turns_are_asked_first_once_and_the_follow_up_scored(corpus_config):
    gen = RecordingGenerator()
    second = {**CASE, "id": "x-02", "question": "And when will construction begin?", "keys": [["2025"]]}
    rows = run_hard([CASE, second], corpus_config, gen, TEXTS)
    # The shared earlier turn was answered once, before the two follow-ups, as a user would have seen it.
    assert [q.startswith("Which railway project") for q in gen.asked].count(True) == 1
    assert len(gen.asked) == 3
    assert [r["id"] for r in rows] == ["x-01", "x-02"]
    assert all(r["valid"] for r in rows)
    assert rows[0]["correct"] and rows[1]["correct"], [r["text"] for r in rows]
    _, head = hard_table(rows)
    assert head["followup_answered"] == 1.0
    assert "model_words_shown" not in head, "the extractive generator has no words of its own"


def test_how_often_a_models_own_words_were_shown_is_reported(corpus_config):
    from chat.generate import LLMGenerator
    from tests.chat.fakes import ScriptedLLM

    # A reply the evidence states for the first question; for the second, one it does not: passages shown.
    def reply(prompt: str) -> str:
        if "Question: Which railway" in prompt:
            return "The National Assembly approved the Lao Cai-Hanoi-Hai Phong railway project [1]."
        return "Bananas are yellow [1]."

    gen = LLMGenerator(ScriptedLLM(reply), "scripted")
    first = {**CASE, "id": "x-03", "kind": "paraphrase", "history": [],
             "question": "Which railway project did the National Assembly approve?", "keys": [["Lao Cai"]]}
    second = {**first, "id": "x-04", "question": "When will the railway be completed?", "keys": [["2030"]]}
    rows = run_hard([first, second], corpus_config, gen, TEXTS)
    assert [r["written_by"] for r in rows] == ["scripted", "extractive"], [r["text"] for r in rows]
    _, head = hard_table(rows)
    assert head["model_words_shown"] == 0.5


@pytest.mark.parametrize("name", ["hard_qa.jsonl", "probe_qa.jsonl", "blind_qa.jsonl", "forms_qa.jsonl",
                                  "nearmiss_qa.jsonl", "multilingual_qa.jsonl"])
def test_every_shipped_case_loads_and_quotes_the_articles_verbatim(name):
    from pathlib import Path

    cases = load_hard(Path(__file__).parents[2] / "eval" / name)
    assert {c["split"] for c in cases} == {"dev", "test"} and len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        for ev in case["evidence"]:
            assert ev["quote"] in TEXTS[ev["source"]], (case["id"], ev["quote"])


def test_a_key_date_matches_its_abbreviated_month_but_not_another_day():
    assert _has_keys("They met in Hanoi, Apr. 14, 2025. [1]", [["April 14"]])
    assert _has_keys("Released on Sept. 3, 2021", [["September 3"]])
    assert not _has_keys("They met in Hanoi, Apr. 15, 2025. [1]", [["April 14"]])
    assert not _has_keys("An apr. rate", [["April"]])
