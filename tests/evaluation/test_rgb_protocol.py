"""RGB's own protocol on a tiny RGB file: five passages per question and condition, in a store of its own."""

from __future__ import annotations

from evaluation.rgb import load_rgb
from evaluation.rgb_protocol import NOISE_RATIOS, passages, run_protocol
from tests.conftest import DATA


def test_passages_follow_the_noise_ratio_and_rejection_has_no_positive():
    items = load_rgb(DATA / "rgb_tiny.json")
    for item in items:
        assert not set(passages(item, "rejection")) & set(item.positive)
        for r in NOISE_RATIOS:
            got = passages(item, f"noise_{r}")
            negatives = [p for p in got if p in item.negative]
            assert len(negatives) == min(round(5 * r), len(item.negative))
            assert passages(item, f"noise_{r}") == got, "the same draw every run"


def test_each_question_is_asked_against_only_its_own_passages(fresh_settings):
    items = load_rgb(DATA / "rgb_tiny.json")[:2]
    report = run_protocol(items, fresh_settings.chat_config(), "extractive", progress=False)
    assert set(report["summary"]) == {"rejection", *(f"noise_{r}" for r in NOISE_RATIOS)}
    assert len(report["rows"]) == 2 * 4
    for row in report["rows"]:
        if row["condition"] == "rejection" and not row["refused"]:
            item = next(i for i in items if i.id == row["id"])
            assert not any(p[:40] in row["answer"] for p in item.positive), "an answer from a passage not given"
    assert all(0 <= v <= 1 for v in report["summary"].values())


def test_the_halves_split_the_questions_without_overlap():
    import pytest

    from evaluation.rgb_protocol import halves

    items = load_rgb(DATA / "rgb_tiny.json")
    test, dev = halves(items, "test"), halves(items, "dev")
    assert test + dev == items and test and dev and not {i.id for i in test} & {i.id for i in dev}
    with pytest.raises(ValueError, match="'train'"):
        halves(items, "train")
