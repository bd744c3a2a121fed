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


def test_two_who_did_it_together_did_not_do_it_to_each_other():
    evidence = "Mara Olsen and Tomas Berg greet the crowd after the ceremony."
    assert swapped("Mara Olsen greeted Tomas Berg after the ceremony.", evidence) == "greet"
    assert swapped("Mara Olsen and Tomas Berg greeted the crowd after the ceremony.", evidence) is None


def test_a_vietnamese_surname_that_spells_an_english_word_is_still_a_name():
    # Without the surname read as a name, "To Minh greeted …" has no subject and nothing is compared.
    evidence = "To Minh greeted the delegates at the border."
    assert swapped("The delegates greeted To Minh at the border.", evidence) == "greet"
    assert swapped("To Minh greeted the delegates at the border.", evidence) is None
    assert swapped("The envoy went to China.", "To China, the envoy went.") is None


def test_a_verb_the_parser_took_for_a_noun_is_read_as_the_evidence_reads_it():
    # "Westfold Province borders …" parses as one noun phrase with no verb unless the evidence's verb is used.
    evidence = "The road runs from the port town Larvik to Skien, which borders Westfold Province."
    assert swapped("Westfold Province borders Larvik, where the road begins.", evidence) == "border"
    assert swapped("Westfold Province borders Skien, where the road ends.", evidence) is None


def test_what_the_evidence_calls_one_name_is_not_said_of_another():
    evidence = "The tram runs from the harbour town Larvik to Skien, which hosts the regional ferry office."
    assert redescribed("Skien is the harbour town where the tram starts.", evidence) == "town"
    assert redescribed("Larvik is a harbour town.", evidence) is None
    # A noun the evidence uses of no name says nothing here; the other checks judge it.
    assert redescribed("Skien is a busy town.", "The tram reaches Skien by noon.") is None
    assert check("Skien is the harbour town where the tram starts.", [evidence], None) is not None


def test_described_as_is_a_description_and_a_name_before_a_noun_is_not_a_claim():
    evidence = "Talks joined the Harbour Board—a key port authority—and the Northgate Council."
    assert redescribed("The Northgate Council is described as a key port authority.", evidence) == "authority"
    assert redescribed("The Harbour Board serves as a key port authority.", evidence) is None
    ferry = ("Work on the Skien Harbour ferry terminal in Larvik, the first ferry terminal of the coast, "
             "is nearing its end.")
    assert redescribed("The Skien Harbour ferry terminal is located in Larvik.", ferry) is None


def test_an_apposition_describes_the_name_it_stands_beside_not_those_joined_to_it():
    evidence = ("Mara Olsen, mayor of Larvik and regional president, and Tomas Berg, mayor of Skien, "
                "opened the tram.")
    assert redescribed("Tomas Berg is the regional president.", evidence) == "president"
    assert redescribed("Mara Olsen is the regional president.", evidence) is None
    fronts = "Talks between the Harbour Board—a key port authority—and the Northgate Council went on."
    assert redescribed("The Northgate Council is a key port authority.", fronts) == "authority"
