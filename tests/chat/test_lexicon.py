"""The lexicon's lemmas (chat.lexicon)."""

from __future__ import annotations

from chat.lexicon import lemmas
from vectorstore.text import stem


def test_lemmas_join_irregular_forms_and_keep_words_apart_that_a_stem_joins():
    assert {"grow"} <= lemmas("grew") and {"rise"} <= lemmas("rose") and {"lose"} <= lemmas("lost")
    assert stem("importance") == stem("import") and "import" not in lemmas("importance")
    assert stem("collaboration") == stem("collapse") and not lemmas("collaboration") & lemmas("collapse")


def test_a_word_the_lexicon_does_not_know_is_its_own_lemma():
    assert lemmas("haiphong") == frozenset({"haiphong"})
