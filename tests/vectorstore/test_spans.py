"""Sentence spans are exact slices, placed where the splitter cut, never found by searching."""

from __future__ import annotations

import pytest

from tests.conftest import ARTICLES
from vectorstore.spans import place, sentence_spans


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.name)
def test_article_sentences_are_exact_and_ordered(path):
    text = path.read_text(encoding="utf-8")
    spans = sentence_spans(text)
    assert len(spans) > 40
    assert spans == sorted(spans)
    for s, e in spans:
        assert text[s:e] == text[s:e].strip() and e > s
        assert "\n" not in text[s:e], "a sentence never crosses a line"


def test_sentence_spans_with_base_and_curly_quotes():
    text = "Xi’s visit “breathed new life” into ties. Hà Nội agreed."
    assert [text[s:e] for s, e in sentence_spans(text)] == ["Xi’s visit “breathed new life” into ties.", "Hà Nội agreed."]
    assert sentence_spans(text, base=100)[1] == (142, 156)


@pytest.mark.parametrize("text, expected", [
    ("Trucks crossed, Mar. 1, 2025. (Photo/Xinhua)", ["Trucks crossed, Mar. 1, 2025.", "(Photo/Xinhua)"]),
    ("Leaders met in Hanoi, Apr. 14, 2025. They talked.", ["Leaders met in Hanoi, Apr. 14, 2025.", "They talked."]),
    ("Dr. Li of Acme Inc. spoke. The U.S. Senate voted.", ["Dr. Li of Acme Inc. spoke.", "The U.S. Senate voted."]),
    ("It ended. Next one.", ["It ended.", "Next one."]),
])
def test_abbreviations_do_not_end_a_sentence(text, expected):
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def test_the_photo_captions_keep_their_dates():
    text = (ARTICLES / "bridging-histories-building-futures-2025-04.txt").read_text(encoding="utf-8")
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert any(s.startswith("Trucks make their way") and s.endswith("Mar. 1, 2025.") for s in sentences)
    assert not any(s.startswith("1, 2025") or s.startswith("14, 2025") for s in sentences)


def test_place_repeated_pieces_in_order():
    text = "same. other. same."
    assert place(text, ["same.", " other.", " same."]) == [(0, 5), (5, 12), (12, 18)]


def test_place_skips_only_dropped_punctuation_and_space():
    assert place("a..b", ["a.", "b"]) == [(0, 2), (3, 4)]
    with pytest.raises(ValueError, match="not found"):
        place("abc", ["x"])
