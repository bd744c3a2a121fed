"""Sentences that state nothing (questions, headings) and datelines, told apart from statements."""

from __future__ import annotations

import pytest

from chat.sentences import states_nothing, undated


@pytest.mark.parametrize("text", [
    "Who directed Northgate Nights?",
    "习近平何时访问越南？",
    "Historic Bonds and Strategic Priorities",
    "People-to-People Ties and Cultural Exchange",
])
def test_questions_and_headings_state_nothing(text):
    assert states_nothing(text)


@pytest.mark.parametrize("text", [
    "The tram opens in 2026.",
    "He said the tram would open “soon”",  # a closing quote ends a statement too
    "the tram opens in spring and carries riders to the port",  # no closing mark, but not in title case
    "China and Vietnam Signed 40 Agreements in Hanoi.",  # title case, but it closes like a sentence
])
def test_statements_state_something(text):
    assert not states_nothing(text)


def test_only_a_date_that_opens_the_passage_is_a_dateline():
    assert undated("Oct 20, 2021 ... Google Pixel 6: release date.") == "Google Pixel 6: release date."
    assert undated("14 April 2025 — The visit began.") == "The visit began."
    kept = "The visit began on Oct 20, 2021 ... and ended a day later."
    assert undated(kept) == kept
    assert undated("Oct 20, 2021 was the launch day.") == "Oct 20, 2021 was the launch day.", "no ellipsis or dash"


def test_a_wire_storys_place_line_goes_with_its_date():
    assert undated("Mar 12, 2022 ... PORT AVERY, Northland -- The board re-elected Ines Okafor.") == \
        "The board re-elected Ines Okafor."
    assert undated("NORTHGATE — The tram opened.") == "The tram opened."
    kept = "Northgate — a port city — opened the tram."
    assert undated(kept) == kept, "a name in ordinary case is no place line"
