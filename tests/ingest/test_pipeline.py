"""Ingest into a real embedded Chroma: idempotent, replaces changed files whole, prunes on request,
skips bad files and duplicates with a message naming them, and leaves what is stored untouched."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from ingest.load import LoadError
from ingest.pipeline import ingest
from tests.conftest import ROOT
from vectorstore.store import open_store

GONE = "bridging-histories-building-futures-2025-04.txt"
KEPT = "vietnam-china-shared-future-2025-04.txt"


def _state(store):
    return sorted((c.id, c.source, c.start, c.end) for c in store.chunks())


def snapshot(store):
    """Everything a reader of the store can see change: documents, chunk count, revision, chunk spans."""
    return store.sources(), store.chunk_count(), store.revision(), _state(store)


def test_ingest_then_reingest_writes_nothing(fresh_settings, corpus_copy, embedder):
    store = open_store(fresh_settings.store_config())
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
    store = open_store(fresh_settings.store_config())
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
    store = open_store(fresh_settings.store_config())
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
    store = open_store(fresh_settings.store_config())
    ingest([corpus_copy], store, embedder, progress=False)
    before = _state(store)
    (corpus_copy / "broken.txt").write_bytes(b"\xff\xfe\xfa not utf-8")
    report = ingest([corpus_copy], store, embedder, progress=False)
    assert len(report.errors) == 1 and "broken.txt" in report.errors[0]
    assert _state(store) == before


def _write_20_mb(path):
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(20):
            f.write("lanterns " * 111_112)  # 1,000,008 bytes of plain text per round


@pytest.mark.parametrize(
    "name,make,message",
    [
        ("latin1.txt", lambda p: p.write_bytes("café au lait".encode("latin-1")), r"not valid UTF-8 \(byte 3"),
        ("photo.txt", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "looks binary"),
        ("empty.md", lambda p: p.write_bytes(b" \n\t\n"), "empty file"),
        ("huge.txt", _write_20_mb, "20.0 MB is over the 10.0 MB limit"),
        ("loop", lambda p: p.symlink_to(p.parent, target_is_directory=True), "symbolic link to a folder that loops back"),
    ],
    ids=["non-utf8", "binary-as-txt", "empty", "20MB", "symlink-loop"],
)
def test_each_bad_input_is_named_and_the_store_is_unchanged(fresh_settings, corpus_copy, embedder, name, make,
                                                            message):
    store = open_store(fresh_settings.store_config())
    ingest([corpus_copy], store, embedder, progress=False)
    before = snapshot(store)
    make(corpus_copy / name)
    report = ingest([corpus_copy], store, embedder, progress=False)  # default limit: 10 MB
    assert [e for e in report.errors if e.startswith(f"{name}: ")] == report.errors and len(report.errors) == 1
    assert re.search(message, report.errors[0]), report.errors
    assert report.added == report.replaced == report.removed == [] and report.chunks == 0
    assert snapshot(store) == before
    if name != "loop":  # a symlinked folder is a note, not a reason to stop a strict run
        with pytest.raises(LoadError, match=message):
            ingest([corpus_copy], store, embedder, strict=True, progress=False)
        assert snapshot(store) == before


def test_unsupported_file_named_explicitly_stops_the_run_before_any_write(fresh_settings, corpus_copy, embedder,
                                                                          tmp_path):
    store = open_store(fresh_settings.store_config())
    ingest([corpus_copy], store, embedder, progress=False)
    before = snapshot(store)
    (tmp_path / "new.txt").write_text("A new article about lanterns.\n", encoding="utf-8")
    (tmp_path / "slides.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(LoadError, match=r"slides\.pdf: unsupported file type '\.pdf'"):
        ingest([tmp_path / "new.txt", tmp_path / "slides.pdf"], store, embedder, progress=False)
    assert snapshot(store) == before  # not even new.txt, named before it, was written


def test_duplicate_files_in_one_run_are_ingested_once(fresh_settings, corpus_copy, embedder):
    shutil.copyfile(corpus_copy / KEPT, corpus_copy / "zz-copy.txt")
    store = open_store(fresh_settings.store_config())
    report = ingest([corpus_copy], store, embedder, progress=False)
    assert sorted(report.added) == [GONE, KEPT]
    assert report.errors == [f"zz-copy.txt: same text as {KEPT} (loaded in this run); skipped as a duplicate"]
    assert set(store.sources()) == {GONE, KEPT}
    assert all(c.source != "zz-copy.txt" for c in store.chunks())
    before = snapshot(store)
    again = ingest([corpus_copy], store, embedder, progress=False)
    assert again.errors == [f"zz-copy.txt: same text as {KEPT} (already stored); skipped as a duplicate"]
    assert sorted(again.unchanged) == [GONE, KEPT] and again.added == [] and snapshot(store) == before
    with pytest.raises(LoadError, match=f"zz-copy.txt: same text as {KEPT}"):
        ingest([corpus_copy], store, embedder, strict=True, progress=False)
    assert snapshot(store) == before


def test_duplicate_of_a_stored_file_is_skipped_then_replaces_it_when_the_original_is_pruned(
    fresh_settings, corpus_copy, embedder, tmp_path
):
    store = open_store(fresh_settings.store_config())
    ingest([corpus_copy], store, embedder, progress=False)
    before = snapshot(store)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(corpus_copy / KEPT, inbox / "renamed.txt")
    report = ingest([inbox], store, embedder, progress=False)  # another folder: KEPT is stored, not reloaded
    assert report.errors == [f"renamed.txt: same text as {KEPT} (already stored); skipped as a duplicate"]
    assert report.added == [] and snapshot(store) == before

    # The original is deleted: without --prune it stays stored and the copy stays skipped ...
    shutil.move(inbox / "renamed.txt", corpus_copy / "renamed.txt")
    (corpus_copy / KEPT).unlink()
    kept = ingest([corpus_copy], store, embedder, progress=False)
    assert kept.errors == [f"renamed.txt: same text as {KEPT} (already stored); skipped as a duplicate"]
    assert snapshot(store) == before
    # ... with --prune the original goes and the copy takes its place in the same run: no text is lost.
    pruned = ingest([corpus_copy], store, embedder, prune=True, progress=False)
    assert pruned.errors == [] and pruned.removed == [KEPT] and pruned.added == ["renamed.txt"]
    assert set(store.sources()) == {GONE, "renamed.txt"}
    text = store.document_text("renamed.txt")
    assert text == (corpus_copy / "renamed.txt").read_text(encoding="utf-8")
    mine = [c for c in store.chunks() if c.source == "renamed.txt"]
    assert mine and all(text[c.start : c.end] == c.text for c in mine)
    assert all(c.source != KEPT for c in store.chunks())


def test_a_stored_file_edited_into_a_copy_of_another_leaves_no_stale_version(fresh_settings, corpus_copy, embedder):
    (corpus_copy / "notes.txt").write_text("Old notes about the railway.\n", encoding="utf-8")
    store = open_store(fresh_settings.store_config())
    ingest([corpus_copy], store, embedder, progress=False)
    shutil.copyfile(corpus_copy / GONE, corpus_copy / "notes.txt")
    report = ingest([corpus_copy], store, embedder, progress=False)
    assert report.errors == [f"notes.txt: same text as {GONE} (already stored); skipped as a duplicate"]
    assert report.removed == ["notes.txt"]
    assert set(store.sources()) == {GONE, KEPT} and all(c.source != "notes.txt" for c in store.chunks())


def test_nfc_and_nfd_copies_are_not_duplicates(fresh_settings, tmp_path, embedder):
    text = "Thủ tướng Phạm Minh Chính khai trương cảng thông minh Hữu Nghị.\n"
    (tmp_path / "nfc.txt").write_text(unicodedata.normalize("NFC", text), encoding="utf-8")
    (tmp_path / "nfd.txt").write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    report = ingest([tmp_path], open_store(fresh_settings.store_config()), embedder, progress=False)
    assert report.added == ["nfc.txt", "nfd.txt"] and report.errors == []


def test_embedding_in_a_child_process_stores_what_one_process_stores(tmp_path, corpus_copy, embedder, monkeypatch):
    """The child-process path (big MiniLM ingests) writes the same chunks and the same vectors."""
    from ingest import pipeline as P
    from app.settings import Settings

    monkeypatch.setattr(P, "_EMBED_BATCH", 8)  # several batches, so the child runs ahead of the writes
    stores = {}
    for mode in (False, True):
        settings = Settings(_env_file=None, chroma_path=tmp_path / f"chroma-{mode}", collection="testdocs")
        stores[mode] = open_store(settings.store_config())
        report = ingest([corpus_copy], stores[mode], embedder, progress=False, embed_process=mode)
        assert len(report.added) == 2 and report.chunks > 16
    assert _state(stores[True]) == _state(stores[False])
    for c in stores[False].chunks()[::5]:
        vector = embedder.get_text_embedding(c.text)
        assert [h.id for h, _ in stores[True].dense(vector, k=1)] == [c.id]
        assert stores[True].dense(vector, k=1)[0][1] == pytest.approx(stores[False].dense(vector, k=1)[0][1], abs=1e-5)


def test_child_process_is_chosen_only_where_it_pays(embedder):
    from ingest import pipeline as P
    from vectorstore.embed import MiniLMEmbedding
    from vectorstore.types import Document

    small = [Document("a.txt", "x" * 1000)]
    big = [Document("b.txt", "y" * P._PROCESS_MIN_CHARS)]
    assert P._use_process(embedder, big, None) and not P._use_process(embedder, small, None)
    assert P._use_process(embedder, small, True) and not P._use_process(embedder, big, False)

    class Fake(MiniLMEmbedding):  # a subclass cannot be rebuilt in the child: always in process
        pass

    fake = Fake()
    assert not P._use_process(fake, big, None)
    with pytest.raises(ValueError, match="needs a MiniLMEmbedding, got Fake"):
        P._use_process(fake, small, True)


def test_a_failing_embedding_process_is_a_clear_error_and_nothing_stored_is_lost(
    fresh_settings, corpus_copy, embedder, tmp_path
):
    from vectorstore.embed import MiniLMEmbedding, default_model_path

    store = open_store(fresh_settings.store_config())
    ingest([corpus_copy / KEPT], store, embedder, progress=False)
    before = snapshot(store)
    broken = tmp_path / "broken-model"
    broken.mkdir()
    for name in ("config.json", "tokenizer.json"):  # the constructor's check passes, and splitting works
        shutil.copy(default_model_path() / name, broken)
    (broken / "model.safetensors").write_bytes(b"not weights")  # loading the model does not
    from ingest.pipeline import EmbedProcessError

    with pytest.raises(EmbedProcessError, match="embedding process failed.*broken-model"):
        ingest([corpus_copy], store, MiniLMEmbedding(broken), progress=False, embed_process=True)
    assert snapshot(store) == before


KILLED_PARENT = """
import sys
from pathlib import Path
from ingest import pipeline as P
from vectorstore.embed import get_embedder
from vectorstore.config import StoreConfig
from vectorstore.store import open_store

if __name__ == "__main__":
    P._EMBED_BATCH = 4  # many batches: the parent is still ingesting when it is killed
    store = open_store(StoreConfig(path=Path(sys.argv[1]), collection="orphans"))
    P.ingest([sys.argv[2]], store, get_embedder(), progress=False, embed_process=True)
"""


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def test_the_embedding_child_leaves_when_its_parent_is_killed(tmp_path, corpus_copy):
    """kill -9 of the ingesting process never shuts the pool down: the child must notice on its own."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "ingest_big.py"
    script.write_text(KILLED_PARENT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    parent = subprocess.Popen([sys.executable, str(script), str(tmp_path / "chroma"), str(corpus_copy)], env=env)
    try:
        children: list[int] = []
        for _ in range(600):  # wait for both embedding children (spawn: fresh interpreters)
            children = [c for c in _children(parent.pid) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
            if len(children) == 2 or parent.poll() is not None:
                break
            time.sleep(0.1)
        assert len(children) == 2, f"the embedding children never started (found {children})"
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)

        def gone(pid: int) -> bool:
            return not Path(f"/proc/{pid}").exists() or b"zombie" in _state_of(pid)

        for _ in range(300):  # each child polls its parent every second; 30 s is a hang guard
            if all(gone(c) for c in children):
                break
            time.sleep(0.1)
        assert all(gone(c) for c in children), "orphan child"
    finally:
        if parent.poll() is None:
            parent.kill()


def _state_of(pid: int) -> bytes:
    try:
        return b"zombie" if b"\nState:\tZ" in Path(f"/proc/{pid}/status").read_bytes() else b"alive"
    except OSError:
        return b"zombie"


def test_a_rebuild_writes_every_document_again_then_ingests_are_unchanged(fresh_settings, corpus_copy, embedder):
    """``rebuild`` rewrites what is stored (same chunks, same vectors); the next plain ingest changes nothing."""
    from tests.vectorstore.test_store import raw_sentences

    store = open_store(fresh_settings.store_config())
    ingest([corpus_copy], store, embedder, progress=False)
    held, chunks = raw_sentences(fresh_settings), store.chunks()
    report = ingest([corpus_copy], store, embedder, progress=False, rebuild=True)
    assert sorted(report.replaced) == sorted([GONE, KEPT]) and not report.unchanged and report.chunks == len(chunks)
    assert raw_sentences(fresh_settings) == held and store.chunks() == chunks
    again = ingest([corpus_copy], store, embedder, progress=False)
    assert sorted(again.unchanged) == sorted([GONE, KEPT]) and again.chunks == 0
