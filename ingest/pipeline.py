"""Files → store: hash, skip what is unchanged, replace what changed, optionally prune the rest.

Changed documents are embedded in batches across documents (the embedder is the bottleneck and
likes big batches of texts of similar length), then written batch by batch (``Store.put_many``: a
few large Chroma writes, each document's chunks before its record).  The MiniLM embedder gives each
chunk's sentences their vectors in the same pass (``MiniLMEmbedding.embed_late``); any other
embedder embeds the sentences as texts of their own.  ``rebuild`` writes every stored document again
(from its file when one is given, else from its stored text): how a store written by an earlier version
is brought to the current layout, losing nothing.

A big ingest with the MiniLM embedder embeds in child processes (``ingest.embedding``; each with its
own copy of the model) while this one splits and writes: chromadb holds the GIL while it writes, so in
one process the writes stall the embedding however they are threaded.  One child per thread of the
embedder (2), each on one torch thread: faster than one child on two threads (a thread of a two-thread
model waits at every operation for its twin whenever this process takes a core; docs/performance.md).
What is left is this process's own work (Chroma writes, splitting) on cores the children fill.  Below ``_PROCESS_MIN_CHARS`` of changed text the children's start (seconds) would cost more
than it saves.  ``rag ingest`` decides so; a call of ``ingest`` stays in one process unless it asks
(``embed_process``).

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    report = ingest(["data/articles"], store, embedder)
    report.added, report.unchanged
    # → (['bridging-…txt', 'vietnam-…txt'], [])
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.embedding import EmbedProcessError, embed_chunks, embedded_in_children
from ingest.load import LoadError, drop_duplicates, load_documents
from ingest.split import split_document
from vectorstore.embed import MiniLMEmbedding, token_counter
from vectorstore.spans import sentence_spans
from vectorstore.store import Store
from vectorstore.types import Chunk, Document

__all__ = ["ingest", "IngestReport", "EmbedProcessError"]

# Chunks per embed-and-write round: big enough that sorting by length pays and Chroma commits are
# rare (each one is a commit), small enough that progress moves and memory stays flat.
_EMBED_BATCH = 1024
# Changed text (characters) from which a MiniLM ingest embeds in a child process: ~4,000 chunks,
# over a minute of embedding, against seconds to start the child and load its model.
_PROCESS_MIN_CHARS = 3_000_000


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did, by source name."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    chunks: int = 0

    def summary(self) -> str:
        """One line for humans."""
        return (
            f"{len(self.added)} added, {len(self.replaced)} replaced, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed, {self.chunks} chunks written, {len(self.errors)} skipped"
        )


def _batches(docs: list[Document], split: Callable[[Document], list[Chunk]]):
    batch: list[tuple[Document, list[Chunk]]] = []
    size = 0
    for doc in docs:
        chunks = split(doc)
        batch.append((doc, chunks))
        size += len(chunks)
        if size >= _EMBED_BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _inputs(batch: list[tuple[Document, list[Chunk]]]) -> tuple[list[str], list[list[tuple[int, int]]]]:
    """What a batch gives the embedder: its chunks' texts, and each one's sentence spans (as citations cut them)."""
    texts = [c.text for _, chunks in batch for c in chunks]
    return texts, [sentence_spans(t) for t in texts]


def _use_process(embedder: Any, docs: list[Document], choice: bool | None) -> bool:
    """Whether to embed in a child process: ``choice`` if given, else only where it pays (module doc)."""
    fits = type(embedder) is MiniLMEmbedding  # a child can rebuild exactly this class (not fakes)
    if choice and not fits:
        raise ValueError(f"embed_process=True needs a MiniLMEmbedding, got {type(embedder).__name__}")
    if choice is not None:
        return choice
    return fits and sum(len(d.text) for d in docs) >= _PROCESS_MIN_CHARS


def ingest(
    paths: list[str | Path],
    store: Store,
    embedder: Any,
    *,
    chunk_tokens: int = 200,
    overlap: int = 20,
    max_mb: float = 10.0,
    prune: bool = False,
    strict: bool = False,
    progress: bool | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    embed_process: bool | None = False,
    rebuild: bool = False,
) -> IngestReport:
    """Bring ``store`` in line with the files under ``paths`` (see the module doc).

    A file whose text is already stored or loaded under another name is skipped with a message naming
    both (in ``errors``; ``strict`` raises instead), and any version of it stored earlier is removed:
    see ``ingest.load.drop_duplicates`` for which copy is kept and what happens when the original is
    deleted and pruned.  ``embed_process``: embed in a child process (True), in this one (False, the
    default), or decide by size (None, what ``rag ingest`` does; module doc).  The child is started with
    "spawn", which imports the caller's main module again: a script using True or None needs the usual
    ``if __name__ == "__main__":`` guard.  ``rebuild``: write every document again (module doc).
    """
    # A run killed mid-write left its sources marked: settle them before deciding what changed.
    store.recover()
    errors: list[str] = []
    docs: dict[str, Document] = {}
    for doc in load_documents(paths, max_mb=max_mb, errors=None if strict else errors):
        if doc.source in docs:
            raise LoadError(f"{doc.source}: named twice among the paths given; ingest one at a time")
        docs[doc.source] = doc
    stored = store.sources()
    pruned = set(stored) - set(docs) if prune else set()
    loaded = docs
    docs, duplicates = drop_duplicates(loaded, stored, pruned)
    if duplicates and strict:
        raise LoadError(duplicates[0])
    errors += duplicates
    # A skipped duplicate stored under its own name (an old version, or a copy stored before this
    # check) goes: its text now lives on disk only as the copy that is kept.
    removed = sorted(pruned | {s for s in loaded if s not in docs and s in stored})
    changed = [d for d in docs.values() if rebuild or stored.get(d.source) != d.sha256]
    if rebuild:
        changed += [d for d in store.stored_documents() if d.source not in docs and d.source not in removed]
    report = IngestReport(
        added=[d.source for d in changed if d.source not in stored],
        replaced=[d.source for d in changed if d.source in stored],
        unchanged=[s for s, d in docs.items() if stored.get(s) == d.sha256 and not rebuild],
        removed=removed,
        errors=errors,
    )
    count = token_counter(getattr(embedder, "model_path", "") or "")

    def split(doc: Document) -> list[Chunk]:
        return split_document(doc, chunk_tokens=chunk_tokens, overlap=overlap, count=count)

    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show and changed:
        from tqdm import tqdm

        bar = tqdm(total=len(changed), unit="doc", desc="ingest", file=sys.stderr)
    written = done = 0

    def finish(items: list[tuple]) -> None:
        nonlocal written, done
        for _, chunks, *_ in items:
            written += len(chunks)
            done += 1
            if bar:
                bar.update(1)
            if on_progress:
                on_progress(done, len(changed))

    def items_of(batch: list[tuple[Document, list[Chunk]]], embedded: tuple[list, list]) -> list:
        (vectors, sentences), items, i = embedded, [], 0
        for doc, chunks in batch:
            items.append((doc, chunks, vectors[i : i + len(chunks)], sentences[i : i + len(chunks)]))
            i += len(chunks)
        return items

    if changed and _use_process(embedder, changed, embed_process):
        for batch, embedded in embedded_in_children(embedder, _batches(changed, split), _inputs):
            items = items_of(batch, embedded)
            store.put_many(items)
            finish(items)
    else:
        # One writer thread: batch i is written to Chroma while batch i+1 is split and embedded.  At most
        # one write is in flight, batches are written in order, and leaving the block waits for the last.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-write") as writer:
            pending: tuple[Future, list] | None = None
            for batch in _batches(changed, split):
                items = items_of(batch, embed_chunks(embedder, *_inputs(batch)))
                if pending:
                    pending[0].result()  # re-raises a failed write here
                    finish(pending[1])
                pending = (writer.submit(store.put_many, items), items)
            if pending:
                pending[0].result()
                finish(pending[1])
    if bar:
        bar.close()
    if report.removed:
        store.remove(report.removed)
    if rebuild:
        store.drop_old_layout()
    return IngestReport(**{**report.__dict__, "chunks": written})
