"""The language of a question decides which embedder reads it and which language a refusal is in."""

import pytest

from vectorstore.text import language


@pytest.mark.parametrize("question", [
    "Ai là tác giả?",  # only letters French shares (à, á): the common words still say Vietnamese
    "Là gì vậy?",
    "Cái gì được ký?",
    "Khi nào thì xong?",
    "Có bao nhiêu người?",
    "Tại sao họ đến?",
    "Ông ấy là ai?",
])
def test_short_vietnamese_questions_without_its_own_letters(question):
    assert language(question) == "vi"


@pytest.mark.parametrize("question", [
    "《Shared Future, Common Path》一文是谁写的？",  # an English title quoted inside a Chinese question
    "“Belt and Road Initiative”在文中指什么？",
    "文章提到的 Lao Cai-Hanoi-Hai Phong railway 什么时候开工？",
])
def test_a_chinese_question_quoting_english_is_chinese(question):
    assert language(question) == "zh"


@pytest.mark.parametrize("text", [
    "Xi met Tô Lâm in Hà Nội.",
    "Who is Lương Cường?",
    "Café prices rose.",
    "Where is Đồng Đăng?",
    "What does “Tình hữu nghị” mean in the article?",
    "The slogan 命运共同体 means a community with a shared future.",
    "",
    "2025",
])
def test_english_naming_vietnamese_or_chinese_stays_english(text):
    assert language(text) == "en"


def test_an_english_acronym_is_not_a_vietnamese_word():
    assert language("AI regulation?") == "en"


@pytest.mark.parametrize("question", [
    "Trung Quoc dong y cap phep cho nhung nong san nao?",  # typed without accents, as many keyboards do
    "Tuyen duong sat nay bao gio khoi cong?",
    "Hai ben se hop tac trong nhung linh vuc nao?",
])
def test_vietnamese_typed_without_accents(question):
    assert language(question) == "vi"


@pytest.mark.parametrize("text", [
    "Viet Nam Trade Deal Signed",  # a heading: "trade", "deal", "signed" are no Vietnamese syllables
    "Elevating trade ties",
    "hanoi weather",  # too short to tell
    "Who is Trung Quoc?",
])
def test_english_naming_vietnam_without_accents_stays_english(text):
    assert language(text) == "en"
