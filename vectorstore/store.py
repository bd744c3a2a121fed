"""Chroma, embedded or a server, read through llama-index's ``ChromaVectorStore``; our dataclasses in and out.

Two collections per corpus: ``NAME`` holds the chunks (MiniLM vectors and ``source/start/end`` and
``chunk_text`` metadata); ``NAME__docs`` holds each document's full text and sha256, so citations
resolve without the files.  Chunks are written with chromadb's own ``add`` and read back through
llama-index's ``ChromaVectorStore``.  Their text sits in metadata, not in Chroma's ``documents`` (whose
full-text search we never use: BM25 is ours): ``bench/chroma_writes.py`` writes 1,000 chunks this way
in 0.43x the time ``ChromaVectorStore.add`` with the text as a document takes.  That time counts in
full because Chroma holds the GIL while it writes (in the same run, a Python thread ran at 7 % of its
speed during a write), so ingest's embedding waits for it.
Chunks stored by earlier versions (text in ``documents``, llama-index's node blob) read the same.

Crash safety: a write first marks its sources as in progress (``vectorstore.writemark``), adds the new
chunks, then the document records, then deletes the chunks the records no longer vouch for, and only
then clears the mark.  A run killed anywhere leaves its mark behind; the next ``open_store`` or ingest
(``Store.recover``) deletes every chunk of the marked sources whose ``doc_sha256`` differs from its
record's sha256 (or that has no record), which restores each source to its old or its new version whole.

>>> store = open_store(Settings(chroma_path=tmp))    # doctest: +SKIP
>>> store.sources()                                   # doctest: +SKIP
{}
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from typing import Any

from vectorstore import writemark
from vectorstore.settings import Settings
from vectorstore.types import Chunk, Document

__all__ = ["Store", "StoreError", "open_store"]

_BATCH = 2000  # Chroma caps one write (5461 embedded, its max_batch_size); stay well under it
_WHERE_BATCH = 500  # sources per ``$in`` filter of one delete
# The metadata key of a chunk's text.  Not "text": llama-index's reader of records without its own
# node blob (``legacy_metadata_dict_to_node``) drops a "text" key from the metadata.
_TEXT_KEY = "chunk_text"
_locks: dict[tuple[str, str], threading.Lock] = {}
_locks_guard = threading.Lock()


class StoreError(RuntimeError):
    """The vector store cannot be reached or is not in the expected state."""


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        import httpx

        url = f"http://{settings.chroma_host}:{settings.chroma_port}"
        timeout = httpx.Timeout(settings.chroma_timeout_s, connect=min(5.0, settings.chroma_timeout_s))
        try:
            # chromadb's own client waits forever (httpx timeout=None), already inside its constructor:
            # a bounded heartbeat first turns a dead or hung server into a quick, clear error.
            httpx.get(f"{url}/api/v2/heartbeat", timeout=timeout).raise_for_status()
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as exc:  # chromadb raises a bare ValueError/ConnectError here
            raise StoreError(f"cannot reach the Chroma server at {url}: {type(exc).__name__}: {exc} "
                             f"(is `chroma run` up? see RAG_CHROMA_HOST/RAG_CHROMA_PORT)") from exc
        session = getattr(getattr(client, "_server", None), "_session", None)
        if isinstance(session, httpx.Client):  # every later request is bounded too
            session.timeout = timeout
        return client
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


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
        got = self._call(self._docs.get, include=["metadatas"])
        return {m["source"]: m["sha256"] for m in got["metadatas"]}

    def document_text(self, source: str) -> str:
        """The stored full text of ``source``; raises ``KeyError`` naming it when absent."""
        got = self._call(self._docs.get, ids=[_doc_id(source)], include=["documents"])
        if not got["ids"]:
            raise KeyError(f"no document {source!r} in the store")
        return got["documents"][0]

    def chunk_count(self) -> int:
        """How many chunks the store holds."""
        return self._call(self._chunks.count)

    def chunks(self) -> list[Chunk]:
        """Every stored chunk (for the BM25 index), in a stable order."""
        got = self._call(self._chunks.get, include=["documents", "metadatas"])
        out = [_chunk(i, m, t) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(out, key=lambda c: (c.source, c.start, c.end))

    def revision(self) -> str:
        """A token that changes whenever the stored corpus changes (keys caches such as BM25)."""
        meta = self._call(self._client.get_collection, f"{self.name}__docs").metadata or {}
        return f"{meta.get('revision', '')}:{self.chunk_count()}"

    def dense(self, embedding: list[float], k: int) -> list[tuple[Chunk, float]]:
        """Top ``k`` chunks by cosine similarity to ``embedding``, best first."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        # No count first: Chroma returns fewer than k (none when empty) by itself, and a count per
        # query cost ~2 ms on a 10k-chunk store.
        res = self._call(self._vs.query, VectorStoreQuery(query_embedding=embedding, similarity_top_k=k))
        out = []
        for node, sim in zip(res.nodes, res.similarities or []):
            out.append((_chunk(node.node_id, node.metadata, node.get_content()), sim))
        return out

    # ---- writing -------------------------------------------------------------------------------
    def put(self, doc: Document, chunks: list[Chunk], embeddings: list[list[float]]) -> None:
        """Replace everything stored for ``doc.source`` with ``chunks``, then record the document."""
        self.put_many([(doc, chunks, embeddings)])

    def put_many(self, items: list[tuple[Document, list[Chunk], list[list[float]]]]) -> None:
        """``put`` for many documents at once: a few large Chroma writes instead of four per document.

        Every Chroma write commits (~50 ms each on an embedded store whatever its size), so writing
        document by document made a 10k-document ingest spend most of its time committing.  The order
        is the crash-safe one of the module doc: mark, add chunks, write records, delete stale chunks,
        unmark; a run killed anywhere in it is undone or completed per source by ``recover``.
        """
        for doc, chunks, embeddings in items:
            if len(chunks) != len(embeddings):
                raise ValueError(f"{doc.source}: {len(chunks)} chunks but {len(embeddings)} embeddings")
        sources = [doc.source for doc, _, _ in items]
        if len(set(sources)) != len(sources):
            raise ValueError("put_many: a source is named twice")
        if not items:
            return
        rows = [
            (c.id, e, {"source": c.source, "start": c.start, "end": c.end, "doc_sha256": doc.sha256, _TEXT_KEY: c.text})
            for doc, chunks, embeddings in items
            for c, e in zip(chunks, embeddings)
        ]
        with self._lock:
            self._mark(sources)
            # Chroma ignores an add of an id it holds: that chunk is identical (the id hashes source,
            # content and span), so a source re-put with unchanged text keeps its chunks.
            for i in range(0, len(rows), _BATCH):
                ids, vectors, metas = zip(*rows[i : i + _BATCH])
                self._call(self._chunks.add, ids=list(ids), embeddings=list(vectors), metadatas=list(metas))
            # 1-d placeholder vector: this collection is looked up by id only, never by similarity.
            for i in range(0, len(items), _BATCH):
                part = items[i : i + _BATCH]
                self._call(
                    self._docs.upsert,
                    ids=[_doc_id(doc.source) for doc, _, _ in part],
                    documents=[doc.text for doc, _, _ in part],
                    metadatas=[{"source": doc.source, "sha256": doc.sha256, "chunks": len(chunks)}
                               for doc, chunks, _ in part],
                    embeddings=[[1.0]] * len(part),
                )
            keep = {row[0] for row in rows}
            for i in range(0, len(sources), _WHERE_BATCH):
                got = self._call(self._chunks.get, where=_of_sources(sources[i : i + _WHERE_BATCH]), include=[])
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
                self._call(self._docs.delete, ids=[_doc_id(source) for source in part])
                self._call(self._chunks.delete, where=_of_sources(part))
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
        recs = self._call(self._docs.get, ids=[_doc_id(s) for s in sources], include=["metadatas"])
        sha = {m["source"]: m["sha256"] for m in recs["metadatas"]}
        got = self._call(self._chunks.get, where=_of_sources(sources), include=["metadatas"])
        self._delete_ids([cid for cid, m in zip(got["ids"], got["metadatas"])
                          if sha.get(m["source"]) != m.get("doc_sha256")])

    def _delete_ids(self, ids: list[str]) -> None:
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


def _chunk(cid: str, meta: dict[str, Any], document: str | None) -> Chunk:
    """A stored chunk; its text is in metadata, or (stores written before that) in ``document``."""
    text = meta[_TEXT_KEY] if _TEXT_KEY in meta else document
    return Chunk(cid, meta["source"], int(meta["start"]), int(meta["end"]), text or "")


def _doc_id(source: str) -> str:
    return f"doc:{source}"


def _of_sources(sources: list[str]) -> dict[str, Any]:
    return {"source": sources[0]} if len(sources) == 1 else {"source": {"$in": list(sources)}}


def open_store(settings: Settings) -> Store:
    """Open (creating if needed) the store that ``settings`` point at."""
    where = (
        f"http://{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(settings.chroma_path)
    )
    try:
        store = Store(_client(settings), settings.collection, where)
    except StoreError:
        raise
    except Exception as exc:
        raise StoreError(f"cannot open the Chroma store at {where}: {type(exc).__name__}: {exc}") from exc
    # The metadata read at open shows a marker for free: recover only then, so readers never see
    # the half-written chunks of a killed ingest.
    if any(k.startswith(writemark.PREFIX) for k in (store._docs.metadata or {})):
        store.recover()
    return store
