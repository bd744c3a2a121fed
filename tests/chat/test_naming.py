"""Names a claim uses and whether its evidence names them (chat/naming.py)."""

from __future__ import annotations

import pytest

from chat.naming import names, unnamed

EV = "China agreed to license Vietnamese exports such as chili, and the Lao Cai-Hanoi-Hai Phong railway was approved."


@pytest.mark.parametrize("claim", [
    "The Lào Cai-Hà Nội-Hải Phòng railway was approved.",  # two words for the evidence's one
    "The Lao Cai-Ha Noi-Hai Phong railway was approved.",
])
def test_a_name_the_evidence_writes_otherwise_is_named(claim):
    assert unnamed(claim, EV) is None


@pytest.mark.parametrize("claim,name", [
    ("Japan will license exports such as chili.", "japan"),
    ("The Lào Cai-Hà Long railway was approved.", "ha"),  # "Hà Long" is not "Hanoi"
    ("The railway runs to Beijing.", "beijing"),  # a capital does not stand for its country
    ("China agreed with Laos.", "laos"),
    ("Chinese leaders approved the railway.", "chinese"),  # a people is not its country's name
])
def test_a_name_the_evidence_lacks_is_the_one_returned(claim, name):
    assert unnamed(claim, EV) == name


def test_a_capitalised_opening_word_is_a_name_only_if_it_must_be():
    assert names("Building starts. Japan waits.") == ["japan"]
