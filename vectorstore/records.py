"""How a document and its chunks are written into Chroma records, and read back.

A chunk record: its vector, and in metadata ``source``, ``start``, ``end``, ``doc_sha256``, its text
(``TEXT_KEY``) and its sentences' vectors (``VECTORS_KEY``: float16, base64).  A document record (id
``doc:SOURCE``): ``source``, ``sha256``, ``chunks``, ``sentences`` and its full text (``DOC_TEXT_KEY``).

>>> unpack_vectors(pack_vectors([[0.5] * 384])).shape
(1, 384)
"""

from __future__ import annotations

import base64
from typing import Any

from vectorstore.minilm import DIMENSION
from vectorstore.types import Chunk, Document

__all__ = ["chunk_from", "chunk_metadata", "pack_vectors", "unpack_vectors", "document_metadata", "doc_id",
           "of_sources", "old_records", "TEXT_KEY", "DOC_TEXT_KEY", "VECTORS_KEY"]

# Not "text": llama-index's reader of records without its own node blob (``legacy_metadata_dict_to_node``)
# drops a "text" key from the metadata.
TEXT_KEY = "chunk_text"
DOC_TEXT_KEY = "doc_text"  # a document's full text, in its record's metadata
VECTORS_KEY = "sentence_vectors"  # a chunk's sentence vectors: base64 of float16 (sentences, 384), row-major


def chunk_from(cid: str, meta: dict[str, Any]) -> Chunk:
    """A stored chunk, from its record's id and metadata."""
    return Chunk(cid, meta["source"], int(meta["start"]), int(meta["end"]), meta[TEXT_KEY])


def chunk_metadata(doc: Document, c: Chunk, vectors: Any) -> dict[str, Any]:
    """A chunk record's metadata; ``vectors``: its sentences' vectors (None: written without)."""
    meta = {"source": c.source, "start": c.start, "end": c.end, "doc_sha256": doc.sha256, TEXT_KEY: c.text}
    if vectors is not None and len(vectors):
        meta[VECTORS_KEY] = pack_vectors(vectors)
    return meta


def pack_vectors(vectors: Any) -> str:
    import numpy as np

    return base64.b64encode(np.asarray(vectors, dtype=np.float16).tobytes()).decode("ascii")


def unpack_vectors(text: str) -> Any:
    import numpy as np

    return np.frombuffer(base64.b64decode(text), dtype=np.float16).reshape(-1, DIMENSION)


def document_metadata(doc: Document, chunks: list[Chunk], embeddings: Any, sentences: Any = None) -> dict[str, Any]:
    """A document's record metadata: ``chunks`` and ``sentences`` count what was written (0: no sentence vectors)."""
    return {"source": doc.source, "sha256": doc.sha256, "chunks": len(chunks), DOC_TEXT_KEY: doc.text,
            "sentences": sum(len(v) for v in sentences) if sentences is not None else 0}


def doc_id(source: str) -> str:
    return f"doc:{source}"


def of_sources(sources: list[str]) -> dict[str, Any]:
    return {"source": sources[0]} if len(sources) == 1 else {"source": {"$in": list(sources)}}


def old_records(doc: dict[str, Any] | None, chunk: dict[str, Any] | None) -> str | None:
    """What in a document's and a chunk's record metadata shows an earlier version's layout, or None.

    >>> old_records({"source": "a", "sha256": "…"}, None)
    "document texts outside their records' metadata"
    >>> old_records(None, None) is None
    True
    """
    if doc is not None and (DOC_TEXT_KEY not in doc or "sentences" not in doc):
        return "document texts outside their records' metadata"
    if chunk is not None and TEXT_KEY not in chunk:
        return "chunk texts outside their records' metadata"
    return None
