"""Ingest into a real embedded Chroma: idempotent, replaces changed files whole, prunes on request."""

from __future__ import annotations

from ingest.pipeline import ingest
from vectorstore.store import open_store


def _state(store):
    return sorted((c.id, c.source, c.start, c.end) for c in store.chunks())


def test_ingest_then_reingest_writes_nothing(fresh_settings, corpus_copy, embedder):
    store = open_store(fresh_settings)
    first = ingest([corpus_copy], store, embedder, progress=False)
    assert len(first.added) == 2 and first.chunks > 0
    before, rev = _state(store), store.revision()
    again = ingest([corpus_copy], store, embedder, progress=False)
    assert again.added == [] and again.replaced == [] and again.chunks == 0
    assert sorted(again.unchanged) == sorted(first.added)
    assert _state(store) == before and store.revision() == rev
    for c in store.chunks():
        assert store.document_text(c.source)[c.start : c.end] == c.text


def test_changed_file_replaces_its_chunks_with_none_stale(fresh_settings, corpus_copy, embedder):
    store = open_store(fresh_settings)
    ingest([corpus_copy], store, embedder, progress=False)
    name = "vietnam-china-shared-future-2025-04.txt"
    old_ids = {c.id for c in store.chunks() if c.source == name}
    path = corpus_copy / name
    path.write_text(path.read_text(encoding="utf-8") + "\nA brand new closing sentence about durian exports.\n",
                    encoding="utf-8")
    report = ingest([corpus_copy], store, embedder, progress=False)
    assert report.replaced == [name] and len(report.unchanged) == 1
    new = [c for c in store.chunks() if c.source == name]
    assert old_ids.isdisjoint(c.id for c in new), "no chunk of the old version survives"
    text = store.document_text(name)
    assert text == path.read_text(encoding="utf-8")
    assert all(text[c.start : c.end] == c.text for c in new)
    assert any("durian" in c.text for c in new)


def test_prune_removes_deleted_files_only_when_asked(fresh_settings, corpus_copy, embedder):
    store = open_store(fresh_settings)
    ingest([corpus_copy], store, embedder, progress=False)
    gone = "bridging-histories-building-futures-2025-04.txt"
    (corpus_copy / gone).unlink()
    kept = ingest([corpus_copy], store, embedder, progress=False)
    assert kept.removed == [] and gone in store.sources()
    pruned = ingest([corpus_copy], store, embedder, prune=True, progress=False)
    assert pruned.removed == [gone]
    assert gone not in store.sources()
    assert all(c.source != gone for c in store.chunks())


def test_bad_file_is_skipped_and_nothing_stored_is_lost(fresh_settings, corpus_copy, embedder):
    store = open_store(fresh_settings)
    ingest([corpus_copy], store, embedder, progress=False)
    before = _state(store)
    (corpus_copy / "broken.txt").write_bytes(b"\xff\xfe\xfa not utf-8")
    report = ingest([corpus_copy], store, embedder, progress=False)
    assert len(report.errors) == 1 and "broken.txt" in report.errors[0]
    assert _state(store) == before


def test_files_with_the_same_text_each_keep_their_own_chunks(fresh_settings, corpus_copy, embedder):
    """Chunk ids hash the source too: identical copies once collided (an error, or a copy with no chunks)."""
    from collections import Counter

    name = "bridging-histories-building-futures-2025-04.txt"
    text = (corpus_copy / name).read_text(encoding="utf-8")
    (corpus_copy / "copy-a.txt").write_text(text, encoding="utf-8")
    store = open_store(fresh_settings)
    ingest([corpus_copy], store, embedder, progress=False)  # the original and a copy in one write
    (corpus_copy / "copy-b.txt").write_text(text, encoding="utf-8")
    ingest([corpus_copy], store, embedder, progress=False)  # a second copy in a later write
    counts = Counter(c.source for c in store.chunks())
    assert counts[name] > 0 and counts[name] == counts["copy-a.txt"] == counts["copy-b.txt"]
    for source in (name, "copy-a.txt", "copy-b.txt"):
        stored = store._docs.get(ids=[f"doc:{source}"], include=["metadatas"])["metadatas"][0]
        assert stored["chunks"] == counts[source]
