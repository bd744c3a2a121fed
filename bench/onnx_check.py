"""MiniLM's int8 ONNX build (``vectorstore.embed.Int8MiniLMEmbedding``) against the fp32 torch one.

    .venv/bin/python bench/onnx_check.py [--chunks 600]

Compares (1) throughput over the same chunks (Wikipedia summaries cut by our splitter), (2) the
latency of one question, (3) agreement of the vectors (cosine to the fp32 vectors), and (4) retrieval
quality on the eval set over the two articles (dense only, and ours fused) for three set-ups: all fp32,
all int8, and what ships (fp32 documents, int8 questions).  Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import numpy as np  # noqa: E402


def quality(embedder: object, query_embedder: object, tmp: Path, name: str) -> dict[str, float]:
    from ingest.pipeline import ingest
    from perf_worker import questions, score
    from vectorstore.retrieve import retrieve
    from vectorstore.config import StoreConfig
    from vectorstore.store import open_store

    store = open_store(StoreConfig(path=tmp / name, collection=name))
    ingest([ROOT / "data" / "articles"], store, embedder, progress=False)
    texts = {s: store.document_text(s) for s in store.sources()}
    items, located = questions(ROOT / "eval" / "articles_qa.jsonl", texts)
    fused = [[(h.source, h.start, h.end, h.text) for h in retrieve(store, query_embedder, i.question, k=5)]
             for i in items]
    dense = [[(c.source, c.start, c.end, c.text)
              for c, _ in store.dense(query_embedder.get_query_embedding(i.question), 5)] for i in items]
    return {"fused": score(fused, items, located), "dense": score(dense, items, located)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunks", type=int, default=600)
    args = ap.parse_args()
    from corpus import wiki_summaries
    from ingest.split import split_document
    from vectorstore.embed import Int8MiniLMEmbedding, get_embedder, token_counter
    from vectorstore.types import Document

    count = token_counter("")
    texts: list[str] = []
    for s in wiki_summaries().values():
        doc = Document(s["title"], f"{s['title']}\n\n{s['extract']}\n")
        texts += [c.text for c in split_document(doc, chunk_tokens=200, overlap=20, count=count)]
        if len(texts) >= args.chunks:
            break
    torch_emb = get_embedder()
    onnx_emb = Int8MiniLMEmbedding()
    torch_emb.encode(texts[:8])
    onnx_emb.encode(texts[:8])
    res: dict[str, object] = {"chunks": len(texts)}
    vecs = {}
    for name, fn in (("torch", lambda t: np.array(torch_emb.encode(t))),
                     ("onnx_int8", lambda t: np.array(onnx_emb.encode(t)))):
        t0 = time.perf_counter()
        vecs[name] = fn(texts)
        res[f"{name}_chunks_per_s"] = round(len(texts) / (time.perf_counter() - t0), 1)
    qs = [json.loads(x)["question"] for x in open(ROOT / "eval" / "articles_qa.jsonl", encoding="utf-8") if x.strip()]
    for name, fn in (("torch", torch_emb.get_query_embedding), ("onnx_int8", onnx_emb.get_query_embedding)):
        lat = []
        for q in qs:
            t0 = time.perf_counter()
            fn(q)
            lat.append((time.perf_counter() - t0) * 1000)
        res[f"{name}_query_p50_ms"] = round(statistics.median(lat), 2)
    cos = (vecs["torch"] * vecs["onnx_int8"]).sum(1)
    res["cosine_to_fp32_min"] = round(float(cos.min()), 4)
    res["cosine_to_fp32_mean"] = round(float(cos.mean()), 4)
    res["speedup"] = round(res["onnx_int8_chunks_per_s"] / res["torch_chunks_per_s"], 2)
    with tempfile.TemporaryDirectory() as tmp:
        res["quality_torch"] = quality(torch_emb, torch_emb, Path(tmp), "torch")
        res["quality_onnx_int8"] = quality(onnx_emb, onnx_emb, Path(tmp), "onnx")
        res["quality_shipped"] = quality(torch_emb, onnx_emb, Path(tmp), "shipped")
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
