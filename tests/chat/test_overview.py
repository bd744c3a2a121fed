"""Requests for what the articles are about: told apart from questions, answered from each article's opening."""

from __future__ import annotations

import pytest

from chat import answer, overview
from chat.generate import LLMGenerator
from tests.chat.fakes import ScriptedLLM
from tests.conftest import ARTICLES

TEXTS = {p.name: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt")}
FIRST, SECOND = sorted(TEXTS)


@pytest.mark.parametrize("request_", [
    "What are the articles about?", "Summarize the second article in two sentences.", "tl;dr",
    "Give me an overview", "What is the main point of the first article?", "What do both articles say?",
    "Tóm tắt hai bài báo", "总结这两篇文章", "overview", "Các bài báo nói về điều gì?", "这些文章讲了什么？",
])
def test_a_request_naming_no_topic_asks_for_an_overview(request_):
    assert overview.asked(request_)


@pytest.mark.parametrize("question", [
    "What does the second article say about the South China Sea?", "Give me an overview of the railway project",
    "Summarize what the articles say about trade", "What is the railway report about?", "Summarize it",
    "总结铁路", "Which article is about trade?", "Các bài báo nói gì về đường sắt?", "文章说了什么关于铁路",
])
def test_a_question_with_a_topic_is_no_overview(question):
    assert not overview.asked(question)


def test_articles_are_counted_in_library_order():
    names = ["b.txt", "a.txt", "c.txt"]
    assert overview.chosen("Summarize the second article", names) == ["b.txt"]
    assert overview.chosen("What is the last article about?", names) == ["c.txt"]
    assert overview.chosen("Summarize the first and third articles", names) == ["a.txt", "c.txt"]
    assert overview.chosen("tl;dr", names) == ["a.txt", "b.txt", "c.txt"]
    with pytest.raises(ValueError, match="holds 3 articles, so there is no fourth"):
        overview.chosen("Summarize the fourth article", names)


def test_leads_skip_title_and_headings_and_are_exact_spans():
    text = "The Tram Story\n\nNew Lines Ahead\nThe city opened a tram line to Northgate on Monday. It runs every " \
           "ten minutes from dawn. Fares are two euros.\n"
    ev = overview.leads(["t.txt"], {"t.txt": text}.__getitem__)
    assert [e.text for e in ev] == ["The city opened a tram line to Northgate on Monday.",
                                    "It runs every ten minutes from dawn."]
    assert all(text[e.start:e.end] == e.text for e in ev)


def test_a_large_library_is_summarised_by_its_first_articles_and_says_so():
    texts = {f"{i:02}.txt": f"Tram {i}\n\nArticle {i} tells of the tram line number {i} in town." for i in range(10)}
    ev, notice = overview.summarised("tl;dr", list(reversed(texts)), texts.__getitem__)
    assert [e.source for e in ev] == ["00.txt", "01.txt", "02.txt"]
    assert "holds 10 articles; these are the first 3" in notice
    ev, notice = overview.summarised("Summarize the tenth article", list(texts), texts.__getitem__)
    assert [e.source for e in ev] == ["09.txt"] and notice == ""
    ev, notice = overview.summarised("What is the last article about?", list(texts), texts.__getitem__)
    assert [e.source for e in ev] == ["09.txt"]


def test_what_the_articles_are_about_cites_each_opening(corpus_config):
    a = answer("What are the articles about?", config=corpus_config)
    assert not a.refused
    assert [c.source for c in a.citations] == [FIRST, FIRST, SECOND, SECOND]
    assert a.citations[0].quote.startswith("Amid a rapidly evolving global landscape")
    assert a.citations[2].quote.startswith("In a landmark state visit from April 14 to 15, 2025")
    assert "“Bridging Histories, Building Futures”:" in a.text
    for c in a.citations:
        assert TEXTS[c.source][c.start:c.end] == c.quote


def test_one_article_by_its_place_and_one_past_the_end(corpus_config):
    a = answer("Summarize the second article", config=corpus_config)
    assert {c.source for c in a.citations} == {SECOND}
    gone = answer("What is the fifth article about?", config=corpus_config)
    assert gone.refused and not gone.citations
    assert "holds 2 articles, so there is no fifth one" in gone.text


def test_a_model_summarises_from_the_openings_and_is_verified(corpus_config):
    seen = []

    def script(prompt):
        seen.append(prompt)
        return ("Xi Jinping met with Vietnamese leaders in Hà Nội on April 14 to 15, 2025 [3]. "
                "The visit was cancelled because of a storm [4].")

    gen = LLMGenerator(ScriptedLLM(script), "scripted")
    a = answer("tl;dr", generator=gen, config=corpus_config)
    assert "[1] Amid a rapidly evolving global landscape" in seen[0]
    assert "[3] In a landmark state visit" in seen[0]
    assert not a.refused and a.written_by == "scripted"
    assert "Vietnamese leaders" in a.text and "storm" not in a.text
    assert a.citations[0].source == SECOND


def test_asked_in_vietnamese_the_openings_come_in_english_saying_so(corpus_config):
    from chat.multilingual import EXTRACTIVE_NOTICE

    a = answer("Các bài báo nói về điều gì?", config=corpus_config)
    assert not a.refused and len(a.citations) == 4
    assert EXTRACTIVE_NOTICE in a.notice
