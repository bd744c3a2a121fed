"""Files → Documents → Chunks with exact offsets → the vector store."""

from ingest.load import LoadError, load_documents
from ingest.pipeline import EmbedProcessError, IngestReport, ingest
from ingest.split import split_document

__all__ = ["EmbedProcessError", "IngestReport", "LoadError", "ingest", "load_documents", "split_document"]
