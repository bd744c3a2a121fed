"""Whose office a question asks about (chat.whose)."""

from __future__ import annotations

import pytest

from chat.whose import held_elsewhere, may_name

ASKED = "Who is Vietnam's prime minister?"


@pytest.mark.parametrize("text", ["Chinese Prime Minister Li Qiang met him.", "China's prime minister spoke.",
                                  "He met the Prime Minister of China in Beijing."])
def test_an_office_named_only_as_another_countrys_is_held_elsewhere(text):
    assert held_elsewhere(ASKED, "minister", text)


@pytest.mark.parametrize("text", ["Vietnamese Prime Minister Pham Minh Chinh met Chinese Prime Minister Li Qiang.",
                                  "He met the Prime Minister in Hanoi.", "No office is named here."])
def test_an_office_of_the_askers_country_or_of_no_one_may_answer(text):
    assert not held_elsewhere(ASKED, "minister", text)


def test_only_a_known_country_owns_an_office():
    # "Northland" is no country we know: the rule stands aside rather than guess.
    assert not held_elsewhere("Who is Northland's president?", "president", "Chinese President Xi spoke.")
    assert not held_elsewhere("Who is the president?", "president", "Chinese President Xi spoke.")


def test_an_office_may_be_named_by_a_wider_word_only():
    assert may_name("ambassador", "diplomat") and may_name("leader", "president")
    assert not may_name("ambassador", "president") and not may_name("president", "visited")


def test_an_office_must_be_said_with_the_body_asked_about():
    from chat.whose import unsaid

    asked = "Who is the director of Harbour Lights?"
    assert unsaid(asked, "director", "Director Ida Lund believed that Harbour Lights was the finest film.")
    assert not unsaid(asked, "director", "Harbour Lights (2019), directed by Ida Lund, opened the festival.")
    # The question ties no body to the office: nothing to hold the sentence to.
    assert not unsaid("Who was the director when the festival opened?", "director",
                      "Director Ida Lund believed that Harbour Lights was the finest film.")


@pytest.mark.parametrize("asked", ["Who is the president of Vietnam?",
                                   "Who is the general secretary of the Communist Party of Vietnam?"])
def test_a_country_asked_after_of_owns_the_office_even_through_a_party(asked):
    role = "president" if "president" in asked else "secretary"
    other = "Chinese President Xi visited Hanoi." if role == "president" else \
        "General Secretary of the Communist Party of China Xi Jinping undertook a visit to Vietnam."
    assert held_elsewhere(asked, role, other)
    mine = "General Secretary of the Communist Party of Vietnam To Lam and President Luong Cuong hosted him."
    assert not held_elsewhere(asked, role, mine)


def test_the_nearest_country_owns_an_office_named_beside_another_holder():
    # The Chinese president and Vietnam's general secretary in one breath: the president is still China's.
    text = ("Xi Jinping, general secretary of the Communist Party of China and Chinese president, and To Lam, "
            "general secretary of the Communist Party of Vietnam, greeted the crowd.")
    assert held_elsewhere("Who is Vietnam's president?", "president", text)
    assert not held_elsewhere("Who is Vietnam's general secretary?", "secretary", text)


def test_an_envoy_to_a_country_is_not_that_countrys_office():
    # "the ambassador to Vietnam" is another country's envoy: no owner, so no sentence is held elsewhere.
    assert not held_elsewhere("Who is the ambassador to Vietnam?", "ambassador",
                              "Chinese Ambassador to Vietnam He Wei spoke.")


@pytest.mark.parametrize("claim,why", [
    ("Ida Lund is the President of India.", "ida of india"),  # the holder is said to be India's
    ("The talks were hosted by Indian Prime Minister Ida Lund.", "prime of indian"),
    ("Work on the Indian section of the bridge is nearing completion.", "section of indian"),
])
def test_a_claim_may_not_give_a_thing_to_another_country_than_its_passage(claim, why):
    from chat.whose import owned_elsewhere

    evidence = ("Korean President Ida Lund and Korean Prime Minister Ida Lund opened the talks, "
                "as work on the Korean section of the bridge nears completion.")
    assert owned_elsewhere(claim, evidence) == why


@pytest.mark.parametrize("claim", ["Ida Lund is the President of Korea.", "Korea's president is Ida Lund.",
                                   "The bridge's Korean section is nearly done.", "Ida Lund met the president."])
def test_a_claim_that_keeps_the_country_or_names_none_passes(claim):
    from chat.whose import owned_elsewhere

    assert owned_elsewhere(claim, "Korean President Ida Lund opened the Korean section of the bridge.") is None
    # Doing something with a country's people does not make one that country's.
    assert owned_elsewhere("Korean leaders received Ida Lund in Seoul.",
                           "President of India Ida Lund met with Korean leaders in Seoul.") is None
    # A passage that names the office without a country cannot contradict one.
    assert owned_elsewhere("Ida Lund is the President of India.", "President Ida Lund opened the bridge.") is None
