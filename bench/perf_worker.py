"""One pipeline of the benchmark, in its own process (so peak RSS is this pipeline's): prints one JSON line.

    python bench/perf_worker.py ours|baseline|raw --corpus-dir DIR --work DIR [--reps N] [--quick]

- ``raw``: the embedder alone on our chunks of the corpus: ours in one process on 2 threads, ours as two
  single-threaded processes sharing the chunks (as ``rag ingest`` embeds), and sentence-transformers'
  (the fastest is the floor of any ingest);
- ``baseline``: the llama-index tutorial — ``SimpleDirectoryReader`` → default ``SentenceSplitter`` →
  ``VectorStoreIndex`` over ``ChromaVectorStore``, the same MiniLM embedder, ``as_retriever(similarity_top_k=5)``;
- ``ours``: ``ingest.pipeline.ingest`` → ``vectorstore.retrieve.retrieve`` → ``chat.answer`` (extractive).

Retrieval quality uses ``evaluation.evaluate``'s own hit rule (a retrieved span overlapping an occurrence of
an evidence quote) and ``evaluation.metrics.reciprocal_rank``, on the answerable questions of the test set.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for _k, _v in (("HF_HUB_OFFLINE", "1"), ("HF_HUB_DISABLE_TELEMETRY", "1"), ("TRANSFORMERS_OFFLINE", "1"),
               ("ANONYMIZED_TELEMETRY", "False"), ("TOKENIZERS_PARALLELISM", "false")):
    os.environ.setdefault(_k, _v)

from evaluation import metrics as M  # noqa: E402
from evaluation.evalset import load_testset  # noqa: E402
from evaluation.evaluate import locate_evidence, overlaps_evidence  # noqa: E402  (the eval's own hit rule)

K = 5


def peak_rss_mb(children: int = 2) -> float:
    """Peak RSS of this process plus ``children`` times that of its largest finished child: an upper
    bound of the pipeline's peak (a big ingest of ours embeds in two children alive beside this one,
    and the raw timing runs two; the OS reports only the largest child's peak)."""
    self_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: KiB
    return (self_kib + children * resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def pct(values: list[float], q: float) -> float:
    p = M.percentile(values, q)
    return round(p, 2) if p is not None else float("nan")


def questions(testset: Path, texts: dict[str, str]) -> tuple[list, dict[str, list[dict]]]:
    """The answerable items with evidence, and where each evidence quote sits (``locate_evidence``)."""
    _, items = load_testset(testset)
    items = [i for i in items if i.answerable and i.evidence]
    warnings: list[str] = []
    return items, locate_evidence(items, texts, warnings)


def score(ranked: list[list[tuple[str, int, int, str]]], items: list, located: dict) -> dict[str, float]:
    """hit@1, hit@5, MRR over the items; ``ranked[i]`` holds ``(source, start, end, text)`` best first."""
    rel = [[overlaps_evidence(s, a, b, t, located[item.id]) for s, a, b, t in spans]
           for item, spans in zip(items, ranked)]
    return {
        "hit1": round(M.mean(bool(r[:1]) and r[0] for r in rel), 4),
        "hit5": round(M.mean(any(r[:K]) for r in rel), 4),
        "mrr": round(M.mean(M.reciprocal_rank(r[:K]) for r in rel), 4),
    }


def timed_queries(items: list, run, reps: int) -> tuple[list, list[float], float]:
    """First (cold) query time, then ``reps`` timed passes over every question; results of the last pass."""
    t0 = time.perf_counter()
    run(items[0].question)
    first_ms = (time.perf_counter() - t0) * 1000
    lat: list[float] = []
    results: list = []
    for _ in range(reps):
        results = []
        for item in items:
            t0 = time.perf_counter()
            results.append(run(item.question))
            lat.append((time.perf_counter() - t0) * 1000)
    return results, lat, first_ms


# ---- raw embedder ---------------------------------------------------------------------------------
def _raw_half(texts: list[str], barrier: Any, out: Any) -> None:
    """One of two single-threaded models (a child of ``rag ingest``): load, warm up, wait for the twin, time."""
    from vectorstore.embed import default_model_path
    from vectorstore.minilm import MiniLM

    model = MiniLM(default_model_path(), threads=1)
    model.encode(texts[:8])
    barrier.wait()
    t0 = time.perf_counter()
    model.encode(texts)
    out.put(time.perf_counter() - t0)


def two_processes(texts: list[str]) -> float:
    """Seconds for two single-threaded processes to embed ``texts``, dealt out by length (as ingest does)."""
    import multiprocessing

    from ingest.embedding import parts_by_length  # the very dealing a big ingest does

    ctx = multiprocessing.get_context("spawn")
    parts = parts_by_length(texts, 2)
    barrier, out = ctx.Barrier(len(parts)), ctx.Queue()
    procs = [ctx.Process(target=_raw_half, args=([texts[j] for j in part], barrier, out)) for part in parts]
    for proc in procs:
        proc.start()
    seconds = [out.get(timeout=3600) for _ in procs]
    for proc in procs:
        proc.join()
    return max(seconds)


def run_raw(args: argparse.Namespace) -> dict[str, Any]:
    """The embedder alone, three ways: ours (plain torch) in one process on 2 threads, ours as two
    single-threaded processes (what a big ``rag ingest`` runs), and sentence-transformers'.

    Each gets all the chunks, sorted by length inside, and is timed after its model loaded and
    warmed up: the embedder at its best.  The fastest is the floor that ingest is compared with.
    """
    from sentence_transformers import SentenceTransformer

    from ingest.load import load_documents
    from ingest.split import split_document
    from vectorstore.embed import default_model_path, get_embedder, token_counter

    emb = get_embedder()
    count = token_counter("")
    texts = [c.text for d in load_documents([args.corpus_dir])
             for c in split_document(d, chunk_tokens=200, overlap=20, count=count)]
    reference = SentenceTransformer(str(default_model_path()), device="cpu", local_files_only=True)
    speeds = {}
    for name, encode in (("minilm", emb.encode), ("sentence_transformers", lambda t: reference.encode(
            t, batch_size=emb.embed_batch_size, normalize_embeddings=True, show_progress_bar=False))):
        encode(texts[:8])  # load and warm up (not timed)
        t0 = time.perf_counter()
        encode(texts)
        speeds[name] = len(texts) / (time.perf_counter() - t0)
    speeds["minilm_two_processes"] = len(texts) / two_processes(texts)
    best = max(speeds.values())
    return {"chunks": len(texts), "embed_s": round(len(texts) / best, 3), "chunks_per_s": round(best, 2),
            **{f"{n}_chunks_per_s": round(v, 2) for n, v in speeds.items()},
            "peak_rss_mb": round(peak_rss_mb(), 1)}


# ---- the llama-index tutorial -----------------------------------------------------------------------
def run_baseline(args: argparse.Namespace) -> dict[str, Any]:
    import chromadb
    from llama_index.core import Settings as LISettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from vectorstore.embed import get_embedder

    t0 = time.perf_counter()
    embed_model = get_embedder()
    embed_model.get_text_embedding("warm up")  # model load, not part of ingest (same for ours)
    load_s = time.perf_counter() - t0
    LISettings.embed_model = embed_model
    LISettings.llm = None

    db = chromadb.PersistentClient(path=str(Path(args.work) / "chroma-baseline"))

    def build() -> VectorStoreIndex:
        documents = SimpleDirectoryReader(args.corpus_dir).load_data()
        collection = db.get_or_create_collection("quickstart")
        vector_store = ChromaVectorStore(chroma_collection=collection)
        storage_context = StorageContext.from_defaults(vector_store=vector_store)
        return VectorStoreIndex.from_documents(documents, storage_context=storage_context, embed_model=embed_model)

    t0 = time.perf_counter()
    index = build()
    ingest_s = time.perf_counter() - t0
    chunks = db.get_collection("quickstart").count()
    retriever = index.as_retriever(similarity_top_k=K)

    texts = {p.name: p.read_text(encoding="utf-8") for p in Path(args.corpus_dir).glob("*.txt")
             if not p.name.startswith("wiki-")}
    items, located = questions(Path(args.testset), texts)

    def run(q: str) -> list[tuple[str, int, int, str]]:
        out = []
        for n in retriever.retrieve(q):
            node = n.node
            s = node.start_char_idx if node.start_char_idx is not None else -1
            e = node.end_char_idx if node.end_char_idx is not None else -1
            out.append((node.metadata.get("file_name", ""), s, e, node.get_content()))
        return out

    ranked, lat, first_ms = timed_queries(items, run, args.reps)
    cite = [len(r[0][3]) for r in ranked if r]
    # Re-ingest of the unchanged corpus, as the tutorial does it: run the index construction again
    # (into the same collection, so measured after retrieval, which duplicates would skew).
    t0 = time.perf_counter()
    build()
    reingest_s = time.perf_counter() - t0
    return {
        "chunks": chunks, "model_load_s": round(load_s, 2), "ingest_s": round(ingest_s, 3),
        "chunks_per_s": round(chunks / ingest_s, 2), "reingest_s": round(reingest_s, 3),
        "retrieve_first_ms": round(first_ms, 1), "retrieve_p50_ms": pct(lat, 50), "retrieve_p95_ms": pct(lat, 95),
        **score(ranked, items, located), "cite_chars_median": statistics.median(cite) if cite else None,
        "questions": len(items), "peak_rss_mb": round(peak_rss_mb(), 1),
    }


# ---- ours ---------------------------------------------------------------------------------------------
def run_ours(args: argparse.Namespace) -> dict[str, Any]:
    from ingest.pipeline import ingest
    from vectorstore.embed import get_embedder, get_query_embedder
    from vectorstore.retrieve import retrieve
    from app.settings import Settings
    from vectorstore.store import open_store

    settings = Settings(_env_file=None, chroma_path=Path(args.work) / "chroma-ours", collection="bench",
                        generator="extractive")
    t0 = time.perf_counter()
    embedder = get_embedder()
    embedder.get_text_embedding("warm up")
    # What ``chat.answer`` embeds questions with (int8 ONNX by default; see vectorstore/embed.py).
    query_embedder = get_query_embedder(settings.query_embedder)
    query_embedder.get_query_embedding("warm up")
    load_s = time.perf_counter() - t0
    store = open_store(settings.store_config())

    t0 = time.perf_counter()
    report = ingest([args.corpus_dir], store, embedder, progress=False, embed_process=None)  # as `rag ingest`
    ingest_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = ingest([args.corpus_dir], store, embedder, progress=False)
    reingest_s = time.perf_counter() - t0
    assert again.chunks == 0 and not again.added and not again.replaced, again.summary()

    texts = {s: store.document_text(s) for s in store.sources() if not s.startswith("wiki-")}
    items, located = questions(Path(args.testset), texts)

    def run(q: str) -> list[tuple[str, int, int, str]]:
        return [(h.source, h.start, h.end, h.text) for h in retrieve(store, query_embedder, q, k=K)]

    ranked, lat, first_ms = timed_queries(items, run, args.reps)

    from chat.answer import answer

    cite: list[int] = []
    refused = 0
    t0 = time.perf_counter()
    asked = items if args.answers is None else items[: args.answers]
    for item in asked:
        a = answer(item.question, generator="extractive", k=K, config=settings.chat_config())
        refused += a.refused
        cite.extend(len(c.quote) for c in a.citations)
    answer_ms = (time.perf_counter() - t0) * 1000 / len(asked)
    return {
        "chunks": report.chunks, "model_load_s": round(load_s, 2), "ingest_s": round(ingest_s, 3),
        "chunks_per_s": round(report.chunks / ingest_s, 2), "reingest_s": round(reingest_s, 3),
        "retrieve_first_ms": round(first_ms, 1), "retrieve_p50_ms": pct(lat, 50), "retrieve_p95_ms": pct(lat, 95),
        **score(ranked, items, located), "cite_chars_median": statistics.median(cite) if cite else None,
        "answer_mean_ms": round(answer_ms, 1), "refused": refused, "citations": len(cite),
        "questions": len(items), "peak_rss_mb": round(peak_rss_mb(), 1), "query_embedder": settings.query_embedder,
        "chroma": str(settings.chroma_path), "collection": settings.collection,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("ours", "baseline", "raw"))
    ap.add_argument("--corpus-dir", required=True)
    ap.add_argument("--work", required=True, help="a scratch folder for this pipeline's Chroma")
    ap.add_argument("--testset", default=str(ROOT / "eval" / "articles_qa.jsonl"))
    ap.add_argument("--reps", type=int, default=3, help="timed passes over the questions")
    ap.add_argument("--answers", type=int, default=None, help="ask chat.answer only the first N questions")
    args = ap.parse_args()
    fn = {"ours": run_ours, "baseline": run_baseline, "raw": run_raw}[args.mode]
    print(json.dumps(fn(args)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
