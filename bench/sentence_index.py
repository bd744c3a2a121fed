"""Sentence vectors in Chroma's HNSW, or as records scored exactly: write cost, agreement, query time.

    .venv/bin/python bench/sentence_index.py --store CHROMA_PATH [--collection NAME] [--reps 3]

Reads the sentence vectors of an existing store (any store ``rag ingest`` wrote; the numbers in the
``docs/performance.md`` are from the 10k-document store of ``bench/perf_worker.py ours``) and, in fresh embedded
collections of a temp folder, writes them two ways:

- ``hnsw``: one Chroma record per sentence, its vector in Chroma's HNSW index (cosine);
- ``records``: one record per chunk holding its sentences' vectors as float16 bytes in metadata,
  how ``vectorstore.store`` keeps them, with a 1-d placeholder vector (no real index to build).

Then for every question of ``eval/articles_qa.jsonl`` (int8 query embedder, as at answer time) it
ranks the 30 chunks with the best sentences three ways and times each: from Chroma's top 120
sentences (HNSW); by an exact scan of every sentence vector (the reference); and as
``vectorstore.retrieve`` does, exactly over the sentences of the ``CANDIDATES`` chunks nearest by
chunk vector plus BM25's 30.  Agreement is the share of the reference's 30 each way finds.  Prints
a Markdown table and a JSON line.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POOL = 30  # chunks per dense list, as retrieve's default pool
SENTENCES = 4 * POOL  # sentences asked of HNSW to fill it (a chunk has ~4.5)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(fn) -> tuple[float, float]:
    """``(wall, cpu)`` seconds of ``fn()`` (cpu counts every thread of this process)."""
    w, c = time.perf_counter(), _cpu()
    fn()
    return time.perf_counter() - w, _cpu() - c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True, help="the Chroma folder of an ingested store")
    ap.add_argument("--collection", default="articles")
    ap.add_argument("--reps", type=int, default=3, help="writes of each kind (median reported)")
    ap.add_argument("--testset", type=Path, default=ROOT / "eval" / "articles_qa.jsonl")
    args = ap.parse_args()

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    R = importlib.import_module("vectorstore.retrieve")  # the package re-exports the function as `retrieve`
    from vectorstore.embed import get_query_embedder
    from vectorstore.config import StoreConfig
    from vectorstore.records import pack_vectors
    from vectorstore.store import open_store

    store = open_store(StoreConfig(path=args.store, collection=args.collection))
    vectors = store.sentence_vectors()
    if not vectors:
        sys.exit(f"{args.store} ({args.collection!r}) holds no sentence vectors: ingest it with this version first")
    index = R.SearchIndex(store.chunks(), sentences=vectors)
    owners = [c.id for c in index.owners for _ in range(len(vectors[c.id]))]
    rows = index.matrix
    sources = {c.id: c.source for c in index.owners}

    times: dict[str, list[tuple[float, float]]] = {"hnsw": [], "records": []}
    with tempfile.TemporaryDirectory() as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=ChromaSettings(anonymized_telemetry=False))
        for rep in range(args.reps):
            hnsw = client.create_collection(f"hnsw{rep}", embedding_function=None,
                                            configuration={"hnsw": {"space": "cosine"}})
            records = client.create_collection(f"records{rep}", embedding_function=None)

            def write_hnsw() -> None:
                for i in range(0, len(rows), 2000):
                    hnsw.add(ids=[f"{owners[j]}#{j}" for j in range(i, min(i + 2000, len(rows)))],
                             embeddings=rows[i : i + 2000],
                             metadatas=[{"source": sources[o]} for o in owners[i : i + 2000]])

            def write_records() -> None:
                items = list(vectors.items())
                for i in range(0, len(items), 2000):
                    part = items[i : i + 2000]
                    records.add(ids=[cid for cid, _ in part], embeddings=[[1.0]] * len(part),
                                metadatas=[{"source": sources[cid], "sentences": len(v), "vectors": pack_vectors(v)}
                                           for cid, v in part])

            times["hnsw"].append(_timed(write_hnsw))
            times["records"].append(_timed(write_records))

        embedder = get_query_embedder("int8")
        questions = [json.loads(line)["question"] for line in args.testset.read_text(encoding="utf-8").splitlines()
                     if line.strip()]
        agree: dict[str, list[float]] = {"hnsw": [], "candidates": []}
        ms: dict[str, list[float]] = {"hnsw": [], "exact": [], "candidates": []}
        for q in questions:
            v = embedder.get_query_embedding(q)
            t0 = time.perf_counter()
            got = hnsw.query(query_embeddings=[v], n_results=min(SENTENCES, len(rows)), include=["distances"])
            ms["hnsw"].append(1000 * (time.perf_counter() - t0))
            from_hnsw = list(dict.fromkeys(sid.rsplit("#", 1)[0] for sid in got["ids"][0]))[:POOL]
            t0 = time.perf_counter()
            exact = {c.id for c, _ in index.dense(v, POOL)}
            ms["exact"].append(1000 * (time.perf_counter() - t0))
            lexical = [c.id for c, _ in index.top(q, POOL)]  # BM25 is not timed: every way has it
            t0 = time.perf_counter()
            among = store.nearest_ids(v, R.CANDIDATES) + lexical
            chosen = {c.id for c, _ in index.dense(v, POOL, among)}
            ms["candidates"].append(1000 * (time.perf_counter() - t0))
            agree["hnsw"].append(len(exact & set(from_hnsw)) / len(exact))
            agree["candidates"].append(len(exact & chosen) / len(exact))

    med = {k: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t)) for k, t in times.items()}
    res = {"chunks": len(vectors), "sentences": len(rows), "reps": args.reps, "questions": len(questions),
           "candidates": R.CANDIDATES,
           "hnsw_write_s": round(med["hnsw"][0], 2), "hnsw_write_cpu_s": round(med["hnsw"][1], 2),
           "records_write_s": round(med["records"][0], 2), "records_write_cpu_s": round(med["records"][1], 2),
           **{f"{k}_agreement": round(statistics.mean(a), 4) for k, a in agree.items()},
           **{f"{k}_agreement_min": round(min(a), 3) for k, a in agree.items()},
           **{f"{k}_ms_p50": round(statistics.median(t), 2) for k, t in ms.items()}}
    print(f"{res['sentences']} sentence vectors of {res['chunks']} chunks; {len(questions)} questions\n")
    print("| 30 chunks by best sentence | write s (cpu s) | share of the exact 30 (min) | query p50 ms |")
    print("|---|---:|---:|---:|")
    records = f"{res['records_write_s']} ({res['records_write_cpu_s']})"
    print(f"| Chroma HNSW, a record per sentence, top {SENTENCES} | {res['hnsw_write_s']} ({res['hnsw_write_cpu_s']}) "
          f"| {res['hnsw_agreement']:.3f} ({res['hnsw_agreement_min']}) | {res['hnsw_ms_p50']} |")
    print(f"| records per chunk, exact scan of all | {records} | 1 | {res['exact_ms_p50']} |")
    print(f"| records per chunk, exact over {R.CANDIDATES} nearest chunks + BM25's (retrieve) | {records} "
          f"| {res['candidates_agreement']:.3f} ({res['candidates_agreement_min']}) | {res['candidates_ms_p50']} |")
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
