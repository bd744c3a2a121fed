"""Follow-up questions made standalone: the model's rewrite when it is still the user's question."""

from __future__ import annotations

from chat.followup import meant, standalone_question
from chat.generate import LLMGenerator
from tests.chat.fakes import ScriptedLLM

HISTORY = [{"role": "user", "content": "What did the leaders say about the Northgate tram?"},
           {"role": "assistant", "content": "It opens in 2026 [1]."}]


def rewriter(reply: str) -> LLMGenerator:
    return LLMGenerator(ScriptedLLM(lambda prompt: reply), "scripted")


def test_a_rewrite_that_keeps_the_users_words_is_used():
    got = standalone_question("And what is it called in Eastport?", HISTORY,
                              rewriter("What is the Northgate tram called in Eastport?"))
    assert got == "What is the Northgate tram called in Eastport?"


def test_a_rewrite_that_drops_the_users_words_is_not_their_question():
    # The user asked what it is *called* in *Eastport*; the model asked about something else.
    got = standalone_question("And what is it called in Eastport?", HISTORY, rewriter("Where does the tram run?"))
    assert got == "What did the leaders say about the Northgate tram? And what is it called in Eastport?"


def test_without_history_the_question_is_left_alone():
    llm = ScriptedLLM(lambda prompt: "never asked")
    assert standalone_question("When does it open?", None, LLMGenerator(llm, "scripted")) == "When does it open?"
    assert llm.prompts == []


def test_a_chinese_or_vietnamese_rewrite_must_still_ask_what_the_user_asked():
    zh = [{"role": "user", "content": "越南国会批准了哪个铁路项目？"}]
    kept = standalone_question("它什么时候开工？", zh, rewriter("老街—河内—海防铁路什么时候开工？"))
    assert kept == "老街—河内—海防铁路什么时候开工？"
    # The model returned the previous question: the user's "when does it start" would be lost.
    assert standalone_question("它什么时候开工？", zh, rewriter("越南国会批准了哪个铁路项目？")) == \
        "越南国会批准了哪个铁路项目？ 它什么时候开工？"
    vi = [{"role": "user", "content": "Cửa khẩu thông minh đầu tiên giữa hai nước là gì?"}]
    assert standalone_question("Nó nằm ở đâu?", vi, rewriter("Cửa khẩu thông minh nằm ở đâu?")) == \
        "Cửa khẩu thông minh nằm ở đâu?"
    assert standalone_question("Nó nằm ở đâu?", vi, rewriter("Cửa khẩu thông minh là gì?")) == \
        "Cửa khẩu thông minh đầu tiên giữa hai nước là gì? Nó nằm ở đâu?"


def test_a_rewrite_that_is_the_question_unchanged_resolved_nothing():
    got = standalone_question("When does it open?", HISTORY, rewriter("When does it open?"))
    assert got == "What did the leaders say about the Northgate tram? When does it open?"


def test_a_rewrite_that_adds_no_word_of_the_conversation_resolved_nothing():
    # "that tram" → "the tram": no earlier word came in, so what "that" points at is still unsaid.
    got = standalone_question("How is that tram described?", HISTORY, rewriter("How is the tram described?"))
    assert got == "What did the leaders say about the Northgate tram? How is that tram described?"
    got = standalone_question("How is that tram described?", HISTORY, rewriter("How is the Northgate tram described?"))
    assert got == "How is the Northgate tram described?"


def test_without_a_model_a_long_follow_up_borrows_the_previous_question_by_its_pronoun():
    # Longer than four words, so only the pronoun ("nó", "这条") tells it leans on the turn before.
    vi = [{"role": "user", "content": "Hai nước lập cơ chế đối thoại chiến lược nào?"}]
    assert standalone_question("Nó gồm những lĩnh vực nào vậy?", vi, None) == \
        "Hai nước lập cơ chế đối thoại chiến lược nào? Nó gồm những lĩnh vực nào vậy?"
    zh = [{"role": "user", "content": "越南国会批准了哪个铁路项目？"}]
    assert standalone_question("这条 铁路 计划 什么 时候 建成？", zh, None).startswith("越南国会")
    standalone = "Hai nước đã ký bao nhiêu thỏa thuận hợp tác?"
    assert standalone_question(standalone, vi, None) == standalone


def test_a_person_pointed_back_at_after_who_wrote_it_is_the_author():
    wrote = [{"role": "user", "content": "Who wrote the Northgate column?"},
             {"role": "assistant", "content": "The author is a fellow at the Eastport Institute. [1]"}]
    assert meant("Where does he work?", wrote) == "Where does the author work?"
    assert meant("And what is their job?", wrote) == "And what is the author's job?"
    # Only after a question about the author, and only a person: "it" is still the piece.
    assert meant("Where does that person work?", HISTORY) == "Where does that person work?"
    assert meant("When was it published?", wrote) == "When was it published?"
