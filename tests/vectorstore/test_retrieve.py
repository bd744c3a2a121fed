"""Hybrid retrieval over the real corpus: dense + BM25, fused; Unicode forms alike."""

from __future__ import annotations

import unicodedata

import pytest

from ingest.pipeline import ingest
from vectorstore.retrieve import retrieve
from vectorstore.store import open_store
from vectorstore.text import tokenize


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
