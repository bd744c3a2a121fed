"""Chunk texts → vectors, and each chunk's sentences → vectors: in this process, or in child processes.

``embed_chunks`` embeds one batch here.  ``embedded_in_children`` runs a stream of batches through
child processes, each with its own copy of MiniLM on one torch thread, one batch ahead of the caller
(who writes the previous batch meanwhile): ``ingest.pipeline``'s module doc says when and why.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    vectors, sentences = embed_chunks(get_embedder(), ["Hi there. Bye now."], [[(0, 9), (10, 18)]])
    len(vectors[0]), sentences[0].shape
    # → (384, (2, 384))
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a child imports this module: it runs vectorstore.minilm on torch, not llama-index
    from vectorstore.embed import MiniLMEmbedding

__all__ = ["embed_chunks", "embedded_in_children", "parts_by_length", "EmbedProcessError"]


class EmbedProcessError(RuntimeError):
    """A child process that embeds a big ingest failed (its model did not load, or it died)."""


def embed_chunks(embedder: Any, texts: list[str], spans: list[list[tuple[int, int]]]) -> tuple[list, list]:
    """``(vectors, sentence_vectors)``: one vector per text, and per text one per span of it."""
    from vectorstore.embed import MiniLMEmbedding

    if isinstance(embedder, MiniLMEmbedding):
        pairs = embedder.embed_late(texts, spans)
        return [v for v, _ in pairs], [s for _, s in pairs]
    vectors = _sorted_batch(embedder, texts)
    flat = _sorted_batch(embedder, [t[a:b] for t, sp in zip(texts, spans) for a, b in sp])
    grouped, i = [], 0
    for sp in spans:
        grouped.append(flat[i : i + len(sp)])
        i += len(sp)
    return vectors, grouped


def _sorted_batch(embedder: Any, texts: list[str]) -> list[list[float]]:
    """Vectors of ``texts`` in their order, computed in order of length.

    llama-index hands the model ``embed_batch_size`` texts at a time in the order given, and every
    batch is padded to its longest text: sorted, a batch holds texts of like length (~1.6x faster on
    a corpus of mixed lengths).
    """
    if not texts:
        return []
    order = sorted(range(len(texts)), key=lambda j: len(texts[j]))
    vectors = embedder.get_text_embedding_batch([texts[j] for j in order])
    out: list[list[float]] = [[] for _ in texts]
    for j, v in zip(order, vectors):
        out[j] = v
    return out


_child_model: Any = None  # a vectorstore.minilm.MiniLM: what MiniLMEmbedding.embed_late runs, without llama-index
_child_batch = 32
_child_failure = ""


def _exit_with_parent(parent: int) -> None:
    # A parent killed outright (kill -9, the OOM killer) never shuts the pool down, and the child's
    # own copy of the task queue keeps it waiting forever: leave once it is orphaned.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _child_init(parent: int, model_path: str, threads: int, batch: int) -> None:
    global _child_model, _child_batch, _child_failure
    # The parent's pid comes from the parent: if it died while this child was still starting, the
    # child's getppid() is already its new parent's.
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    try:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # one thread each: the children share 2 cores
        from vectorstore.minilm import MiniLM

        _child_model, _child_batch = MiniLM(model_path, threads), batch
        _child_model.encode(["warm up"])  # load the model now, not in the first batch
    except Exception as exc:  # reported by the first task, as one error in the parent (no dead pool)
        _child_failure = f"{type(exc).__name__}: {exc}"


def _child_embed(texts: list[str], spans: list[list[tuple[int, int]]]) -> tuple[list, list]:
    if _child_model is None or _child_failure:
        raise RuntimeError(_child_failure or "the embedder was not loaded")
    pairs = _child_model.encode_late(texts, spans, _child_batch)  # as MiniLMEmbedding.embed_late
    return [v for v, _ in pairs], [s for _, s in pairs]


def _child_ready() -> None:
    """A task that makes the pool start its child (and load the model) before the first batch."""


def parts_by_length(texts: list[str], n: int) -> list[list[int]]:
    """``n`` index lists dealing ``texts`` out in order of length, so each part costs about the same."""
    order = sorted(range(len(texts)), key=lambda j: len(texts[j]))
    return [order[k::n] for k in range(n) if order[k::n]]


def embedded_in_children(
    embedder: MiniLMEmbedding, batches: Iterator[list], inputs: Callable[[list], tuple[list[str], list]]
) -> Iterator[tuple[list, tuple[list, list]]]:
    """``(batch, (vectors, sentence_vectors))`` in order, embedded by children one batch ahead of the caller.

    ``inputs(batch)`` gives a batch's texts and each one's sentence spans (``embed_chunks``'s arguments).

    ``embedder.threads`` children of one torch thread each share every batch, dealt out by length
    (``parts_by_length``), so they finish it together; ``ingest.pipeline``'s module doc says why not one child
    on many threads.
    """
    spawn = multiprocessing.get_context("spawn")  # never fork a process that holds torch threads
    workers = max(1, min(embedder.threads, os.cpu_count() or 1))  # more than the cores: memory, no speed
    args = (os.getpid(), embedder.model_path, 1, embedder.embed_batch_size)
    pool = ProcessPoolExecutor(workers, mp_context=spawn, initializer=_child_init, initargs=args)
    # Start the children now: they load their models (seconds) while this process splits the first batch.
    for _ in range(workers):
        pool.submit(_child_ready)
    ahead: deque[tuple[list, list[list[int]], list[Future]]] = deque()

    def submit(batch: list) -> None:
        texts, spans = inputs(batch)
        parts = parts_by_length(texts, workers)
        futures = [pool.submit(_child_embed, [texts[j] for j in part], [spans[j] for j in part]) for part in parts]
        ahead.append((batch, parts, futures))

    def collect() -> tuple[list, tuple[list, list]]:
        batch, parts, futures = ahead.popleft()
        n = sum(len(part) for part in parts)
        vectors: list = [None] * n
        sentences: list = [None] * n
        for part, future in zip(parts, futures):
            got_vectors, got_sentences = future.result()
            for j, v, s in zip(part, got_vectors, got_sentences):
                vectors[j], sentences[j] = v, s
        return batch, (vectors, sentences)

    finished = False
    try:
        for batch in batches:
            submit(batch)
            if len(ahead) > 1:  # the children embed the next batch while the caller writes this one
                yield collect()
        while ahead:
            yield collect()
        finished = True
    except (BrokenProcessPool, RuntimeError) as exc:
        raise EmbedProcessError(f"the embedding process failed (model {embedder.model_path!r}): {exc}") from exc
    finally:
        if not finished:  # an error or Ctrl-C: stop the children now, not after a batch nobody will write
            for process in list((getattr(pool, "_processes", None) or {}).values()):  # private, stable since 3.2
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
