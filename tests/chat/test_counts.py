"""What a "how many" question counts, and whether a sentence counts it."""

from __future__ import annotations

import pytest

from chat.counts import counted_nouns, counts


@pytest.fixture(scope="module")
def emb():
    from vectorstore.embed import get_query_embedder

    return get_query_embedder("int8", "", 1)


@pytest.mark.parametrize("question, nouns", [
    ("How many riders will the Northgate tram carry?", ("riders",)),
    ("How many cross-border railway projects were agreed?", ("cross", "border", "railway", "projects")),
    ("How many of the 300 reform tasks are done?", ("reform", "tasks")),
    ("How many Northland tourists came?", ("tourists",)),  # a name is no noun of the count
    ("How many years has the ferry run?", None),  # "for two decades" answers without the word
    ("How many times has Xi visited?", None),  # "his fourth visit" does too
    ("How many were signed?", None),
    ("When will the tram open?", None),
])
def test_the_nouns_a_question_counts(question, nouns):
    assert counted_nouns(question) == nouns


def test_a_number_counts_the_noun_that_follows_it(emb):
    q = "How many riders will the Northgate tram carry?"
    assert counts(q, "The tram will carry 40,000 riders a day.", emb)
    assert counts(q, "The tram will carry 40,000 passengers a day.", emb), "a rider is a passenger"
    assert not counts(q, "The 12 km tram will carry riders from 2026.", emb), "12 counts kilometres"
    assert not counts(q, "The tram opens on April 14-15 for riders.", emb), "a date counts nothing"


def test_the_questions_own_number_counts_nothing_new(emb):
    q = "How many of the 300 reform tasks has Northland completed?"
    assert not counts(q, "The plan lists more than 300 reform tasks to be completed in five years.", emb)
    assert counts(q, "Of the 300 reform tasks, 120 tasks are complete.", emb)


def test_how_much_money_wants_a_sum_of_money(emb):
    q = "How much money will Northland invest in the zones?"
    assert not counts(q, "Northland will open three zones.", emb)
    assert counts(q, "Northland will invest $2 billion in the zones.", emb)
    assert counts(q, "Northland will invest 2 billion yuan.", emb)
    assert counts("How many zones will open?", "Three zones will open.", emb), "not money: any count of zones"


def test_a_measure_wants_a_number_with_its_unit(emb):
    q = "How fast will the Northgate trams run?"
    assert not counts(q, "The first of three Northgate trams runs next year.", emb)
    assert counts(q, "The Northgate trams will run at 80 km/h.", emb)
    assert not counts("What is the top speed of the tram?", "It is the first tram of its kind.", emb)


def test_an_exact_figure_is_not_answered_by_a_bound(emb):
    q = "What was the exact number of riders in 2025?"
    assert not counts(q, "The tram carried more than 40,000 riders in 2025.", emb)
    assert counts(q, "The tram carried 40,312 riders in 2025.", emb)


def test_a_part_is_not_answered_by_the_count_of_the_whole(emb):
    q = "How many of the agreements signed in Northgate concern rail?"
    assert not counts(q, "More than 40 cooperation agreements were signed in Northgate, spanning rail and trade.", emb)
    assert counts(q, "Twelve of the agreements signed in Northgate concern rail.", emb)
    assert counts(q, "Of 40 agreements signed, 12 agreements concern rail.", emb), "the whole beside the part"
    assert counts("How many agreements were signed in Northgate?", "More than 40 agreements were signed.", emb)
