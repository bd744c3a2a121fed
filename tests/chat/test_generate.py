"""LLM generation plumbing with a scripted LLM: grounding, invalid markers, refusal, follow-ups, fallback."""

from __future__ import annotations

import re

import pytest

from chat import answer, answer_stream
from chat.generate import LLMGenerator, evidence_prompt
from chat.llm import ChatMessage, chatml
from tests.chat.fakes import ScriptedLLM
from tests.conftest import ARTICLES, with_llm

TEXTS = {p.name: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt")}
CHILI_Q = "Which Vietnamese exports did China agree to license?"


def scripted(script) -> LLMGenerator:
    """An LLM generator over a scripted LLM (``.llm.prompts`` records what it was asked)."""
    return LLMGenerator(ScriptedLLM(script), "scripted")


def evidence_number(prompt: str, phrase: str) -> int:
    for line in prompt.splitlines():
        m = re.match(r"\[(\d+)\] (.*)", line)
        if m and phrase in m.group(2):
            return int(m.group(1))
    raise AssertionError(f"{phrase!r} not among the evidence:\n{prompt}")


def assert_exact(a):
    for c in a.citations:
        assert TEXTS[c.source][c.start : c.end] == c.quote
        assert f"[{c.marker}]" in a.text


def test_chatml_format():
    msgs = [ChatMessage(role="system", content="S"), ChatMessage(role="user", content="U")]
    assert chatml(msgs) == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"


def test_llm_answer_is_grounded_and_markers_renumbered(corpus_config):
    def script(prompt):
        n = evidence_number(prompt, "chili and passion fruit")
        return (f"China agreed to license Vietnamese exports such as chili and passion fruit [{n}]. "
                f"The moon is made of green cheese [{n}]. Also see [42].")

    gen = scripted(script)
    a = answer(CHILI_Q, generator=gen, config=corpus_config)
    assert not a.refused
    assert "chili and passion fruit [1]" in a.text
    assert "cheese" not in a.text, "an unsupported sentence is never shown as cited fact"
    assert "[42]" not in a.text and "[2]" not in a.text
    assert [c.marker for c in a.citations] == [1]
    assert "chili and passion fruit" in a.citations[0].quote
    assert_exact(a)


def test_uncited_but_supported_sentence_gets_its_marker(corpus_config):
    gen = scripted(lambda p: "China agreed to license Vietnamese exports such as chili and passion fruit.")
    a = answer(CHILI_Q, generator=gen, config=corpus_config)
    assert a.text.endswith("[1].") and "chili and passion fruit" in a.citations[0].quote


def test_a_sentence_citing_the_wrong_passage_moves_to_the_one_that_states_it(corpus_config):
    def script(prompt):
        wrong = evidence_number(prompt, "chili and passion fruit") % 2 + 1  # any other passage
        return f"China agreed to license Vietnamese exports such as chili and passion fruit [{wrong}]."

    a = answer(CHILI_Q, generator=scripted(script), config=corpus_config)
    assert "chili and passion fruit [1]" in a.text and "chili and passion fruit" in a.citations[0].quote
    assert not a.notice, "the model's own sentence stands, under the passage that states it"
    assert a.written_by == "scripted"
    assert_exact(a)


def test_a_sentence_no_passage_states_is_dropped_whatever_it_cites(corpus_config):
    # Another number: no passage states it, so moving the marker cannot save it.
    def script(prompt):
        wrong = evidence_number(prompt, "chili and passion fruit") % 2 + 1
        return f"China agreed to license 14 Vietnamese exports such as chili and passion fruit [{wrong}]."

    a = answer(CHILI_Q, generator=scripted(script), config=corpus_config)
    assert "14" not in a.text and "could not be verified" in a.notice


@pytest.mark.parametrize("reply,notice", [
    ("NOT_IN_EVIDENCE", "found no answer"),  # the evidence answers it: the model missed it
    ("Bananas are yellow [1].", "could not be verified"),
])
def test_a_model_answer_that_does_not_stand_falls_back_to_the_passages(corpus_config, reply, notice):
    a = answer(CHILI_Q, generator=scripted(lambda p: reply), config=corpus_config)
    assert not a.refused and notice in a.notice and a.written_by == "extractive"
    assert any("chili and passion fruit" in c.quote for c in a.citations)
    assert_exact(a)


def test_refusal_is_decided_before_the_model_runs(corpus_config):
    gen = scripted(lambda p: "Forty million passengers a year [1].")
    llm = gen.llm
    a = answer("What was the weather like in Hà Nội during Xi’s visit?", generator=gen, config=corpus_config)
    assert a.refused and a.citations == [] and a.written_by == ""
    assert llm.prompts == [], "no evidence, no generation"


def test_stream_yields_text_then_the_final_answer(corpus_config):
    gen = scripted(lambda p: f"Chili and passion fruit exports were licensed [{evidence_number(p, 'chili')}].")
    items = list(answer_stream(CHILI_Q, generator=gen, config=corpus_config))
    *pieces, final = items
    assert len(pieces) > 1 and all(isinstance(p, str) for p in pieces)
    assert "".join(pieces).startswith("Chili and passion fruit")
    assert final.citations and not final.refused
    assert_exact(final)


def test_follow_up_is_rewritten_by_the_model_before_retrieval(corpus_config):
    def script(prompt):
        if "Rewrite the last question" in prompt:
            return "When will the Lao Cai-Hanoi-Hai Phong railway be completed?"
        return f"It is to be completed by 2030 [{evidence_number(prompt, 'completed by 2030')}]."

    gen = scripted(script)
    llm = gen.llm
    history = [{"role": "user", "content": "Tell me about the Lao Cai-Hanoi-Hai Phong railway."},
               {"role": "assistant", "content": "It was approved by the National Assembly [1]."}]
    a = answer("When will it be finished?", history=history, generator=gen, config=corpus_config)
    assert "Rewrite the last question" in llm.prompts[0]
    assert not a.refused and any("completed by 2030" in c.quote for c in a.citations)
    assert_exact(a)


def test_missing_local_model_falls_back_with_a_notice(corpus_config, tmp_path):
    a = answer(CHILI_Q, generator="local", config=with_llm(corpus_config, model_path=tmp_path / "none.gguf"))
    assert "make model" in a.notice and "extractive" in a.notice
    assert any("chili and passion fruit" in c.quote for c in a.citations)


def test_evidence_prompt_numbers_sentences():
    from chat.evidence import Evidence

    ev = [Evidence("a", 0, 3, "One", 1, 1, 1), Evidence("b", 0, 3, "Two", 1, 1, 1)]
    assert evidence_prompt("Q?", ev) == "Evidence:\n[1] One\n[2] Two\n\nQuestion: Q?"


def test_extractive_shows_a_sentence_an_article_repeats_once():
    from chat.evidence import Evidence
    from chat.generate import ExtractiveGenerator

    line = "Xi's visit breathed new life into relations."
    ev = [Evidence("a.txt", 0, len(line), line, 0.9, 0.9, 0.9),
          Evidence("a.txt", 500, 500 + len(line), line, 0.9, 0.9, 0.9),
          Evidence("a.txt", 900, 940, "Trade surpassed $200 billion last year.", 0.85, 0.8, 0.8)]
    out = ExtractiveGenerator(extra=1).generate("Why does the visit matter?", ev)
    assert out.count(line) == 1
    assert "[3]" in out and "[2]" not in out
