"""Chroma, embedded or a server; our dataclasses in and out (record layout: ``vectorstore.records``).

Two collections per corpus: ``NAME`` holds the chunks (MiniLM vectors; source, span, text and the
late-chunked vectors of their sentences in metadata, which retrieval scores exactly rather than through
Chroma's HNSW), ``NAME__docs`` each document's full text and sha256, so citations resolve without the
files.  Texts sit in metadata, not in Chroma's ``documents``, whose full-text index we never use and
which makes writes slower (``bench/chroma_writes.py``; Chroma holds the GIL while it writes, see the
child processes of ``ingest.pipeline``).

A store in the layout of an earlier version (texts in ``documents``, sentence vectors in a
``NAME__sentences`` collection) is not read: ``open_store`` raises a ``StoreError`` naming the fix,
``rag ingest --rebuild``, which rewrites every stored document from its stored text (``stored_documents``)
and so loses nothing, not even documents whose files are gone.

Crash safety: a write first marks its sources as in progress (``vectorstore.writemark``), writes the new
chunks, then the document records, then deletes the chunks the records no longer vouch for, and only
then clears the mark.  A run killed anywhere leaves its mark; the next ``open_store`` or ingest
(``Store.recover``) deletes every chunk of the marked sources whose ``doc_sha256`` differs from its
record's (or that has no record), which restores each source to its old or its new version whole.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    store = open_store(StoreConfig(path=tmp))
    store.sources()
    # → {}
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from typing import Any

from vectorstore import writemark
from vectorstore.records import (
    DOC_TEXT_KEY, VECTORS_KEY, chunk_from, chunk_metadata, doc_id, document_metadata, of_sources, old_records,
    unpack_vectors,
)
from vectorstore.client import StoreError, connect
from vectorstore.config import StoreConfig
from vectorstore.types import Chunk, Document

# One document to write: (Document, chunks, their vectors) and optionally each chunk's sentence vectors.
Item = tuple

__all__ = ["Store", "StoreError", "open_store"]

_BATCH = 2000  # Chroma caps one write (5461 embedded, its max_batch_size); stay well under it
_WHERE_BATCH = 500  # sources per ``$in`` filter of one delete
_locks: dict[tuple[str, str], threading.Lock] = {}
_locks_guard = threading.Lock()


class Store:
    """The chunks and documents of one corpus; every method speaks in our dataclasses."""

    def __init__(self, client: Any, collection: str, where: str) -> None:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.where = where
        self.name = collection
        # embedding_function=None: chromadb's default would download a model; we always pass vectors.
        self._chunks = client.get_or_create_collection(
            collection, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
        self._docs = client.get_or_create_collection(f"{collection}__docs", embedding_function=None)
        self._client = client
        self._vs = ChromaVectorStore(chroma_collection=self._chunks)
        # One lock per store per process, shared by every Store object on it: holding it means no
        # write of this process is in flight, so this process's own marker can be recovered safely.
        with _locks_guard:
            self._lock = _locks.setdefault((where, collection), threading.Lock())

    # ---- reading -------------------------------------------------------------------------------
    def sources(self) -> dict[str, str]:
        """``{source: sha256}`` of every stored document."""
        return {source: sha for source, (sha, _) in self.inventory().items()}

    def document_text(self, source: str) -> str:
        """The stored full text of ``source``; raises ``KeyError`` naming it when absent."""
        got = self._call(self._docs.get, ids=[doc_id(source)], include=["metadatas"])
        if not got["ids"]:
            raise KeyError(f"no document {source!r} in the store")
        return got["metadatas"][0][DOC_TEXT_KEY]

    def inventory(self) -> dict[str, tuple[str, int]]:
        """``{source: (sha256, chunks)}`` of every stored document, from one read of their records."""
        metas = self._call(self._docs.get, include=["metadatas"])["metadatas"]
        return {m["source"]: (m["sha256"], int(m["chunks"])) for m in metas}

    def chunk_count(self) -> int:
        """How many chunks the store holds."""
        return self._call(self._chunks.count)

    def chunks(self) -> list[Chunk]:
        """Every stored chunk, in a stable order (retrieval reads ``chunks_and_sentence_vectors``)."""
        return self.chunks_and_sentence_vectors(vectors=False)[0]

    def revision(self) -> str:
        """A token that changes whenever the stored corpus changes (keys caches such as BM25)."""
        meta = self._call(self._client.get_collection, f"{self.name}__docs").metadata or {}
        return f"{meta.get('revision', '')}:{self.chunk_count()}"

    def dense(self, embedding: list[float], k: int) -> list[tuple[Chunk, float]]:
        """Top ``k`` chunks by cosine similarity to ``embedding``, best first."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        # No count first: Chroma returns fewer than k (none when empty) by itself.
        res = self._call(self._vs.query, VectorStoreQuery(query_embedding=embedding, similarity_top_k=k))
        return [(chunk_from(node.node_id, node.metadata), sim) for node, sim in zip(res.nodes, res.similarities or [])]

    def nearest_ids(self, embedding: list[float], k: int) -> list[str]:
        """Ids of the ``k`` chunks whose vectors are nearest ``embedding``, best first (Chroma's HNSW)."""
        # Ids only, straight from chromadb: cheaper than whole chunks through ChromaVectorStore (``dense``).
        return self._call(self._chunks.query, query_embeddings=[embedding], n_results=k, include=[])["ids"][0]

    def sentence_vectors(self) -> dict[str, Any]:
        """``{chunk id: float16 array (sentences, dimension)}`` for every chunk stored with sentence vectors."""
        return self.chunks_and_sentence_vectors()[1]

    def chunks_and_sentence_vectors(self, vectors: bool = True) -> tuple[list[Chunk], dict[str, Any]]:
        """``(chunks(), sentence_vectors())`` from one read of the chunk records (what retrieval indexes)."""
        got = self._call(self._chunks.get, include=["metadatas"])
        chunks = sorted((chunk_from(cid, m) for cid, m in zip(got["ids"], got["metadatas"])),
                        key=lambda c: (c.source, c.start, c.end))
        held = {cid: unpack_vectors(m[VECTORS_KEY]) for cid, m in zip(got["ids"], got["metadatas"])
                if vectors and m.get(VECTORS_KEY)}
        return chunks, held

    # ---- the layout of earlier versions ---------------------------------------------------------------
    def old_layout(self) -> str | None:
        """What marks this store as written by an earlier version, or None.  One record of each kind
        tells: a store is rebuilt whole, never record by record."""
        if self._old_sentences():
            return f"sentence vectors in the collection {self.name}__sentences"
        doc = self._call(self._docs.get, limit=1, include=["metadatas"])["metadatas"]
        chunk = self._call(self._chunks.get, limit=1, include=["metadatas"])["metadatas"]
        return old_records(doc[0] if doc else None, chunk[0] if chunk else None)

    def stored_documents(self) -> list[Document]:
        """Every stored document from its stored text, in whichever layout it was written (for a rebuild)."""
        got = self._call(self._docs.get, include=["metadatas", "documents"])
        return [Document(m["source"], m[DOC_TEXT_KEY] if DOC_TEXT_KEY in m else (text or ""))
                for m, text in zip(got["metadatas"], got["documents"])]

    def drop_old_layout(self) -> None:
        """Delete what only earlier versions wrote (once every document is rewritten)."""
        if self._old_sentences():
            self._call(self._client.delete_collection, f"{self.name}__sentences")

    def _old_sentences(self) -> int:
        try:  # absent: NotFoundError or ValueError, by chromadb version
            return self._call(self._client.get_collection(f"{self.name}__sentences").count)
        except Exception:
            return 0

    # ---- writing -------------------------------------------------------------------------------
    def put(self, doc: Document, chunks: list[Chunk], embeddings: Any, sentences: Any = None) -> None:
        """Replace everything stored for ``doc.source`` with ``chunks`` (``sentences[i]``: the vectors of
        chunk i's sentences, ``embed_late``), then record the document."""
        self.put_many([(doc, chunks, embeddings) if sentences is None else (doc, chunks, embeddings, sentences)])

    def put_many(self, items: list[Item]) -> None:
        """``put`` for many documents at once: a few large Chroma writes instead of four per document.

        Every Chroma write commits, so writing document by document made a big ingest spend most of its
        time committing.  The order is the crash-safe one of the module doc: mark, write chunks with
        sentence vectors, write records, delete stale chunks, unmark; a run killed anywhere in it is
        undone or completed per source by ``recover``.
        """
        for doc, chunks, embeddings, *more in items:
            if len(chunks) != len(embeddings):
                raise ValueError(f"{doc.source}: {len(chunks)} chunks but {len(embeddings)} embeddings")
            if more and len(more[0]) != len(chunks):
                raise ValueError(f"{doc.source}: {len(chunks)} chunks but {len(more[0])} sentence-vector lists")
        sources = [item[0].source for item in items]
        if len(set(sources)) != len(sources):
            raise ValueError("put_many: a source is named twice")
        if not items:
            return
        rows = [
            (c.id, e, chunk_metadata(doc, c, vectors))
            for doc, chunks, embeddings, *more in items
            for c, e, vectors in zip(chunks, embeddings, more[0] if more else [None] * len(chunks))
        ]
        with self._lock:
            self._mark(sources)
            # upsert, not add: Chroma ignores an add of an id it holds, and a rebuilt chunk keeps its id
            # (it hashes source, content and span).
            for i in range(0, len(rows), _BATCH):
                ids, vectors, metas = zip(*rows[i : i + _BATCH])
                self._call(self._chunks.upsert, ids=list(ids), embeddings=list(vectors), metadatas=list(metas))
            # 1-d placeholder vector: this collection is looked up by id only, never by similarity.
            for i in range(0, len(items), _BATCH):
                part = items[i : i + _BATCH]
                self._call(
                    self._docs.upsert,
                    ids=[doc_id(item[0].source) for item in part],
                    metadatas=[document_metadata(*item) for item in part],
                    embeddings=[[1.0]] * len(part),
                )
            keep = {row[0] for row in rows}
            for i in range(0, len(sources), _WHERE_BATCH):
                part = sources[i : i + _WHERE_BATCH]
                got = self._call(self._chunks.get, where=of_sources(part), include=[])
                self._delete_ids([cid for cid in got["ids"] if cid not in keep])
            self._bump()

    def remove(self, sources: Iterable[str]) -> None:
        """Delete the documents ``sources`` and all their chunks."""
        sources = list(sources)
        if not sources:
            return
        with self._lock:
            self._mark(sources)
            for i in range(0, len(sources), _WHERE_BATCH):
                part = sources[i : i + _WHERE_BATCH]
                self._call(self._docs.delete, ids=[doc_id(source) for source in part])
                self._call(self._chunks.delete, where=of_sources(part))
            self._bump()

    def recover(self) -> list[str]:
        """Clean up after writers that died mid-write; returns the sources that were checked.

        Only marked sources are read (an unmarked store costs one metadata read), and a marker whose
        writer is still running (another process on this machine) is left alone.
        """
        with self._lock:
            meta = self._meta()
            dead = {k for k, v in meta.items() if k.startswith(writemark.PREFIX) and writemark.abandoned(k, str(v))}
            if not dead:
                return []
            names = sorted({s for k in dead for s in writemark.sources(str(meta[k]))})
            for i in range(0, len(names), _WHERE_BATCH):
                self._sweep(names[i : i + _WHERE_BATCH])
            self._bump(drop=dead)
            return names

    def _sweep(self, sources: list[str]) -> None:
        """Delete the chunks of ``sources`` that no document record vouches for (missing or other sha)."""
        recs = self._call(self._docs.get, ids=[doc_id(s) for s in sources], include=["metadatas"])
        sha = {m["source"]: m["sha256"] for m in recs["metadatas"]}
        got = self._call(self._chunks.get, where=of_sources(sources), include=["metadatas"])
        self._delete_ids([cid for cid, m in zip(got["ids"], got["metadatas"])
                          if sha.get(m["source"]) != m.get("doc_sha256")])

    def _delete_ids(self, ids: list[str]) -> None:  # in batches: Chroma caps one call
        for i in range(0, len(ids), _BATCH):
            self._call(self._chunks.delete, ids=ids[i : i + _BATCH])

    def _meta(self) -> dict[str, Any]:
        return dict(self._call(self._client.get_collection, f"{self.name}__docs").metadata or {})

    def _mark(self, sources: list[str]) -> None:
        # Chroma's modify replaces the whole metadata: keep the revision and other writers' markers.
        meta, key = self._meta(), writemark.key()
        meta[key] = writemark.value(sources, meta.get(key))
        self._call(self._docs.modify, metadata=meta)

    def _bump(self, drop: set[str] | None = None) -> None:
        """A new revision, dropping in the same call this process's marker (or the markers ``drop``)."""
        gone = {writemark.key()} if drop is None else drop
        # Re-read first: Chroma's modify replaces the whole metadata, and others may have written.
        meta = {k: v for k, v in self._meta().items() if k not in gone}
        self._call(self._docs.modify, metadata={**meta, "revision": uuid.uuid4().hex})

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (KeyError, ValueError):
            raise
        except Exception as exc:
            # Connection failures surface as many exception types across chromadb versions.
            if type(exc).__module__.startswith(("httpx", "httpcore")):
                raise StoreError(f"cannot reach the Chroma server at {self.where}: {type(exc).__name__}: {exc} "
                                 f"(is it running?)") from exc
            raise StoreError(f"the Chroma store at {self.where} failed: {type(exc).__name__}: {exc}") from exc


def open_store(config: StoreConfig, *, rebuilding: bool = False) -> Store:
    """Open (creating if needed) the store that ``config`` points at.  One written by an earlier version
    raises a ``StoreError`` naming ``rag ingest --rebuild``; ``rebuilding`` opens it anyway, for that."""
    where = config.where
    try:
        store = Store(connect(config), config.collection, where)
    except StoreError:
        raise
    except Exception as exc:
        raise StoreError(f"cannot open the Chroma store at {where}: {type(exc).__name__}: {exc}") from exc
    # The metadata read at open shows a marker for free: recover only then, so readers never see
    # the half-written chunks of a killed ingest.
    if any(k.startswith(writemark.PREFIX) for k in (store._docs.metadata or {})):
        store.recover()
    if not rebuilding and (old := store.old_layout()):
        raise StoreError(f"the store at {where} (collection {config.collection!r}) was written by an earlier version "
                         f"({old}): run `rag ingest --rebuild`, which rewrites every stored document, losing none")
    return store
