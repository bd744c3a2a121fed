"""Files → Documents → Chunks with exact offsets → the vector store (names load on first use: ``vectorstore.lazy``)."""

from vectorstore.lazy import lazy_exports

__all__ = ["EmbedProcessError", "IngestReport", "LoadError", "ingest", "load_documents", "split_document"]

lazy_exports(__name__, {
    **dict.fromkeys(("LoadError", "load_documents"), "ingest.load"),
    **dict.fromkeys(("IngestReport", "ingest"), "ingest.pipeline"),
    "EmbedProcessError": "ingest.embedding",
    "split_document": "ingest.split",
})
