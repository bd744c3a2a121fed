"""WordNet's nouns: what a claim may say for the evidence's word, read from the data the `wn` package ships."""

import pytest

from chat.wordnet import is_noun, related


@pytest.mark.parametrize("a, b", [
    ("aid", "grants"),  # a grant is a kind of aid
    ("stations", "terminals"),
    ("funds", "money"),
    ("ships", "vessels"),  # a shared sense
])
def test_a_synonym_or_a_kind_of_the_other_is_related(a, b):
    assert related(a, b) and related(b, a)


@pytest.mark.parametrize("a, b", [("loans", "grants"), ("docks", "terminals"), ("trains", "buses"),
                                  ("bridges", "tunnels")])
def test_things_of_another_kind_are_not(a, b):
    assert not related(a, b)


def test_only_words_wordnet_knows_as_nouns_are_nouns():
    assert is_noun("loans") and is_noun("agreement")
    assert not is_noun("xyzzy") and not related("xyzzy", "xyzzy")
