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
    store = open_store(corpus_settings)
    hits = retrieve(store, embedder, question, k=3)
    assert len(hits) == 3
    assert hits == sorted(hits, key=lambda h: -h.score)
    assert any(needle in h.text for h in hits)


def test_k_is_validated(corpus_settings, embedder):
    with pytest.raises(ValueError, match="k must be"):
        retrieve(open_store(corpus_settings), embedder, "x", k=0)


def test_nfc_and_nfd_copies_are_both_found(fresh_settings, tmp_path, embedder):
    text = "Thủ tướng Phạm Minh Chính khai trương cảng thông minh Hữu Nghị.\n"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "nfc.txt").write_text(unicodedata.normalize("NFC", text), encoding="utf-8")
    (tmp_path / "docs" / "nfd.txt").write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    store = open_store(fresh_settings)
    ingest([tmp_path / "docs"], store, embedder, progress=False)
    assert store.document_text("nfd.txt") == unicodedata.normalize("NFD", text)  # stored as given
    hits = retrieve(store, embedder, "cảng thông minh Hữu Nghị", k=2)
    assert {h.source for h in hits} == {"nfc.txt", "nfd.txt"}


def test_bm25_index_is_saved_per_revision_and_reloaded(fresh_settings, tmp_path, embedder):
    """A new process loads the saved BM25 index; a change to the store makes it rebuild and re-save."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The harbour of Haiphong handles container ships.\n", encoding="utf-8")
    store = open_store(fresh_settings)
    ingest([docs], store, embedder, progress=False)
    built = R._bm25(store)
    folder = R._saved_at(store)
    assert folder == fresh_settings.chroma_path.parent / "cache" / "bm25-testdocs"
    assert (folder / "revision").read_text(encoding="utf-8") == store.revision()

    loaded = R._BM25.load(folder, store.revision())
    assert loaded is not None and loaded.chunks == built.chunks and loaded.vocabulary == built.vocabulary
    assert [c.id for c, _ in loaded.top("container ships", 3)] == [c.id for c, _ in built.top("container ships", 3)]
    assert R._BM25.load(folder, "another-revision") is None  # stale: never used

    (docs / "b.txt").write_text("Lang Son borders Guangxi and trades dragon fruit.\n", encoding="utf-8")
    ingest([docs], store, embedder, progress=False)
    R._cache.clear()  # as in a new process
    assert [c.source for c, _ in R._bm25(store).top("dragon fruit", 3)] == ["b.txt"]
    assert (folder / "revision").read_text(encoding="utf-8") == store.revision()

    (folder / "chunks.jsonl").write_text("not json\n", encoding="utf-8")  # a damaged cache is rebuilt
    R._cache.clear()
    assert [c.source for c, _ in R._bm25(store).top("dragon fruit", 3)] == ["b.txt"]


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
