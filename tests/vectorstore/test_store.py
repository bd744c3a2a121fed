"""The store on a real embedded Chroma and on a real `chroma run` server on 127.0.0.1: every core test
runs against both (the server is started once per session; each test has its own collection)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest

from ingest.pipeline import ingest
from ingest.split import split_document
from tests.conftest import ARTICLES, ROOT, free_port
from vectorstore.embed import token_counter
from vectorstore.retrieve import retrieve
from app.settings import Settings
from vectorstore.store import StoreError, open_store
from vectorstore.types import Document

NAMES = sorted(p.name for p in ARTICLES.glob("*.txt"))


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.server)])
def store_settings(request, tmp_path):
    """Settings of an empty store: an embedded Chroma folder, or a fresh collection on the session's server."""
    if request.param == "embedded":
        return Settings(_env_file=None, chroma_path=tmp_path / "chroma", collection="testdocs", generator="extractive")
    return request.getfixturevalue("chroma_server").settings(f"t{uuid.uuid4().hex[:12]}")


def prepared(embedder, name: str, extra: str = ""):
    """A document of data/articles (``extra`` appended), its chunks and their real MiniLM vectors."""
    doc = Document(name, (ARTICLES / name).read_text(encoding="utf-8") + extra)
    chunks = split_document(doc, chunk_tokens=200, overlap=20, count=token_counter())
    return doc, chunks, embedder.get_text_embedding_batch([c.text for c in chunks])


def raw_chunks(settings: Settings, suffix: str = "", create: bool = False):
    """The chunk collection (or ``NAME + suffix``) through chromadb itself, bypassing ``Store``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    cs = ChromaSettings(anonymized_telemetry=False)
    client = (chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=cs)
              if settings.chroma_host else chromadb.PersistentClient(path=str(settings.chroma_path), settings=cs))
    if create:
        return client.get_or_create_collection(settings.collection + suffix, embedding_function=None)
    return client.get_collection(settings.collection + suffix)


def spans(store, source=None):
    return sorted((c.id, c.source, c.start, c.end) for c in store.chunks() if source in (None, c.source))


def test_round_trip(store_settings, embedder):
    store = open_store(store_settings.store_config())
    assert store.sources() == {} and store.chunk_count() == 0
    ingest([ARTICLES], store, embedder, progress=False)
    reopened = open_store(store_settings.store_config())  # a second client on the same store sees the same data
    assert sorted(reopened.sources()) == NAMES
    assert reopened.document_text(NAMES[1]) == (ARTICLES / NAMES[1]).read_text(encoding="utf-8")
    with pytest.raises(KeyError, match="nope.txt"):
        reopened.document_text("nope.txt")


def test_put_replace_remove_and_revision(store_settings, embedder):
    store = open_store(store_settings.store_config())
    revisions = [store.revision()]
    a1 = prepared(embedder, NAMES[0])
    store.put(*a1)
    assert store.sources() == {NAMES[0]: a1[0].sha256} and spans(store) == sorted(
        (c.id, c.source, c.start, c.end) for c in a1[1])
    revisions.append(store.revision())
    a2 = prepared(embedder, NAMES[0], "\nA closing line about durian exports.\n")
    store.put(*a2)  # a new version replaces every chunk of the old one
    assert {c[0] for c in spans(store)} == {c.id for c in a2[1]}
    assert store.document_text(NAMES[0]) == a2[0].text and store.sources()[NAMES[0]] == a2[0].sha256
    revisions.append(store.revision())
    store.put(*a2)  # the same version again: the same chunks, none doubled
    assert {c[0] for c in spans(store)} == {c.id for c in a2[1]} and store.chunk_count() == len(a2[1])
    b = prepared(embedder, NAMES[1])
    store.put_many([b])
    revisions.append(store.revision())
    store.remove([NAMES[0]])
    assert sorted(store.sources()) == [NAMES[1]] and spans(store) == spans(store, NAMES[1])
    assert store.chunk_count() == len(b[1])
    revisions.append(store.revision())
    assert len(set(revisions)) == len(revisions), "every write changes the revision"


def test_dense_finds_each_chunk_by_its_own_vector(store_settings, embedder):
    store = open_store(store_settings.store_config())
    doc, chunks, vectors = prepared(embedder, NAMES[1])
    store.put(doc, chunks, vectors)
    for j in (0, len(chunks) // 2, len(chunks) - 1):
        (top, sim), *_ = store.dense(vectors[j], k=3)
        assert top == chunks[j] and sim > 0.99
        assert store.document_text(top.source)[top.start : top.end] == top.text
    assert len(store.dense(vectors[0], k=50)) == len(chunks)



def test_chunks_written_by_llama_index_nodes_are_an_earlier_layout(store_settings, embedder):
    """Chunks as llama-index's node blob wrote them (text in Chroma's documents) are not read: refused
    with the fix named, and ``rebuild`` turns them into current records."""
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    store = open_store(store_settings.store_config())
    doc, chunks, vectors = prepared(embedder, NAMES[0])
    store.put(doc, chunks, vectors)
    raw = raw_chunks(store_settings)
    raw.delete(ids=[c.id for c in chunks])
    ChromaVectorStore(chroma_collection=raw).add([  # exactly what the earliest put_many wrote
        TextNode(id_=c.id, text=c.text, embedding=v,
                 metadata={"source": c.source, "start": c.start, "end": c.end, "doc_sha256": doc.sha256})
        for c, v in zip(chunks, vectors)
    ])
    with pytest.raises(StoreError, match="chunk texts outside their records' metadata.*rag ingest --rebuild"):
        open_store(store_settings.store_config())
    ingest([], open_store(store_settings.store_config(), rebuilding=True), embedder, progress=False, rebuild=True)
    assert open_store(store_settings.store_config()).chunks() == chunks
    assert all("chunk_text" in m for m in raw.get(include=["metadatas"])["metadatas"])


# A writer that dies (os._exit: no cleanup, like kill -9) right before its first Chroma call named NAME
# ("upsert@docs": an upsert into the document records; chunks are upserted too).
DIE_BEFORE = """
import json, os, sys
from vectorstore import store as S
from app.settings import Settings
from vectorstore.types import Chunk, Document
data = json.load(open(sys.argv[1], encoding="utf-8"))
real = S.Store._call
def call(self, fn, *a, **k):
    owner = getattr(getattr(fn, "__self__", None), "name", "")
    name = getattr(fn, "__name__", "") + ("@docs" if str(owner).endswith("__docs") else "")
    if name == data["die_before"]:
        os._exit(9)
    return real(self, fn, *a, **k)
S.Store._call = call
store = S.open_store(Settings(_env_file=None, **data["settings"]).store_config())
store.put_many([(Document(**i["doc"]), [Chunk(**c) for c in i["chunks"]], i["vectors"]) for i in data["items"]])
"""


@pytest.mark.parametrize("die_before,survivor", [("upsert@docs", "old"), ("delete", "new")])
def test_a_writer_killed_mid_write_is_settled_at_the_next_open(store_settings, embedder, tmp_path, die_before,
                                                                 survivor):
    """Killed before the records are written: the old version stays whole and the new file's chunks go;
    killed after them: the new version stays whole and the old chunks go."""
    from chromadb.api.client import SharedSystemClient

    store = open_store(store_settings.store_config())
    old, new, other = prepared(embedder, NAMES[0]), prepared(embedder, NAMES[0], "\nOne more line.\n"), \
        prepared(embedder, NAMES[1])
    store.put(*old)
    job = tmp_path / "job.json"
    job.write_text(json.dumps({
        "die_before": die_before,
        "settings": {k: str(v) if k == "chroma_path" else v for k, v in store_settings.model_dump().items()
                     if k in ("chroma_path", "chroma_host", "chroma_port", "collection")},
        "items": [{"doc": d.__dict__, "chunks": [c.__dict__ for c in cs], "vectors": vs} for d, cs, vs in (new, other)],
    }), encoding="utf-8")
    died = subprocess.run([sys.executable, "-c", DIE_BEFORE, str(job)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert died.returncode == 9, died.stderr
    SharedSystemClient.clear_system_cache()  # an embedded client caches its index: see the dead writer's work
    left = {m["source"] for m in raw_chunks(store_settings).get(include=["metadatas"])["metadatas"]}
    assert left == set(NAMES), "the dead writer left chunks of both files behind (the test set up a crash)"
    store = open_store(store_settings.store_config())  # recovers
    kept, gone = (old, new) if survivor == "old" else (new, old)
    assert spans(store, NAMES[0]) == sorted((c.id, c.source, c.start, c.end) for c in kept[1])
    assert store.sources()[NAMES[0]] == kept[0].sha256 and store.document_text(NAMES[0]) == kept[0].text
    assert (NAMES[1] in store.sources()) == (survivor == "new")
    assert spans(store, NAMES[1]) == (sorted((c.id, c.source, c.start, c.end) for c in other[1])
                                      if survivor == "new" else [])
    assert store.recover() == [], "nothing is left to recover"


def test_store_never_runs_chromas_default_embedding(fresh_settings):
    store = open_store(fresh_settings.store_config())
    assert store._chunks._embedding_function is None
    assert store._docs._embedding_function is None


@pytest.mark.server
def test_http_client_path_ingests_and_retrieves(chroma_server, embedder):
    settings = chroma_server.settings("server_articles")
    store = open_store(settings.store_config())
    assert store.where == f"http://127.0.0.1:{chroma_server.port}"
    report = ingest([ARTICLES], store, embedder, progress=False)
    assert len(report.added) == 2
    again = ingest([ARTICLES], store, embedder, progress=False)
    assert again.chunks == 0 and len(again.unchanged) == 2
    hits = retrieve(store, embedder, "Which Vietnamese exports did China agree to license?", k=3)
    assert any("chili and passion fruit" in h.text for h in hits)
    for h in hits:
        assert store.document_text(h.source)[h.start : h.end] == h.text


@pytest.mark.server
def test_unreachable_server_is_a_clear_error():
    settings = Settings(_env_file=None, chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(StoreError, match=r"cannot reach the Chroma server at http://127\.0\.0\.1:\d+"):
        open_store(settings.store_config()).sources()


def late(embedder, item):
    """``item`` with its chunks' sentence vectors added (``embed_late``, as ingest computes them)."""
    from vectorstore.spans import sentence_spans

    doc, chunks, _ = item
    pairs = embedder.embed_late([c.text for c in chunks], [sentence_spans(c.text) for c in chunks])
    return doc, chunks, [v for v, _ in pairs], [s for _, s in pairs]


def raw_sentences(settings: Settings) -> dict[str, str]:
    """``{chunk id: source}`` of the chunk records holding sentence vectors, read through chromadb itself."""
    got = raw_chunks(settings).get(include=["metadatas"])
    return {i: m["source"] for i, m in zip(got["ids"], got["metadatas"]) if m.get("sentence_vectors")}


def as_an_earlier_version_wrote_it(settings: Settings) -> None:
    """Rewrite the store in the layout of earlier versions: texts in Chroma's ``documents``, sentence
    vectors as records of ``NAME__sentences``."""
    chunks, docs = raw_chunks(settings), raw_chunks(settings, "__docs")
    old = raw_chunks(settings, "__sentences", create=True)
    got = chunks.get(include=["metadatas", "embeddings"])
    held = [(i, m) for i, m in zip(got["ids"], got["metadatas"]) if m.get("sentence_vectors")]
    old.add(ids=[i for i, _ in held], embeddings=[[1.0]] * len(held),
            metadatas=[{"source": m["source"], "vectors": m["sentence_vectors"]} for _, m in held])
    chunks.delete(ids=got["ids"])
    chunks.add(ids=got["ids"], embeddings=got["embeddings"], documents=[m["chunk_text"] for m in got["metadatas"]],
               metadatas=[{k: v for k, v in m.items() if k not in ("sentence_vectors", "chunk_text")}
                          for m in got["metadatas"]])
    recs = docs.get(include=["metadatas", "embeddings"])
    docs.delete(ids=recs["ids"])
    docs.add(ids=recs["ids"], embeddings=recs["embeddings"], documents=[m["doc_text"] for m in recs["metadatas"]],
             metadatas=[{k: v for k, v in m.items() if k not in ("doc_text", "sentences")} for m in recs["metadatas"]])


def test_sentence_vectors_follow_their_chunks(store_settings, embedder):
    """Written with their chunks, read back as written (float16), replaced and removed with them."""
    import numpy as np

    store = open_store(store_settings.store_config())
    a1, b = late(embedder, prepared(embedder, NAMES[0])), late(embedder, prepared(embedder, NAMES[1]))
    store.put_many([a1, b])
    assert set(raw_sentences(store_settings)) == {c.id for c in a1[1] + b[1]}
    stored = store.sentence_vectors()
    for c, v in zip(b[1], b[3]):
        assert stored[c.id].shape == v.shape and np.allclose(stored[c.id], v, atol=1e-3)
    assert sum(len(v) for v in stored.values()) > len(stored)  # chunks have several sentences

    a2 = late(embedder, prepared(embedder, NAMES[0], "\nA closing line about durian exports.\n"))
    store.put(*a2)  # a new version: the old version's sentence vectors go with its chunks
    held = raw_sentences(store_settings)
    assert {cid for cid, s in held.items() if s == NAMES[0]} == {c.id for c in a2[1]}
    store.remove([NAMES[0]])
    assert set(raw_sentences(store_settings).values()) == {NAMES[1]}

    plain = prepared(embedder, NAMES[0])  # written without sentence vectors: they are optional
    store.put(*plain)
    assert store.inventory()[NAMES[0]] == (plain[0].sha256, len(plain[1]))
    assert set(store.sentence_vectors()) == {c.id for c in b[1]}
    with pytest.raises(ValueError, match=f"{NAMES[1]}: {len(b[1])} chunks but 1 sentence-vector lists"):
        store.put(*b[:3], sentences=b[3][:1])


def test_a_store_of_an_earlier_version_is_refused_until_rebuilt_and_the_rebuild_loses_nothing(
    store_settings, embedder
):
    """No legacy reading: one clear error naming the fix; ``rebuild`` rewrites every stored document, also
    one whose file is not given (its stored text is the only copy)."""
    store = open_store(store_settings.store_config())
    ingest([ARTICLES], store, embedder, progress=False)
    before = {n: store.document_text(n) for n in NAMES}
    as_an_earlier_version_wrote_it(store_settings)
    with pytest.raises(StoreError, match=r"earlier version .*`rag ingest --rebuild`"):
        open_store(store_settings.store_config())

    old = open_store(store_settings.store_config(), rebuilding=True)
    report = ingest([ARTICLES / NAMES[1]], old, embedder, progress=False, rebuild=True)
    assert sorted(report.replaced) == NAMES and report.added == report.removed == []
    store = open_store(store_settings.store_config())  # no error now
    assert {n: store.document_text(n) for n in NAMES} == before
    assert set(store.sentence_vectors()) == {c.id for c in store.chunks()}
    assert set(raw_sentences(store_settings).values()) == set(NAMES)
    with pytest.raises(Exception):
        raw_chunks(store_settings, "__sentences")  # the old collection is gone
    hits = retrieve(store, embedder, "Which Vietnamese exports did China agree to license?", k=3)
    assert any("chili and passion fruit" in h.text for h in hits)
