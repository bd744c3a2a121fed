"""chat.evidence: what a sentence's support score is made of."""

from __future__ import annotations

from llama_index.core.embeddings import BaseEmbedding

from chat.evidence import Evidence, fused, gather_evidence
from vectorstore.types import Hit


class FlatEmbedding(BaseEmbedding):
    """Every text the same unit vector: meaning ties, so word overlap alone orders the sentences."""

    def _get_query_embedding(self, query: str) -> list[float]:
        return [1.0, 0.0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return [1.0, 0.0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return [1.0, 0.0]


TEXT = ("The visit was hosted by President Lương Cường and many other leaders of the country. "
        "Both navies will expand patrols in the Gulf of Tonkin with the coast guard.")


def _evidence(question: str):
    return gather_evidence(question, [Hit("a.txt", 0, len(TEXT), TEXT, 1.0)], FlatEmbedding())


def test_words_count_only_within_the_question_language():
    # "lượng" (forces) folds to the name "Lương": a chance match across languages, not evidence.
    vi = _evidence("Hai bên sẽ mở rộng hợp tác thông qua những lực lượng nào?")
    assert [ev.lexical for ev in vi] == [0.0, 0.0]
    assert vi[0].score == vi[1].score
    en = _evidence("Who will patrol the Gulf of Tonkin?")
    assert en[0].text.startswith("Both navies") and en[0].lexical > 0 == en[1].lexical


def test_a_chinese_questions_words_meet_english_sentences_through_their_glosses():
    zh = _evidence("海军和海警将在北部湾扩大什么合作？")  # navy, coast guard, Gulf of Tonkin, expand
    assert zh[0].text.startswith("Both navies") and zh[0].lexical > 0 == zh[1].lexical
    assert zh[0].score > zh[1].score


def test_a_real_date_outranks_soon_for_a_when_question():
    text = "Work on the line is expected to commence soon. Work on the line begins by the end of 2025."
    ev = gather_evidence("When will work on the line start?", [Hit("a.txt", 0, len(text), text, 1.0)], FlatEmbedding())
    assert ev[0].text.endswith("end of 2025.") and ev[0].score > ev[1].score


def test_fused_adds_the_other_wordings_score_and_reranks():
    a = Evidence("a.txt", 0, 10, "First one.", score=0.5, dense=0.8, lexical=0.0)
    b = Evidence("a.txt", 11, 22, "Second one.", score=0.45, dense=0.79, lexical=0.0)
    got = fused([a, b], [Evidence("a.txt", 11, 22, "Second one.", score=0.3, dense=0.3, lexical=0.3)], weight=1.0)
    assert [ev.text for ev in got] == ["Second one.", "First one."] and got[0].score == 0.75
    assert got[0].dense == 0.79  # what judges the sentence stays as it was
