"""A number at one end of a span keeps its end: a start is no target, an end no start."""

from __future__ import annotations

import pytest

from chat.ranges import flipped, roles, switched
from chat.verify import check

PLAN = "The Ninth Plan, a strategy for growth from 2031 to 2035, is in its last year."
BRIDGE = "The bridge is due to begin construction by the end of 2031 and to be completed by 2036."


def test_range_ends_and_marked_numbers_get_roles():
    assert roles(PLAN) == {2031: {"start"}, 2035: {"end"}}
    assert roles(BRIDGE) == {2031: {"start"}, 2036: {"end"}}
    assert roles("Talks were held on May 3-4.") == {3: {"start"}, 4: {"end"}}
    assert roles("Talks were held between June 3 and June 5.") == {3: {"start"}, 5: {"end"}}


def test_a_number_after_another_number_loses_the_marker_before_both():
    # "start" marks 2031 only: 2036 has no role, so it is never compared
    assert roles("Work should start before 2031 is out and be done by 2036.") == {2031: {"start"}, 2036: {None}}
    assert roles("Trade passed $200 billion in 2024.") == {200: {None}, 2024: {None}}


def test_a_start_said_to_be_an_end_is_caught():
    assert switched("The target year of the Ninth Plan is 2031.", PLAN) == 2031
    assert switched("The Ninth Plan began in 2035.", PLAN) == 2035
    assert switched("The bridge is to be completed by 2031.", BRIDGE) == 2031
    assert switched("Talks ended on May 3.", "Talks were held on May 3-4.") == 3


def test_the_same_end_or_no_role_passes():
    assert switched("The Ninth Plan runs from 2031 through 2035.", PLAN) is None
    assert switched("The Ninth Plan started in 2031.", PLAN) is None
    assert switched("Work on the bridge should begin by the end of 2031.", BRIDGE) is None
    assert switched("The bridge is a project of 2031.", BRIDGE) is None  # no role in the claim
    assert switched("The visit ended in 2031.", "Leaders met in 2031.") is None  # no role in the evidence


def test_check_names_the_switched_number():
    why = check("The target year of the Ninth Plan is 2031.", [PLAN], None)
    assert why is not None and "2031" in why and "other end" in why


@pytest.mark.parametrize("claim, shown", [
    ("The line is to open after 2030.", False),
    ("The line is to open since 2030.", False),
    ("The line is to open before 2030.", True),
    ("The line is to open no later than 2030.", True),
    ("The line is to open in 2030.", True),  # no bound: the number check has it
])
def test_a_year_bounded_from_above_is_not_bounded_from_below(claim, shown):
    assert (flipped(claim, "Work begins by the end of 2026 and the line is to open by 2030.") is None) is shown


def test_a_year_the_evidence_also_states_unbounded_is_not_compared():
    assert flipped("The line opens after 2030.", "The plan, drafted in 2030, says the line opens by 2030.") is None
