"""A possessive pronoun is read as the named subject of its clause, and only then."""

from __future__ import annotations

from chat.parse import parse
from chat.pronouns import acts_written, possessor, possessors_written
from chat.verify import check


def test_its_is_the_named_subjects():
    doc = parse("Norland reaffirmed its view of Ostia as a top priority in its foreign policy.")
    owners = {t.i: possessor(t).text for t in doc if possessor(t) is not None}
    assert sorted(owners.values()) == ["Norland", "Norland"]
    assert possessors_written("Norland reaffirmed its view of Ostia as a priority.") == "Norland's view"


def test_no_name_no_owner():
    assert possessors_written("The council reaffirmed its view.") == ""
    assert possessors_written("Norland and Ostia met.") == ""


def test_a_claim_naming_the_pronouns_owner_is_kept_and_the_other_country_is_not():
    evidence = ["Ostia, in turn, highlighted Norland as a key focus of its neighborhood diplomacy."]
    assert check("Norland is a key focus of Ostia's neighborhood diplomacy.", evidence, None) is None
    assert check("Ostia is a key focus of Norland's neighborhood diplomacy.", evidence, None) is not None


def test_a_name_of_two_words_owns_its_pronoun():
    evidence = ["Nova Terra reaffirmed its view of Ostia as a top priority in its foreign policy."]
    assert check("Ostia is a top priority in Nova Terra's foreign policy.", evidence, None) is None
    assert check("Nova Terra is a top priority in Ostia's foreign policy.", evidence, None) is not None


def test_an_act_a_name_undertakes_is_its_own(embedder):
    evidence = ["Chancellor Ada Brun and Mayor Olek Varn undertook a state visit to Ostia on May 3."]
    assert "Brun's state visit" in acts_written(evidence[0]).splitlines()
    assert check("Brun's state visit to Ostia was on May 3.", evidence, embedder) is None
    assert check("Ostia's state visit was on May 3.", evidence, embedder) is not None
    assert acts_written("The council undertook a review.") == ""  # no name, no owner
