"""Vietnamese and Chinese articles: exact offsets in both scripts, BM25 that reads them, and questions in
English, Vietnamese and Chinese that find their passage (tests/data/multilingual, written for this)."""

from __future__ import annotations

import json
import unicodedata

import pytest

from ingest.pipeline import ingest
from ingest.split import split_document
from tests.conftest import ROOT
from vectorstore.config import StoreConfig
from vectorstore.e5 import get_e5
from vectorstore.embed import get_query_embedder, token_counter
from vectorstore.retrieve import SearchIndex, retrieve
from vectorstore.spans import sentence_spans
from vectorstore.store import open_store
from vectorstore.types import Document

DATA = ROOT / "tests" / "data" / "multilingual"
DOCS = {p.name: p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))}
QA = [json.loads(line) for line in (DATA / "qa.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def store(tmp_path_factory, embedder):
    s = open_store(StoreConfig(path=tmp_path_factory.mktemp("multilingual") / "chroma", collection="multi"))
    ingest([DATA], s, embedder, progress=False)
    return s


def test_both_scripts_split_on_their_own_sentence_marks_with_exact_offsets():
    for name, text in DOCS.items():
        spans = sentence_spans(text)
        assert all(text[s:e] == text[s:e].strip() and text[s:e] for s, e in spans)
        if name.startswith("zh-"):
            bodies = [text[s:e] for s, e in spans][1:]  # after the title line
            assert len(bodies) >= 10
            assert all(b[-1] in "。！？”）" for b in bodies), [b for b in bodies if b[-1] not in "。！？”）"]
        doc = Document(name, text)
        chunks = split_document(doc, chunk_tokens=200, overlap=20, count=token_counter())
        assert chunks and all(text[c.start:c.end] == c.text for c in chunks)
        assert chunks[0].start == 0 or not text[:chunks[0].start].strip()


def test_full_width_characters_and_nfd_text_keep_their_offsets():
    text = "科技馆２０２６年开放！ＡＩ剧场很受欢迎？是的。\n\n" + unicodedata.normalize("NFD", "Tàu điện chạy từ tháng 9. Giá vé 8.000 đồng.")
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans][:3] == ["科技馆２０２６年开放！", "ＡＩ剧场很受欢迎？", "是的。"]
    chunks = split_document(Document("mixed.txt", text), chunk_tokens=16, overlap=0, count=token_counter())
    assert all(text[c.start:c.end] == c.text for c in chunks)


def test_bm25_reads_vietnamese_with_or_without_diacritics_and_chinese_without_spaces(store):
    index = SearchIndex(store.chunks())
    for query, source in (("cảng cá Vĩnh Lạc", "vi-cang-ca.txt"), ("cang ca vinh lac", "vi-cang-ca.txt"),
                          ("科技馆", "zh-kejiguan.txt")):
        assert index.top(query, 1)[0][0].source == source, query


@pytest.mark.parametrize("lang", ["en", "vi", "zh"])
def test_questions_in_each_language_find_their_passage(store, lang):
    """hit@5 ≥ 0.9 on the test half (the issue's target); the dev half is what rules were chosen on."""
    emb, e5 = get_query_embedder("int8"), get_e5()
    cases = [q for q in QA if q["lang"] == lang and q["split"] == "test" and q["evidence"]]
    found = 0
    for case in cases:
        hits = retrieve(store, emb, case["question"], k=5, e5=e5)
        found += any(ev["quote"] in h.text or h.text in ev["quote"] for ev in case["evidence"] for h in hits)
    assert len(cases) >= 10 and found / len(cases) >= 0.9, f"{lang}: {found} of {len(cases)}"
