"""vectorstore.hanviet: a Vietnamese text's Sino-Vietnamese words, found by how their Chinese reads."""

from __future__ import annotations

import pytest

from vectorstore.hanviet import index, phrases, reading, syllable

KNOWN = index(["合作", "投资", "中心", "忠心", "习近平", "中国通", "中国", "铁路"])


@pytest.mark.parametrize("a, b", [("hoá", "hóa"), ("Hợp", "hợp"), ("kỹ", "kĩ"), ("lý", "lí")])
def test_one_syllable_has_one_spelling_wherever_its_tone_mark_sits(a, b):
    assert syllable(a) == syllable(b)


def test_a_tone_or_a_vowel_tells_syllables_apart():
    assert syllable("hợp") != syllable("hộp") != syllable("hơp")
    assert syllable("quý") != syllable("quí"), "u·y is a vowel pair, not a final y after a consonant"


def test_words_that_read_alike_share_one_reading():
    assert set(KNOWN["trung tâm"]) == {"中心", "忠心"}
    assert KNOWN[reading("Hợp tác")] == ("合作",)


def test_a_two_syllable_word_is_found_left_to_right_and_native_words_find_nothing():
    assert phrases("Hai bên hợp tác đầu tư ở Trung Quốc", KNOWN) == ["hợp tác", "đầu tư", "trung quốc"]
    assert phrases("Đường sắt chạy qua đâu?", KNOWN) == [], "đường sắt is native Vietnamese, not 铁路 (thiết lộ)"


def test_a_longer_run_counts_only_as_a_name():
    assert phrases("Trung Quốc thông qua", KNOWN) == ["trung quốc"], "中国通 (a China hand) is no name"
    assert phrases("Ông Tập Cận Bình", KNOWN, names=frozenset({"习近平"})) == ["tập cận bình"]
    assert phrases("Ông Tập Cận Bình", KNOWN) == []
