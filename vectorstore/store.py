"""Chroma, embedded or a server, behind llama-index's ``ChromaVectorStore``.

Two collections per corpus: ``NAME`` holds the chunks (MiniLM vectors, text, ``source/start/end``);
``NAME__docs`` holds each document's full text and sha256, so citations resolve without the files.
A document record is written *after* its chunks: a run killed half-way leaves a record that is
missing or stale, and the next ingest replaces that source whole, so no orphan or duplicate survives.

>>> store = open_store(Settings(chroma_path=tmp))    # doctest: +SKIP
>>> store.sources()                                   # doctest: +SKIP
{}
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from typing import Any

from vectorstore.settings import Settings
from vectorstore.types import Chunk, Document

__all__ = ["Store", "StoreError", "open_store"]

_BATCH = 1000  # Chroma caps one add; stay well under it


class StoreError(RuntimeError):
    """The vector store cannot be reached or is not in the expected state."""


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as exc:  # chromadb raises a bare ValueError/ConnectError here
            raise StoreError(
                f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port}: {exc}"
            ) from exc
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
        self._lock = threading.Lock()

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
        out = [
            Chunk(id=i, source=m["source"], start=int(m["start"]), end=int(m["end"]), text=t)
            for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])
        ]
        return sorted(out, key=lambda c: (c.source, c.start, c.end))

    def revision(self) -> str:
        """A token that changes whenever the stored corpus changes (keys caches such as BM25)."""
        meta = self._call(self._client.get_collection, f"{self.name}__docs").metadata or {}
        return f"{meta.get('revision', '')}:{self.chunk_count()}"

    def dense(self, embedding: list[float], k: int) -> list[tuple[Chunk, float]]:
        """Top ``k`` chunks by cosine similarity to ``embedding``, best first."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        n = self.chunk_count()
        if n == 0:
            return []
        res = self._call(self._vs.query, VectorStoreQuery(query_embedding=embedding, similarity_top_k=min(k, n)))
        out = []
        for node, sim in zip(res.nodes, res.similarities or []):
            m = node.metadata
            out.append((Chunk(node.node_id, m["source"], int(m["start"]), int(m["end"]), node.get_content()), sim))
        return out

    # ---- writing -------------------------------------------------------------------------------
    def put(self, doc: Document, chunks: list[Chunk], embeddings: list[list[float]]) -> None:
        """Replace everything stored for ``doc.source`` with ``chunks``, then record the document."""
        from llama_index.core.schema import TextNode

        if len(chunks) != len(embeddings):
            raise ValueError(f"{len(chunks)} chunks but {len(embeddings)} embeddings")
        with self._lock:
            self._delete_chunks(doc.source)
            nodes = [
                TextNode(
                    id_=c.id,
                    text=c.text,
                    embedding=e,
                    metadata={"source": c.source, "start": c.start, "end": c.end, "doc_sha256": doc.sha256},
                    excluded_embed_metadata_keys=["source", "start", "end", "doc_sha256"],
                )
                for c, e in zip(chunks, embeddings)
            ]
            for i in range(0, len(nodes), _BATCH):
                self._call(self._vs.add, nodes[i : i + _BATCH])
            # 1-d placeholder vector: this collection is looked up by id only, never by similarity.
            self._call(
                self._docs.upsert,
                ids=[_doc_id(doc.source)],
                documents=[doc.text],
                metadatas=[{"source": doc.source, "sha256": doc.sha256, "chunks": len(chunks)}],
                embeddings=[[1.0]],
            )
            self._bump()

    def remove(self, sources: Iterable[str]) -> None:
        """Delete the documents ``sources`` and all their chunks."""
        with self._lock:
            for source in sources:
                self._call(self._docs.delete, ids=[_doc_id(source)])
                self._delete_chunks(source)
            self._bump()

    def _delete_chunks(self, source: str) -> None:
        self._call(self._chunks.delete, where={"source": source})

    def _bump(self) -> None:
        self._call(self._docs.modify, metadata={"revision": uuid.uuid4().hex})

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (KeyError, ValueError):
            raise
        except Exception as exc:
            # Connection failures surface as many exception types across chromadb versions.
            raise StoreError(f"the Chroma store at {self.where} failed: {type(exc).__name__}: {exc}") from exc


def _doc_id(source: str) -> str:
    return f"doc:{source}"


def open_store(settings: Settings) -> Store:
    """Open (creating if needed) the store that ``settings`` point at."""
    where = (
        f"http://{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(settings.chroma_path)
    )
    try:
        return Store(_client(settings), settings.collection, where)
    except StoreError:
        raise
    except Exception as exc:
        raise StoreError(f"cannot open the Chroma store at {where}: {type(exc).__name__}: {exc}") from exc
