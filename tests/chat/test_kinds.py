"""The kind of answer a question asks for, in three languages, and the sentences that hold it."""

from __future__ import annotations

import pytest

from chat.kinds import asks, counted, dated, exact, holds, unasked


@pytest.mark.parametrize("question, kind", [
    ("When will the Northgate tram open?", "date"),
    ("In what year was the bridge finished?", "year"),
    ("Which year is the treaty from?", "year"),
    ("Hai nước thiết lập quan hệ ngoại giao năm nào?", "year"),
    ("How long has the ferry run?", "duration"),
    ("How many riders does the tram carry?", "number"),
    ("Which company built the bridge?", None),
    ("Who penned the Northgate column?", "author"),
    ("Where does the author of the Northgate column work?", "author"),
    ("What does the author argue about the bridge?", None),
    ("Who's the writer of the Northgate column?", "author"),
    ("By whom was the Northgate column written?", "author"),
    ("Who is the Northgate column written by?", "author"),
    ("What is the columnist's view? What is the author's affiliation?", "author"),
    ("Who was the Northgate report written for?", None),
    ("Who signed the agreements written in 2023?", None),
    ("What is the author’s view of the bridge?", None),
    ("Ai là tác giả của bài bình luận?", "author"),
    ("这篇评论的作者是谁？", "author"),
    ("作者认为大桥有什么意义？", None),
    ("What is the release date of the Frostvale game?", "day"),
    ("On what date will the Northgate bridge reopen?", "day"),
    ("Cây cầu sẽ thông xe vào ngày nào?", "day"),
    ("大桥哪天通车？", "day"),
    ("What is the total investment required for the bridge?", "number"),
    ("What was the population of Northgate in 2020?", "number"),
    ("What is the main goal of the bridge?", None),
    ("Dự án dự kiến bao giờ thì khởi công?", "date"),
    ("Tô Lâm sang thăm Trung Quốc vào tháng nào?", "date"),
    ("老街—河内—海防铁路计划哪一年建成？", "year"),
    ("它什么时候开工？", "date"),
    ("Trung Quốc là bạn hàng lớn nhất của Việt Nam được bao lâu rồi?", "duration"),
    ("中越双边贸易额已经连续四年突破了多少？", "number"),
    ("Mỗi năm có mấy suất học bổng?", "number"),
    ("铁路有多长？", "number"),
    ("Việt Nam sắp giữ vai trò gì?", None),
    ("中国同意对越南哪些农产品出口发放许可？", None),
    ("对话机制包括哪几个方面？", None),  # 哪几个: which ones, not how many (几个)
    ("两国签署了几份协议？", "number"),
    ("访问是在哪几天？", "day"),
    # Typed as keywords, the last word (or "number of") says what is asked.
    ("northgate tram opening date", "date"),
    ("number of stations on the tram line", "number"),
    ("tram ticket price", "number"),
    ("show the ticket price", None),  # a command, not keywords
    # A yes/no question about a date is answered "yes" only by a sentence that gives one.
    ("Has a date been set for the tram's opening?", "date"),
    ("Did the mayors agree on a deadline for the bridge?", "date"),
    ("Did the mayors update the plans?", None),
    # "Which month" and "which day" in Vietnamese ask for a date, not a count; typed without accents too.
    ("Tô Lâm thăm Trung Quốc vào tháng mấy?", "date"),
    ("Hội nghị diễn ra ngày mấy?", "day"),
    ("Tuyen duong sat hoan thanh nam nao?", "year"),
    ("Co bao nhieu van kien duoc ky?", "number"),
    ("What may happen to the bridge?", None),  # "may" is "mấy" only in Vietnamese typed without accents
    # "What will it cost?" asks for an amount as "how much" does; "what costs …" asks which ones.
    ("What will the tram cost?", "number"),
    ("What is the bridge expected to cost?", "number"),
    ("What costs did the city cut?", None),
    # "How long is" a thing or a place asks its length; of an act or an event, a time.
    ("How long is the Northgate tram bridge?", "number"),
    ("How long will the new tram tunnels be?", "number"),
    ("How long was the mayor's visit?", "duration"),
    ("How long is it?", "duration"),
])
def test_what_kind_of_answer_a_question_asks_for(question, kind):
    assert asks(question) == kind


@pytest.mark.parametrize("text", [
    "Construction will begin by the end of 2025.",
    "The line opens next year.",
    "Work is expected to commence soon.",
    "Dự án sẽ khởi công vào tháng 12.",
    "Cảng được khánh thành vào tháng Tư.",  # a month by name
    "铁路将于2030年建成。",
    "双方于八月签署协议。",
    "水库去年建成。",  # "last year"
])
def test_dates_in_any_of_the_three_languages(text):
    assert dated(text)


@pytest.mark.parametrize("text", [
    "Oct 20, 2021 ... Google Pixel 6: release date.",  # only a dateline
    "The railway was approved by the National Assembly.",
    "Hai bên ký 40 văn kiện.",  # a number, not a date
])
def test_no_date(text):
    assert not dated(text)


@pytest.mark.parametrize("text, expected", [
    ("Construction begins in 2025.", False),  # a year counts nothing
    ("Oct 20, 2021 ... It sold well.", False),  # nor does a dateline
    ("More than 40 agreements were signed in 2025.", True),
    ("Trade passed $200 billion in 2024.", True),
    ("The line is 2,000 km long.", True),
    ("The plant ships 2030 tonnes a year.", True),  # an amount written like a year
    ("China has been the top partner for two decades.", True),
    ("铁路将于2025年开工。", False),
    ("水库还将为县城约15万居民提供饮用水。", True),  # digits inside Chinese text
    ("开放首周迎客超６万人次。", True),  # full-width
    ("他在展区待了两个多小时。", True),  # Chinese numerals with a measure word
    ("Cá ngừ chiếm khoảng một phần tư tổng sản lượng.", True),  # Vietnamese number words
    ("Cảng có một nhà máy mới.", False),  # "một" is also "a"
    ("The railway will run from Lao Cai to Hai Phong by 2030.", False),  # "Hai" is a name here
])
def test_what_a_how_many_question_can_be_answered_by(text, expected):
    assert counted(text) is expected


def test_a_duration_is_a_number_or_a_date_and_no_kind_is_held_by_anything():
    assert holds("duration", "The ferry has run since 1950.") and holds("duration", "for two decades")
    assert not holds("number", "The ferry has run since 1950.")
    assert holds(None, "Anything at all.")


@pytest.mark.parametrize("text, said", [
    ("Work is expected to commence soon.", False),
    ("Dự án sẽ khởi công trong thời gian sắp tới.", False),
    ("工程即将开工。", False),
    ("Work will commence soon, by the end of 2025.", True),
    ("Dự án sẽ khởi công vào tháng 12.", True),
    ("工程将于2025年底开工。", True),
])
def test_a_vague_date_is_no_exact_one(text, said):
    assert dated(text) and exact("date", text) is said


def test_exact_is_holds_for_other_kinds():
    assert exact("number", "More than 40 agreements were signed.") and not exact("number", "It begins in 2025.")
    assert exact(None, "Anything at all.")


def test_a_number_word_inside_a_name_counts_nothing():
    assert not counted("Northgate joined the “Two Rivers, One Port” plan in 2019.")
    assert counted("Two ferries joined the plan.") and counted("The plan added two ferries.")
    assert counted("The city said: Three ferries joined.")


@pytest.mark.parametrize("text, said", [
    ("The bridge reopens on March 3.", True),
    ("The bridge reopens on the 3rd of March.", True),
    ("Release: 6/19/2031", True),
    ("It reopens on Friday.", True),
    ("Cầu thông xe vào ngày 3 tháng 3.", True),
    ("大桥于3月3日通车。", True),
    ("大桥本周五通车。", True),
    ("The bridge reopens in March 2031.", False),  # a month is no day
    ("The bridge reopens by the end of 2031.", False),
    ("Cầu thông xe vào tháng 3.", False),
    ("大桥将于明年通车。", False),
    ("Mar 3, 2031 ... The bridge reopens next spring.", False),  # a dateline dates no event
])
def test_what_date_needs_a_day(text, said):
    assert holds("day", text) is said


@pytest.mark.parametrize("text, said", [
    ("The treaty of 1982 still holds.", True),
    ("大桥将于2031年通车。", True),
    ("Cầu thông xe vào năm 2031.", True),
    ("This is the Year of Exchanges, launched on January 15.", False),  # the word "year" is no year
    ("The port handled 2031 tonnes of fruit.", False),  # an amount written like one
    ("Mar 3, 2031 ... The bridge reopens next spring.", False),  # a dateline dates no event
])
def test_what_year_needs_a_year(text, said):
    assert holds("year", text) is said


def test_who_wrote_it_is_answered_by_a_byline_or_an_authors_note():
    assert holds("author", "The author is a research fellow at the Northgate Institute.")
    assert holds("author", "The column was written by Ines Okafor.")
    assert not holds("author", "Ines Okafor opened the Northgate bridge.")


def test_a_day_of_a_date_counts_nothing():
    assert not holds("number", "Leaders greeted the crowd in Hanoi, Vietnam, Apr. 14, 2025.")
    assert not holds("number", "The talks ended on 15 March.")
    assert holds("number", "More than 40 agreements were signed on April 15.")


def test_a_range_of_days_is_one_date_and_counts_nothing():
    assert not holds("number", "The leaders met in Port Avery on April 14-15.")
    assert not holds("number", "The state visit ran from April 14 to 15, 2025.")
    assert not holds("number", "The talks ran 14–15 March.")
    assert holds("number", "On April 8 the council hired 40 drivers.")


@pytest.mark.parametrize("question", ["How fast will the trams run?", "How tall is the Northgate tower?",
                                      "What is the top speed of the tram?"])
def test_how_fast_or_tall_asks_for_a_number(question):
    assert asks(question) == "number"


def test_a_figure_the_question_gives_is_blanked_after_the_dateline_is_taken_off():
    text = "Mar 3, 2014 ... At its release, Northgate 3 was something of a disaster."
    assert not holds("date", unasked("When was Northgate 3 released?", text)), "the dateline dates nothing"
    assert unasked("When was Northgate 3 released?", "It sold 3 million copies.") == "It sold   million copies."


@pytest.mark.parametrize("text,expected", [
    ("The mayors spoke by phone on January 15.", False),  # a day is no length of time
    ("The mayors met on April 14-15.", True),
    ("Building begins by the end of 2025 and ends by 2030.", True),
    ("The tram has run since 1950.", True),
    ("The two cities have been partners for over two decades.", True),
    ("The mayors signed 40 deals.", False),  # a count of deals is no length of time
])
def test_what_answers_how_long(text, expected):
    assert holds("duration", text) is expected


def test_a_length_asked_is_answered_by_a_measure_not_a_date():
    from chat.counts import counts

    q = "How long is the Northgate tram bridge?"
    assert not counts(q, "The bridge opens in 2026 and carries 40,000 riders.", None)
    assert counts(q, "The bridge is 2.4 km long.", None)
