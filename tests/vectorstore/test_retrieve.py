"""Hybrid retrieval over the real corpus: dense + BM25, fused; Unicode forms alike."""

from __future__ import annotations

import importlib
import unicodedata

import pytest

from ingest.pipeline import ingest
from vectorstore.retrieve import retrieve
from vectorstore.store import open_store
from vectorstore.text import tokenize
from vectorstore.types import Chunk

R = importlib.import_module("vectorstore.retrieve")  # the package re-exports the function as `retrieve`


def test_tokenize_folds_case_accents_and_forms():
    nfc = "Tổng Bí thư Tô Lâm"
    assert tokenize(nfc) == tokenize(unicodedata.normalize("NFD", nfc)) == ["tong", "bi", "thu", "lam"]


@pytest.mark.parametrize(
    "question,needle",
    [
        ("Which Vietnamese exports did China agree to license?", "chili and passion fruit"),
        ("Lao Cai-Hanoi-Hai Phong railway construction start", "slated to begin construction"),
        ("Mekong-Lancang Cooperation chair", "Mekong-Lancang"),
    ],
)
def test_the_passage_is_among_the_top_hits(corpus_settings, embedder, question, needle):
    store = open_store(corpus_settings.store_config())
    hits = retrieve(store, embedder, question, k=3)
    assert len(hits) == 3
    assert hits == sorted(hits, key=lambda h: -h.score)
    assert any(needle in h.text for h in hits)


def test_passages_are_the_chunks_of_the_named_sources_that_pass_the_test(corpus_settings):
    store = open_store(corpus_settings.store_config())
    sources = set(store.sources())
    found = R.passages(store, sources, lambda text: "The author is" in text)
    assert [h.source for h in found] == ["bridging-histories-building-futures-2025-04.txt"]
    assert store.document_text(found[0].source)[found[0].start:found[0].end] == found[0].text
    assert R.passages(store, sources - {found[0].source}, lambda text: "The author is" in text) == []
    assert R.passages(store, set(), lambda text: True) == []


def test_k_is_validated(corpus_settings, embedder):
    with pytest.raises(ValueError, match="k must be"):
        retrieve(open_store(corpus_settings.store_config()), embedder, "x", k=0)


def test_nfc_and_nfd_copies_are_both_found(fresh_settings, tmp_path, embedder):
    text = "Thủ tướng Phạm Minh Chính khai trương cảng thông minh Hữu Nghị.\n"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "nfc.txt").write_text(unicodedata.normalize("NFC", text), encoding="utf-8")
    (tmp_path / "docs" / "nfd.txt").write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    store = open_store(fresh_settings.store_config())
    ingest([tmp_path / "docs"], store, embedder, progress=False)
    assert store.document_text("nfd.txt") == unicodedata.normalize("NFD", text)  # stored as given
    hits = retrieve(store, embedder, "cảng thông minh Hữu Nghị", k=2)
    assert {h.source for h in hits} == {"nfc.txt", "nfd.txt"}


def test_bm25_index_is_saved_per_revision_and_reloaded(fresh_settings, tmp_path, embedder):
    """A new process loads the saved index (BM25 and sentence vectors); a change to the store makes it
    rebuild and re-save."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The harbour of Haiphong handles container ships. Cranes work at night.\n\n"
                                "Ferries leave for Cat Ba island every morning.\n", encoding="utf-8")
    store = open_store(fresh_settings.store_config())
    ingest([docs], store, embedder, progress=False)
    built = R._index(store)
    folder = R._saved_at(store)
    assert folder == fresh_settings.chroma_path.parent / "cache" / "bm25-testdocs"
    assert (folder / "revision").read_text(encoding="utf-8") == f"{R._FORMAT}:{store.revision()}"

    loaded = R.SearchIndex.load(folder, store.revision())
    assert loaded is not None and loaded.chunks == built.chunks and loaded.vocabulary == built.vocabulary
    assert [c.id for c, _ in loaded.top("container ships", 3)] == [c.id for c, _ in built.top("container ships", 3)]
    assert [c.id for c in loaded.owners] == [c.id for c in built.owners] and len(built.matrix) >= 3
    assert abs(loaded.matrix - built.matrix).max() < 1e-6  # saved as stored: float16 both times
    q = embedder.get_query_embedding("When do ferries leave?")
    assert loaded.dense(q, 3) == built.dense(q, 3)
    assert R.SearchIndex.load(folder, "another-revision") is None  # stale: never used

    (docs / "b.txt").write_text("Lang Son borders Guangxi and trades dragon fruit.\n", encoding="utf-8")
    ingest([docs], store, embedder, progress=False)
    R._cache.clear()  # as in a new process
    assert [c.source for c, _ in R._index(store).top("dragon fruit", 3)] == ["b.txt"]
    assert (folder / "revision").read_text(encoding="utf-8") == f"{R._FORMAT}:{store.revision()}"

    (folder / "chunks.jsonl").write_text("not json\n", encoding="utf-8")  # a damaged cache is rebuilt
    R._cache.clear()
    assert [c.source for c, _ in R._index(store).top("dragon fruit", 3)] == ["b.txt"]


def _chunk(name: str) -> Chunk:
    return Chunk(id=name, source=f"{name}.txt", start=0, end=len(name), text=name)


def test_fusion_keeps_a_clear_dense_winner_that_bm25_misses():
    # Reciprocal-rank fusion put "both" (rank 2 in each list: 2/62) above "only" (dense rank 1: 1/61).
    dense = [(_chunk("only"), 0.80), (_chunk("both"), 0.52), (_chunk("low"), 0.50)]
    lexical = [(_chunk("lex"), 9.0), (_chunk("both"), 5.0), (_chunk("low"), 1.0)]
    hits = R._fuse(dense, lexical, k=4)
    assert [h.source for h in hits] == ["lex.txt", "only.txt", "both.txt", "low.txt"]
    assert [h.score for h in hits] == pytest.approx([0.5, 0.5, 0.5 * 2 / 30 + 0.5 * 0.5, 0.0], abs=1e-6)


def test_fusion_scores_lie_in_0_1_and_empty_lists_fuse_to_nothing():
    assert R._fuse([], [], k=3) == []
    hits = R._fuse([(_chunk("a"), 0.3)], [(_chunk("a"), 2.0), (_chunk("b"), 1.0)], k=5)
    assert [(h.source, h.score) for h in hits] == [("a.txt", 1.0), ("b.txt", 0.0)]
    assert R._fuse([(_chunk("x"), 0.4), (_chunk("y"), 0.4)], [], k=1)[0].score == 0.5  # ties score 1


def test_bm25_reads_a_documents_title_in_front_of_its_later_chunks():
    """A question naming a document's title reaches a chunk past its first (BM25 title field)."""
    def at(cid: str, source: str, start: int, text: str) -> Chunk:
        return Chunk(cid, source, start, start + len(text), text)

    guide = [at("g0", "guide.txt", 0, "Harbour Pilots Handbook\n\nPilots board ships at the fairway buoy."),
             at("g1", "guide.txt", 500, "The author is a retired sea captain.")]
    other = [at("c0", "cook.txt", 0, "Noodle Soups\n\nThe author of these recipes is a chef from Hue."),
             at("p0", "prose.txt", 0, "This first line is far too long to be the title of anything at all "
                "and reads as prose that goes on and on, well past one hundred and fifty characters, the "
                "limit.\nThe author handbook pilots harbour."),
             at("p1", "prose.txt", 300, "Another paragraph.")]
    index = R.SearchIndex(guide + other)
    top = [c.id for c, _ in index.top("Who is the author of the Harbour Pilots Handbook?", 4)]
    assert top[0] == "g1", top
    assert [c.id for c, _ in index.top("noodle soups", 4)] == ["c0"]  # a first chunk is not doubled
    assert [c.id for c, _ in index.top("far too long", 4)] == ["p0"]  # a long first line is no title


FRUITS = "Which fruits are sold in the markets?"


def test_dense_ranks_chunks_by_their_best_sentence(fresh_settings, tmp_path, embedder):
    import numpy as np

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Lang Son borders Guangxi. Its markets trade dragon fruit and durian.\n\n"
                                "The railway to Hanoi opened in 1902.\n", encoding="utf-8")
    (docs / "b.txt").write_text("Haiphong's harbour handles container ships. Cranes work day and night.\n",
                                encoding="utf-8")
    store = open_store(fresh_settings.store_config())
    ingest([docs], store, embedder, progress=False)
    index, q = R._index(store), embedder.get_query_embedding(FRUITS)
    vectors = store.sentence_vectors()
    assert set(vectors) == {c.id for c in store.chunks()} and all(len(v) >= 1 for v in vectors.values())
    best = {cid: float((v.astype(np.float32) @ np.array(q, dtype=np.float32)).max()) for cid, v in vectors.items()}
    ranked = index.dense(q, k=10)
    assert [c.id for c, _ in ranked] == sorted(best, key=best.get, reverse=True)  # each chunk once, by best
    assert [s for _, s in ranked] == pytest.approx(sorted(best.values(), reverse=True), abs=1e-4)
    assert "dragon fruit" in ranked[0][0].text
    assert [h.text for h in retrieve(store, embedder, FRUITS, k=1)] == [ranked[0][0].text]


def test_a_chinese_question_reaches_english_chunks_through_its_words_glosses(corpus_settings, embedder):
    # e5 alone ranks the chunk with the completion date below five others for this question.
    from vectorstore.e5 import get_e5

    store = open_store(corpus_settings.store_config())
    hits = retrieve(store, embedder, "老街—河内—海防铁路计划哪一年建成？", k=5, e5=get_e5(1))
    assert any("completed by 2030" in h.text for h in hits)
