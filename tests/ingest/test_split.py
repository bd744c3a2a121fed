"""Chunk offsets are exact: ``document_text[start:end] == chunk.text`` for every chunk, always."""

from __future__ import annotations

import json
import unicodedata

import pytest

from ingest.split import split_document
from tests.conftest import ARTICLES, DATA
from vectorstore.embed import token_counter
from vectorstore.types import Document


@pytest.fixture(scope="module")
def count():
    return token_counter()


def _docs():
    docs = [Document(p.name, p.read_text(encoding="utf-8")) for p in sorted(ARTICLES.glob("*.txt"))]
    docs.append(Document("vietnamese_quotes.txt", (DATA / "vietnamese_quotes.txt").read_text(encoding="utf-8")))
    return docs


@pytest.mark.parametrize("doc", _docs(), ids=lambda d: d.source)
@pytest.mark.parametrize("size,overlap", [(200, 20), (64, 10), (40, 0)])
def test_every_chunk_is_an_exact_span(doc, size, overlap, count):
    chunks = split_document(doc, chunk_tokens=size, overlap=overlap, count=count)
    assert chunks, "a non-empty document gives chunks"
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert c.text == c.text.strip() and c.text
        assert len(count(c.text)) <= size, f"chunk {c.start}:{c.end} over {size} tokens"
    # Together the chunks cover every non-blank character of the document.
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    missing = [i for i, ch in enumerate(doc.text) if not ch.isspace() and i not in covered]
    assert not missing, f"characters not in any chunk at {missing[:5]}"
    # In document order, and ids are unique.
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    assert len({c.id for c in chunks}) == len(chunks)


def test_repeated_paragraph_gets_both_offsets(count):
    """The second article repeats a paragraph: the two copies are different spans, not one found twice."""
    doc = Document("d.txt", (DATA / "vietnamese_quotes.txt").read_text(encoding="utf-8"))
    para = "The repeated paragraph says the railway will link Lào Cai, Hà Nội and Hải Phòng."
    assert doc.text.count(para) == 2
    chunks = split_document(doc, chunk_tokens=40, overlap=0, count=count)
    holding = [c for c in chunks if para in c.text]
    starts = {c.start + c.text.index(para) for c in holding}
    assert starts == {doc.text.index(para), doc.text.rindex(para)}


def test_diacritics_and_curly_quotes_survive_unchanged(count):
    text = (DATA / "vietnamese_quotes.txt").read_text(encoding="utf-8")
    doc = Document("v.txt", text)
    joined = "".join(c.text for c in split_document(doc, chunk_tokens=60, overlap=0, count=count))
    for needle in ("Tô Lâm", "Hà Nội", "“láng giềng hữu nghị”", "Xi’s"):
        assert needle in joined
    assert unicodedata.is_normalized("NFC", joined)


def test_nfd_text_keeps_its_own_code_points(count):
    """Ingest normalises nothing: an NFD document's chunks are NFD slices of it."""
    text = unicodedata.normalize("NFD", (DATA / "vietnamese_quotes.txt").read_text(encoding="utf-8"))
    doc = Document("nfd.txt", text)
    for c in split_document(doc, chunk_tokens=60, overlap=5, count=count):
        assert text[c.start : c.end] == c.text


def test_golden_chunks_of_the_small_file(count):
    """Offsets of the small golden file are pinned, so a change in splitting is a visible decision."""
    doc = Document("vietnamese_quotes.txt", (DATA / "vietnamese_quotes.txt").read_text(encoding="utf-8"))
    got = [[c.start, c.end] for c in split_document(doc, chunk_tokens=64, overlap=10, count=count)]
    assert got == json.loads((DATA / "vietnamese_quotes.chunks.json").read_text())


def test_same_content_same_ids_changed_content_new_ids(count):
    a = split_document(Document("a.txt", "One sentence here. Another one there."), chunk_tokens=50, overlap=0, count=count)
    b = split_document(Document("a.txt", "One sentence here. Another one there."), chunk_tokens=50, overlap=0, count=count)
    c = split_document(Document("a.txt", "One sentence here. Another one changed."), chunk_tokens=50, overlap=0, count=count)
    assert [x.id for x in a] == [x.id for x in b]
    assert {x.id for x in a}.isdisjoint(x.id for x in c)
    renamed = split_document(Document("b.txt", "One sentence here. Another one there."), chunk_tokens=50, overlap=0,
                             count=count)
    assert {x.id for x in a}.isdisjoint(x.id for x in renamed)  # same text, other name: its own chunks


def test_overlap_not_smaller_than_size_is_refused(count):
    with pytest.raises(ValueError, match="overlap"):
        split_document(Document("a.txt", "x y z"), chunk_tokens=20, overlap=20, count=count)
