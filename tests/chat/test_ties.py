"""What a noun is said of (chat/ties.py): an office, a visit, a city tied to its name, or only beside it."""

from __future__ import annotations

import pytest

from chat.parse import parse
from chat.ties import joined, loosened, stated


def _token(doc, text):
    return next(t for t in doc if t.text == text)


@pytest.mark.parametrize("text, noun, name", [
    ("Orbis CEO Mina Osei spoke on Monday.", "CEO", "Orbis"),
    ("Mina Osei, the founder and CEO of Orbis and Kestrel, spoke.", "CEO", "Kestrel"),
    ("Harbour Lights (2019), directed by Ida Lund, opened the festival.", "directed", "Harbour"),
    ("Ida Lund directed Harbour Lights in 2019.", "directed", "Harbour"),
    ("Mina Osei is the chair of the Kestrel Board.", "chair", "Osei"),
    ("Berg undertook a state visit to Eastland in May.", "visit", "Berg"),
    # a participle describing the name's noun: the project's construction
    ("The council approved the Nordby-Lund railway project, slated to begin construction by the end of 2026.",
     "construction", "Nordby"),
])
def test_a_noun_is_tied_to_a_name_in_its_phrase_by_a_copula_or_as_what_the_name_did(text, noun, name):
    doc = parse(text)
    assert joined(_token(doc, noun), _token(doc, name))


@pytest.mark.parametrize("text, noun, name", [
    ("Director Ida Lund believed that Harbour Lights was the finest film of the year.", "Director", "Harbour"),
    ("Orbis hired Mina Osei as its president, making her the first woman in Kestrel history to lead it.",
     "president", "Kestrel"),
])
def test_a_noun_and_a_name_in_two_clauses_or_the_wrong_parts_are_not_tied(text, noun, name):
    doc = parse(text)
    assert not joined(_token(doc, noun), _token(doc, name))


def test_words_close_together_with_no_verb_between_are_read_together_whatever_the_parse():
    # The small parser makes "The Crest" the subject of "premiered" here; the words still stand together.
    doc = parse("Season 3 of Orbis series The Crest premiered on May 17.")
    assert stated("season", "crest", doc) is True
    assert stated("season", "orbis", parse("Season 3 opened, and Orbis later premiered a new show.")) is False


def test_stated_is_none_when_a_word_is_missing():
    doc = parse("Ida Lund directed Harbour Lights.")
    assert stated("director", "harbour", doc) is True
    assert stated("director", "kestrel", doc) is None
    assert stated("producer", "harbour", doc) is None


EV = "Director Ida Lund believed that Harbour Lights was the finest film of the year, and Berg visited Eastland."


@pytest.mark.parametrize("claim, tie", [
    ("Ida Lund is the director of Harbour Lights.", "director of harbour"),
    ("The director of Harbour Lights is Ida Lund.", "director of harbour"),
])
def test_a_claim_that_ties_what_the_evidence_keeps_apart_is_loosened(claim, tie):
    assert loosened(claim, EV) == tie


@pytest.mark.parametrize("claim", [
    "Director Ida Lund thought Harbour Lights the finest film of the year.",
    "Berg's visit took him to Eastland.",
    "Ida Lund admired Harbour Lights.",
])
def test_a_claim_that_keeps_the_evidence_ties_passes(claim):
    assert loosened(claim, EV) is None
