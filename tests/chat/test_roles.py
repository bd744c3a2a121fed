"""Names that change part (chat/roles.py): the doer made the place, the place made the doer, with the real
spaCy pipeline on small hand-made sentences of made-up facts."""

from __future__ import annotations

import pytest

from chat.roles import DOER, PLACE, moved, parts, redescribed, swapped
from chat.verify import check

EV = ("Norway will fund new libraries for Danish pupils, and reading rooms in Ålborg and Bergen will open "
      "next year.")
LINE = "The tram runs from the harbour town Larvik to Skien, which hosts the regional ferry office."


def test_parts_tell_doer_from_place():
    got = parts(EV)
    assert got["norway"] == {DOER}
    assert got["bergen"] == {PLACE} and got["alborg"] == {PLACE}


def test_relative_clause_makes_its_head_a_doer():
    got = parts(LINE)
    assert got["skien"] == {PLACE, DOER}
    assert got["larvik"] == {PLACE}


@pytest.mark.parametrize("claim,names", [
    ("The new reading room in Norway will be run by Bergen.", {"norway", "bergen"}),
    ("Bergen will fund new libraries for Danish pupils.", {"bergen"}),
    ("Larvik hosts the regional ferry office.", {"larvik"}),
])
def test_a_name_given_another_part_is_caught(claim, names):
    evidence = LINE if "Larvik" in claim else EV
    assert moved(claim, evidence) in names
    assert "another part" in check(claim, [evidence], None)


@pytest.mark.parametrize("claim,evidence", [
    ("Reading rooms in Bergen and Ålborg will open next year.", EV),
    ("New libraries for Danish pupils will be funded by Norway.", EV),
    ("The regional ferry office is hosted by Skien.", LINE),
    ("Bergen is one of the towns that will get a reading room.", EV),
])
def test_faithful_rewordings_keep_their_parts(claim, evidence):
    assert moved(claim, evidence) is None


def test_an_unparsed_language_is_left_to_the_other_checks():
    assert check("挪威将为丹麦学生资助新图书馆。", ["挪威将为丹麦学生资助新图书馆。"], None) is None


def test_a_capital_does_what_its_country_does_unless_named_as_a_place():
    assert moved("Washington will fund new libraries.", "The US will fund new libraries, and reading rooms in "
                 "Boston will open.") is None
    assert moved("Washington will fund new libraries.", "The US will fund new libraries, and reading rooms in "
                 "Washington will open.") == "washington"


@pytest.mark.parametrize("claim,evidence,verb", [
    ("Denmark reaffirmed its view of Norway as a top priority.",
     "Norway reaffirmed its view of Denmark as a top priority in its foreign policy.", "reaffirm"),
    ("The tram line was approved by the Bergen council.", "The Oslo council has approved the tram line, which "
     "the Bergen council opposed.", "approve"),
])
def test_a_verb_given_another_doer_is_caught(claim, evidence, verb):
    assert swapped(claim, evidence) == verb
    assert "another doer or undergoer" in check(claim, [evidence], None)


@pytest.mark.parametrize("claim,evidence", [
    ("Norway again called Denmark a top priority.", "Norway reaffirmed its view of Denmark as a top priority."),
    ("The tram line was approved by the Oslo council.", "The Oslo council has approved the tram line."),
    ("Norway, in turn, reaffirmed its view.", "Norway reaffirmed its view of Denmark as a top priority."),
    ("Lao Cai borders China's Yunnan Province.", "The line runs to Lao Cai, which borders Yunnan Province."),
])
def test_the_same_doer_in_other_words_passes(claim, evidence):
    assert swapped(claim, evidence) is None


def test_a_symmetric_verb_may_trade_its_doer_and_undergoer():
    evidence = "The line runs from the port city Trieste to Salzburg, which borders Germany's Bavaria State."
    assert swapped("Bavaria borders Salzburg.", evidence) is None
    assert swapped("Norway reaffirmed its view of Denmark.", "Denmark reaffirmed its view of Norway.") == "reaffirm"


GREET = "Mara Olsen and Tomas Berg greet the crowd after the ceremony."
# (claim, evidence, the verb ``swapped`` names or None), each pair a fabrication and its faithful twin.
SWAPS = [
    # Two who did it together did not do it to each other.
    ("Mara Olsen greeted Tomas Berg after the ceremony.", GREET, "greet"),
    ("Mara Olsen and Tomas Berg greeted the crowd.", GREET, None),
    # A Vietnamese surname that spells an English word is still a name: without it "To Minh greeted …" has
    # no subject and nothing is compared.
    ("The delegates greeted To Minh at the border.", "To Minh greeted the delegates at the border.", "greet"),
    ("To Minh greeted the delegates at the border.", "To Minh greeted the delegates at the border.", None),
    ("The envoy went to China.", "To China, the envoy went.", None),
    # "Westfold Province borders …" parses as one noun phrase with no verb unless the evidence's verb is used.
    ("Westfold Province borders Larvik, where the road begins.",
     "The road runs from the port town Larvik to Skien, which borders Westfold Province.", "border"),
    ("Westfold Province borders Skien, where the road ends.",
     "The road runs from the port town Larvik to Skien, which borders Westfold Province.", None),
]


@pytest.mark.parametrize("claim,evidence,verb", SWAPS)
def test_a_verbs_parties_keep_their_parts(claim, evidence, verb):
    assert swapped(claim, evidence) == verb


BOARD = "Talks joined the Harbour Board—a key port authority—and the Northgate Council."
MAYORS = "Mara Olsen, mayor of Larvik and regional president, and Tomas Berg, mayor of Skien, opened the tram."
# (claim, evidence, the noun ``redescribed`` names or None)
DESCRIPTIONS = [
    ("Skien is the harbour town where the tram starts.", LINE, "town"),
    ("Larvik is a harbour town.", LINE, None),
    ("Skien is a busy town.", "The tram reaches Skien by noon.", None),  # a noun used of no name: other checks
    ("The Northgate Council is a key port authority.", BOARD, "authority"),
    ("The Northgate Council is described as a key port authority.", BOARD, "authority"),
    ("The Harbour Board serves as a key port authority.", BOARD, None),
    # A name before a noun is a name, not a claim.
    ("The Skien Harbour ferry terminal is located in Larvik.", "Work on the Skien Harbour ferry terminal in "
     "Larvik, the first ferry terminal of the coast, is nearing its end.", None),
    # An apposition describes the name it stands beside, not those joined to it by "and".
    ("Tomas Berg is the regional president.", MAYORS, "president"),
    ("Mara Olsen is the regional president.", MAYORS, None),
    ("The Northgate Council is a key port authority.",
     "Talks between the Harbour Board—a key port authority—and the Northgate Council went on.", "authority"),
]


@pytest.mark.parametrize("claim,evidence,noun", DESCRIPTIONS)
def test_a_description_stays_with_its_name(claim, evidence, noun):
    assert redescribed(claim, evidence) == noun


def test_a_moved_description_fails_the_claim_check():
    assert check("Tomas Berg is the regional president.", [MAYORS], None) is not None


def test_a_role_as_is_its_possessors():
    ev = "Ostia's support for the bloc and Norland's upcoming role as co-chair of the Delta Forum were highlighted."
    assert redescribed("Ostia will be co-chair of the Delta Forum.", ev) is not None
    assert redescribed("Norland will be co-chair of the Delta Forum.", ev) is None


def test_a_dated_name_after_in_is_no_place():
    evidence = "The goals were laid down in the 9th Five-Year Plan, a strategy for growth."
    assert moved("The 9th Five-Year Plan sets the goals.", evidence) is None
    assert moved("Beijing sets the goals.", "The goals were set in Beijing.") == "beijing"
