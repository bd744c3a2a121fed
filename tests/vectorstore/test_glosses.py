"""vectorstore.glosses: a Chinese text's words, their English glosses, and how much of a question an
English sentence holds through them."""

from __future__ import annotations

from vectorstore.glosses import english, glosses, meets, names, overlaps, words


def test_words_are_cut_longest_first_without_function_words_or_other_scripts():
    assert words("越南祖国阵线将与中国哪个机构加强友好交流？") == ["越南", "祖国", "阵线", "中国", "机构", "加强", "友好", "交流"]
    assert words("G20峰会在Lagos举行吗？") == ["峰会", "举行"]
    assert words("What is this?") == []


def test_a_word_stands_for_the_stems_of_its_definitions_and_a_name_for_its_name_only():
    assert {"railw"} <= glosses("铁路")
    assert "discu" in glosses("讨论") and "over" not in glosses("讨论"), "'to talk over': 'over' names nothing"
    beijing = glosses("北京")
    assert "beij" in beijing and "capit" not in beijing, "Beijing, not the rest of its definition"
    assert glosses("不是词语的字串") == frozenset()


def test_overlap_weighs_a_word_every_sentence_holds_below_one_only_the_answer_holds():
    sentences = ["Vietnam and China held talks.", "Vietnam and China will build a railway.", "Vietnam is big."]
    got = overlaps("越南和中国将修建铁路吗？", sentences)
    assert got[1] == max(got) and got[1] > got[0] > got[2]
    assert overlaps("越南", sentences) == [0.0, 0.0, 0.0], "a word all hold tells them apart by nothing"
    assert overlaps("What?", sentences) == [0.0, 0.0, 0.0]


def test_a_gloss_matches_a_word_it_begins():
    # 支付 is glossed "to pay"; "payments" stems to "payme".
    got = overlaps("支付方式", ["Retail payments via QR codes.", "Trucks passed customs."])
    assert got[0] > 0 == got[1]


def test_english_lists_the_definitions_for_a_lexical_search():
    assert "railway" in english("铁路什么时候建成？")
    assert english("What?") == ""


def test_a_proper_name_is_read_whole_and_stands_for_the_name_its_definition_opens_with():
    assert [sorted(n) for n in names("老街与云南接壤吗？")] == [["cai", "lao"], ["yunna"]], "not 'province in …'"
    assert [sorted(n) for n in names("北部湾")] == [["gulf", "tonki"]]
    assert names("海防") == [], "hai3 fang2, 'coastal defense': no name in the dictionary"
    assert names("铁路什么时候建成？") == []
    assert meets(names("老街")[0], "It runs to Lao Cai.") and not meets(names("老街")[0], "It runs to Hanoi.")
    assert meets(names("河内")[0], "They met in Hà Nội."), "one name, written as two words"

