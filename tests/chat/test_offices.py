"""Which office a passage gives each person (chat/offices.py): titles before and after names, and a claim
that hands one holder's title to another."""

from __future__ import annotations

import pytest

from chat.offices import holders, reassigned

HOSTS = ("The talks, opened by Chief Minister of the Eastland Council Ada Berg and Governor Ivo Lund, "
         "ended in a joint statement.")
BOTH = "Secretary of the Eastland Union Central Board and Westland President Mira Osei toured the port."
APPOSED = ("Mira Osei, secretary of the Eastland Union Central Board and Westland president, and Ada Berg, "
           "governor of the Eastland Council, greeted the crowd.")


@pytest.mark.parametrize("text, expected", [
    (HOSTS, [("minister", ("ada", "berg")), ("governor", ("ivo", "lund"))]),
    # a title whose run ends in a body shares the holder of the title joined to it by "and"
    (BOTH, [("secretary", ("mira", "osei")), ("president", ("mira", "osei"))]),
    (APPOSED, [("secretary", ("mira", "osei")), ("president", ("mira", "osei")), ("governor", ("ada", "berg"))]),
    ("Ivo Lund is the Prime Minister of Eastland.", [("prime minister", ("ivo", "lund"))]),
    # a comma before a title of the name after it sets off no description of the word before it
    ("In April, Prime Minister Ivo Lund met Foreign Minister Ada Berg.",
     [("prime minister", ("ivo", "lund")), ("foreign minister", ("ada", "berg"))]),
    ("The president spoke, and the ministers listened.", []),
])
def test_holders_reads_titles_before_and_after_names(text, expected):
    assert holders(text) == expected


@pytest.mark.parametrize("claim", [
    "Ivo Lund is the Chief Minister of the Eastland Council.",
    "Governor Ada Berg opened the talks.",
    "The talks were opened by Chief Minister Ivo Lund.",
    "Ada Berg, the Governor of Eastland, opened the talks.",
])
def test_an_office_given_to_another_holder_named_beside_its_own_is_caught(claim):
    assert reassigned(claim, HOSTS) is not None


@pytest.mark.parametrize("claim, evidence", [
    ("Governor Ivo Lund co-hosted the talks.", HOSTS),
    ("Ada Berg, Chief Minister of the Eastland Council, opened the talks.", HOSTS),
    ("Ivo Lund is the governor.", HOSTS),
    ("Mira Osei, President of Westland, toured the port.", BOTH),
    ("Westland President Mira Osei toured the port.", BOTH),
    # a person the evidence names without a title settles nothing here
    ("President Ada Berg spoke.", "Ada Berg spoke on Monday."),
    # a minister is any minister; a prime minister only that one
    ("Minister Ada Berg spoke.", "Foreign Minister Ada Berg spoke."),
])
def test_faithful_titles_and_untitled_names_pass(claim, evidence):
    assert reassigned(claim, evidence) is None


def test_a_rank_makes_another_office():
    assert reassigned("Prime Minister Ada Berg spoke.", "Foreign Minister Ada Berg spoke.") == "prime minister"
