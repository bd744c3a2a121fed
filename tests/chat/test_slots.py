"""Which name answers who/where/which-city questions (chat/slots.py), with the real spaCy pipeline."""

from __future__ import annotations

import pytest

from chat.slots import NAMES, PEOPLE, PLACES, WORKS, named, wanted


@pytest.mark.parametrize("question, kind, labels", [
    ("Who composed the opera?", [], PEOPLE),
    ("Whom did the minister meet?", [], PEOPLE),
    ("Where was the summit held?", [], PLACES | {"ORG"}),
    ("Which city hosted the summit?", ["city"], PLACES),
    ("Which Chinese company will build it?", ["company"], frozenset({"ORG", "PERSON"})),
    ("Which movie won Best Picture?", ["movie"], WORKS),
    ("Which universities will host them?", ["universities"], frozenset({"ORG", "PERSON"})),
    ("Which team won the cup?", ["team"], frozenset({"ORG", "PERSON", "GPE"})),
    ("Which crops will Beijing allow?", ["crops"], None),
    ("What did the statement say?", [], None),
    ("What is the name of the new museum?", [], NAMES),
    ("What's the name of the ambassador?", [], NAMES),
])
def test_the_kind_of_name_a_question_asks_for(question, kind, labels):
    assert wanted(question, kind) == labels


def test_a_name_the_question_holds_is_no_answer():
    q = "Which Vietnamese city will host the new center in China?"
    assert not named(q, "The center will deepen Viet Nam-China ties.", PLACES), "Vietnam and China are asked"
    assert not named(q, "The Vietnamese side will host a center in Beijing.", PLACES), "Beijing is China's"
    assert named(q, "A new center will open in Hai Phong.", PLACES)


def test_a_name_of_another_kind_is_no_answer():
    assert not named("Which city hosted the 2004 games?", "The Olympic Committee praised the 2004 games.", PLACES)
    assert named("Which city hosted the 2004 games?", "Athens hosted the 2004 games.", PLACES)


def test_a_mistagged_name_still_answers_by_its_part_in_the_sentence():
    # The small model tags "Ines Okafor" a place; being the agent of "composed", it is a person here.
    assert named("Who composed the music of the opera Silver Harbour?",
                 "The music of the opera Silver Harbour was composed by Ines Okafor in a single summer.", PEOPLE)


def test_the_full_name_of_someone_the_question_names_is_no_answer():
    # "Xi Jinping" is the Xi asked about; "President" and "General Secretary" are titles, not names.
    q = "Which two Northland leaders welcomed Xi on his trip?"
    assert not named(q, "General Secretary Xi Jinping met Northland leaders in Port Avery.", PEOPLE - {"GPE"})
    assert named(q, "The visit was hosted by President Tomas Varga.", PEOPLE - {"GPE"})


def test_a_name_in_a_place_role_is_no_person():
    # Untagged names may be of any kind, but after "in" a name is a place, not the person asked for.
    assert not named("Who welcomed the delegation?", "The delegation arrived in Hà Nội on Monday.",
                     frozenset({"PERSON"}))


def test_a_title_doing_the_verb_may_answer_which_movie():
    # The small model tags the film "Soul" a person; as the doer of "won" it may be the title asked for.
    assert named("What movie won the Oscar for Best Animated Film?",
                 "Pixar's Soul has won the Oscar for Best Animated Feature.", WORKS)


def test_a_country_is_no_company_or_university_but_may_be_a_team():
    company = wanted("Which company will build the railway?", ["company"])
    assert not named("Which company will build the railway?", "China agreed to build the railway.", company)
    assert not named("Which university will host them?", "Students will study in Hanoi.",
                     wanted("Which university will host them?", ["university"]))
    assert named("Which team won the cup?", "France won the cup.", wanted("Which team won the cup?", ["team"]))


def test_a_country_sea_or_building_is_no_city():
    city = wanted("Which city will host the meeting?", ["city"])
    assert not named("Which city will host the meeting?", "China will host the meeting.", city, ["city"])
    assert not named("Which city will host the meeting?", "Talks in the South China Sea went on.", city, ["city"])
    assert named("Which city will host the meeting?", "Beijing will host the meeting.", city, ["city"])
    # Asked for a country, a country still answers.
    country = wanted("Which country will host the meeting?", ["country"])
    assert named("Which country will host the meeting?", "China will host the meeting.", country, ["country"])


def test_a_country_where_something_happens_is_no_who():
    # A country answers *who* when it acts ("Northland will co-chair"), not as the place of the act.
    assert not named("Who won the Northgate prize?", "The Northgate prize was awarded in Denmark.", PEOPLE)
    assert named("Who will co-chair the Northgate forum?", "Denmark will co-chair the Northgate forum.", PEOPLE)


def test_a_body_whose_name_says_its_kind_answers_only_that_kind():
    # "Which company" is not answered by a legislature, nor "which university" by a research academy.
    assert not named("Which company will build the Northgate line?",
                     "The Northland National Assembly approved the Northgate line.", PEOPLE - {"GPE", "NORP"},
                     ["company"])
    assert named("Which company will build the Northgate line?", "Okafor Rail Group will build the Northgate line.",
                 PEOPLE - {"GPE", "NORP"}, ["company"])
    assert not named("Which university does she teach at?", "She is a fellow at the Northgate Academy of Sciences.",
                     PEOPLE - {"GPE", "NORP"}, ["university"])


def test_a_persons_name_answers_which_company_only_as_the_doer():
    labels = PEOPLE - {"GPE", "NORP"}
    assert not named("Which company will build the line?", "Xi's visit opened the line.", labels, ["company"])


@pytest.mark.parametrize("text, answers", [
    ("Museums in Lund and Oslo will open next year.", False),  # where the museums are, not what they are called
    ("The Nordic Museum will open in Lund next year.", True),
    ("The museum, named Harbour House, opens next year.", True),
    ("Swedish visitors will see the new museum next year.", False),  # a people is no name of a museum
])
def test_the_name_of_a_thing_is_its_own_not_where_it_is(text, answers):
    assert named("What is the name of the new museum in Oslo?", text, NAMES) is answers
