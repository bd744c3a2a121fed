"""chat.typed: a question typed in lower case, without apostrophes or with a slip, tidied for the rules."""

from __future__ import annotations

import pytest

from chat.typed import tidied

PASSAGES = ["The Northgate tram, opened by Mayor Ines Okafor, links Port Avery to Northgate.",
            "Ines Okafor’s office said the NTA will run it. The mayor of Port Avery spoke too.",
            "China and Vietnam signed the deal; Deputy Mayor Ha welcomed it."]


@pytest.mark.parametrize("typed, meant", [
    ("who opened the northgate tram", "who opened the Northgate tram"),
    ("what did ines okafors office say", "what did Ines Okafor's office say"),
    ("wich town does the tram link to port avery", "which town does the tram link to port Avery"),
    ("whats the nta", "what's the NTA"),
    ("did china sign the deal", "did China sign the deal"),  # a country, though "china" is also a word
])
def test_names_apostrophes_and_question_words_are_put_right(typed, meant):
    assert tidied(typed, PASSAGES) == meant


@pytest.mark.parametrize("question", [
    "who is the mayor of the port",  # "Mayor" before a name, "Port" in one: common words all the same
    "Who opened the Northgate tram?",  # already as the passages write it
    "how many stops has the tram",  # "has" is no "Ha's" (Deputy Mayor Ha): it is a word
    "wher does the tram go",  # "where" or "when": no single word is one slip away
    "what did the zorblat say",  # a name the passages do not hold stays as typed
])
def test_what_is_not_a_slip_stays_as_typed(question):
    assert tidied(question, PASSAGES) == question
