"""Questions in Vietnamese and Chinese: answered from English articles, in English with a notice by
default, in the asker's language with RAG_TRANSLATE when the model's translation checks out both ways;
quoted in English by the extractive generator; a translation that changes a number, a marker or a
subject is never shown."""

from __future__ import annotations

import dataclasses

import pytest

from chat import answer
from chat.evidence import Evidence
from chat.multilingual import (EXTRACTIVE_NOTICE, IN_ENGLISH, REFUSALS, TRANSLATED, UNCHECKED, kept, setting_apart,
                               states, to_english)
from tests.chat.test_generate import TEXTS, assert_exact, evidence_number, scripted
from vectorstore.text import language

VI_CHILI = "Trung Quốc đồng ý cấp phép cho những nông sản xuất khẩu nào của Việt Nam?"
ZH_CHILI = "中国同意对越南哪些农产品出口发放许可？"


def test_a_translation_must_keep_markers_and_numbers():
    assert kept("Building starts by 2025 and ends by 2030 [1].", "Khởi công trước 2025, hoàn thành năm 2030 [1].")
    assert not kept("Building starts by 2025 [1].", "Khởi công trước 2025.")  # marker lost
    assert not kept("Trade passed $200 billion [2].", "贸易额超过3000亿美元[2]。")  # number changed
    assert not kept("It opens in 2026 [1].", "Nó mở cửa năm 2026 [1] [2].")  # marker invented


def test_a_sentence_states_an_answer_only_of_the_kind_asked_for():
    def said(text):  # e5 finds it close: only the kind of answer decides
        return Evidence("a", 0, len(text), text, score=0.9, dense=0.95, lexical=0.0)

    approved = said("The railway project was approved and will begin construction by the end of 2025.")
    priority = said("The feasibility study for the railway is a priority.")
    assert states("Dự án đường sắt dự kiến bao giờ thì khởi công?", approved)
    assert not states("Dự án đường sắt dự kiến bao giờ thì khởi công?", priority), "no date"
    assert not states("Tổng mức đầu tư của tuyến đường sắt là bao nhiêu tiền?", approved), "a year is no amount"
    assert states("Tổng mức đầu tư của tuyến đường sắt là bao nhiêu tiền?", said("The railway will cost $8 billion."))
    assert not states("铁路的总投资是多少钱？", priority)
    assert states("越南在湄公河合作中担任什么角色？", priority), "asks for no date or number"
    assert not states("Dự án đường sắt dự kiến bao giờ thì khởi công?", dataclasses.replace(approved, dense=0.5))


def test_a_number_the_question_writes_may_name_the_subject_in_the_sentence_before():
    text = "The meeting adopted a plan of more than 300 reform tasks."
    plan = Evidence("a", 0, len(text), text, score=0.9, dense=0.95, lexical=0.0,
                    context="It implements the Third Plenary Session of the 20th CPC Central Committee.")
    question = "Kế hoạch của Hội nghị Trung ương 3 gồm hơn bao nhiêu nhiệm vụ?"
    assert states(question, plan)
    assert not states(question, dataclasses.replace(plan, context="It was held in Beijing last July."))


def test_a_chinese_question_s_names_that_set_the_passages_apart_must_be_held():
    def said(text, context=""):
        return Evidence("a", 0, len(text), text, score=0.9, dense=0.95, lexical=0.0, context=context)

    visit = said("Leaders met in Hanoi on April 14, 2025.")
    approval = said("The Assembly approved the Lao Cai railway project.", context="It runs to Hai Phong.")
    question = "国会是在哪一天批准老街铁路项目的？"  # on which day was the Lao Cai railway approved
    names = setting_apart(question, [visit, approval])
    assert [sorted(n) for n in names] == [["cai", "lao"]], "国会 'Parliament': no passage names one"
    assert not states(question, visit, names), "a day, but of a visit to Hanoi"
    assert states(question, visit), "without the names, the day is all that is asked"
    assert setting_apart(question, [approval]) == [], "a name every passage holds sets none apart"
    assert setting_apart("Lao Cai railway approved on which day?", [visit, approval]) == []


def test_a_figure_the_question_gives_is_not_its_answer():
    signed = Evidence("a", 0, 60, "More than 40 cooperation agreements were signed during the visit.", score=0.9,
                      dense=0.95, lexical=0.0)
    assert not states("两国签署的40多份合作协议中，有多少份涉及铁路？", signed), "how many of the 40 concern rail"
    assert states("两国签署了多少份合作协议？", signed)


def test_a_code_in_the_question_must_be_written_in_the_sentence():
    def said(text):
        return Evidence("a", 0, len(text), text, score=0.9, dense=0.95, lexical=0.0)

    g20 = said("The G20 summit in Lagos opens in June.")
    assert states("Hội nghị G20 ở Lagos khai mạc khi nào?", g20), "G20 holds no number 20 to find"
    assert not states("Hội nghị G7 ở Lagos khai mạc khi nào?", g20)
    assert states("G20峰会什么时候开幕？", g20), "a code that touches Chinese characters is not read as one"


@pytest.mark.parametrize("question", [VI_CHILI, ZH_CHILI])
def test_extractive_quotes_the_english_passage_and_says_it_does_not_translate(corpus_config, question):
    a = answer(question, generator="extractive", config=corpus_config)
    assert not a.refused
    assert any("chili and passion fruit" in c.quote for c in a.citations)
    assert EXTRACTIVE_NOTICE in a.notice
    assert_exact(a)


def test_a_refusal_is_written_in_the_language_asked(corpus_config):
    q = "Hôm nay thời tiết ở Đà Lạt thế nào?"
    a = answer(q, generator="extractive", config=corpus_config)
    assert a.refused and a.citations == []
    assert a.text == REFUSALS["vi"].format(question=q) and language(a.text) == "vi"


EN = "China agreed to license Vietnamese exports such as chili and passion fruit"
VI = "Trung Quốc đồng ý cấp phép xuất khẩu ớt và chanh leo của Việt Nam [1]."


def _translator(vi_answer, back=f"{EN} [1]."):
    """A scripted model: translates the question, answers in English, translates the answer into
    Vietnamese as ``vi_answer`` and that back into English as ``back``."""
    def script(prompt):
        if "Translate this question into English" in prompt:
            return "Which Vietnamese exports did China agree to license?"
        if "Translate this text into Vietnamese" in prompt:
            return vi_answer
        if "Translate this text into English" in prompt:
            return back
        n = evidence_number(prompt, "chili and passion fruit")
        return f"{EN} [{n}]."
    return scripted(script)


def test_by_default_a_model_answers_in_english_verified_and_says_so_in_the_language_asked(corpus_config):
    gen = _translator("never asked for")
    a = answer(VI_CHILI, generator=gen, config=corpus_config)
    assert f"{EN} [1]" in a.text and a.notice == IN_ENGLISH["vi"]
    # The question is put into English to rank the evidence and to be answered; the answer is not translated.
    assert not any("Translate this text" in p for p in gen.llm.prompts)
    assert "Question: Which Vietnamese exports did China agree to license?" in [
        p for p in gen.llm.prompts if "Evidence:" in p][0]
    assert_exact(a)


def _evidence_prompt(config, question: str, task: str, reply: str, history: list | None = None) -> str:
    """The first answering prompt a scripted model gets for ``question``: it answers the prompt asking
    for ``task`` (a rewrite, a translation) with ``reply``, and finds nothing in the evidence."""
    gen = scripted(lambda prompt: reply if task in prompt else "NOT_IN_EVIDENCE")
    answer(question, history=history, generator=gen, config=config)
    asked = [p for p in gen.llm.prompts if "Evidence:" in p]
    assert asked, "the model was never asked to answer"
    return asked[0]


def test_a_chinese_follow_up_reaches_the_model_with_the_turn_it_leans_on(corpus_config):
    # The model's rewrite is the follow-up unchanged (it resolved nothing), and it gives no translation: the
    # previous question's words are borrowed, for retrieval and for the model, which otherwise reads only
    # "它什么时候开工？".
    history = [{"role": "user", "content": "越南国会批准了哪个铁路项目？"}]
    asked = _evidence_prompt(corpus_config, "它什么时候开工？", "Rewrite the last question", "它什么时候开工？", history)
    assert "越南国会批准了哪个铁路项目？ 它什么时候开工？" in asked


def test_with_translation_on_an_answer_whose_translation_checks_out_is_shown_in_the_language_asked(corpus_config):
    gen = _translator(VI)
    a = answer(VI_CHILI, generator=gen, config=dataclasses.replace(corpus_config, translate=True))
    assert a.text == VI and a.notice == TRANSLATED["vi"]
    answering = [p for p in gen.llm.prompts if "Evidence:" in p]
    assert len(answering) == 1 and "Question: Which Vietnamese exports did China agree to license?" in answering[0]
    assert [c.marker for c in a.citations] == [1] and "chili and passion fruit" in a.citations[0].quote
    assert TEXTS[a.citations[0].source][a.citations[0].start:a.citations[0].end] == a.citations[0].quote


def test_a_translation_whose_back_translation_changes_the_subject_or_drops_a_thing_is_not_shown(corpus_config):
    on = dataclasses.replace(corpus_config, translate=True)
    swapped = "Việt Nam đồng ý cấp phép xuất khẩu ớt và chanh leo [1]."
    a = answer(VI_CHILI, generator=_translator(swapped, back="Vietnam agreed to license exports of chili and "
                                                              "passion fruit [1]."), config=on)
    assert f"{EN} [1]" in a.text and a.notice == UNCHECKED["vi"]
    dropped = answer(VI_CHILI, generator=_translator(VI, back="China agreed to license chili exports [1]."), config=on)
    assert f"{EN} [1]" in dropped.text and dropped.notice == UNCHECKED["vi"], "the back-translation lost passion fruit"
    assert_exact(a)


def test_a_translation_that_changes_a_number_is_not_shown(corpus_config):
    bad = "Trung Quốc đồng ý cấp phép 3 loại nông sản: ớt và chanh leo [1]."  # a number the answer never gave
    a = answer(VI_CHILI, generator=_translator(bad, back="China agreed to license 3 farm products [1]."),
               config=dataclasses.replace(corpus_config, translate=True))
    assert "3 loại" not in a.text and f"{EN} [1]" in a.text and a.notice == UNCHECKED["vi"]
    assert_exact(a)


def test_the_question_in_english_ranks_the_evidence_the_model_reads(corpus_config):
    # e5 puts a sentence about the state visit's hosts above the Gulf of Tonkin one for this question;
    # the model's English translation of it finds the right one first.
    asked = _evidence_prompt(corpus_config, "Ở Vịnh Bắc Bộ, hai bên sẽ mở rộng hợp tác thông qua những lực lượng nào?",
                             "Translate this question into English",
                             "Through which forces will the two sides expand cooperation in the Gulf of Tonkin?")
    assert evidence_number(asked, "The Gulf of Tonkin, a shared maritime space") == 1


@pytest.mark.parametrize("reply, english", [
    ("Which exports did China license?", "Which exports did China license?"),
    ("NOT_IN_EVIDENCE", None),  # a lone token is the model doing another task
    ("Trung Quốc cấp phép cho nông sản nào?", None),  # not English
])
def test_only_an_english_question_counts_as_the_translation(reply, english):
    assert to_english("Trung Quốc cấp phép cho nông sản nào?", scripted(lambda prompt: reply)) == english
