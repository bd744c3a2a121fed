"""What a chunk write costs in Chroma, and whether Python can run while Chroma writes.

    .venv/bin/python bench/chroma_writes.py [--chunks 1000] [--reps 3]

The chunks of data/articles, repeated under new ids to ``--chunks``, with random unit vectors (the
vectors do not change what a write costs).  Each way of writing gets a fresh embedded collection:

- ``llama-index``: ``ChromaVectorStore.add`` of ``TextNode``s, text in Chroma's ``documents`` (how
  ``vectorstore.store`` wrote chunks before);
- ``direct``: chromadb's ``add`` with the text in metadata (how it writes them now);

and document records (the same texts as whole documents, 1-d placeholder vectors, ``upsert``):

- ``docs in documents``: the text in Chroma's ``documents`` (how ``NAME__docs`` was written before);
- ``docs in metadata``: the text in metadata (how it is written now).

Then a Python thread counts loop turns for the length of one ``direct`` write, against the same thread
alone: the ratio says how much of the GIL Chroma leaves to other threads while it writes.  Prints a
Markdown table and a JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rows(n: int, rep: int) -> list[tuple[str, list[float], dict]]:
    from ingest.load import load_documents
    from ingest.split import split_document
    from vectorstore.embed import token_counter

    count = token_counter("")
    chunks = [c for d in load_documents([ROOT / "data" / "articles"])
              for c in split_document(d, chunk_tokens=200, overlap=20, count=count)]
    rnd = random.Random(rep)
    out = []
    for i in range(n):
        c = chunks[i % len(chunks)]
        v = [rnd.gauss(0, 1) for _ in range(384)]
        norm = sum(x * x for x in v) ** 0.5
        out.append((f"{rep}-{i}", [x / norm for x in v],
                    {"source": c.source, "start": c.start, "end": c.end, "doc_sha256": "0" * 64, "chunk_text": c.text}))
    return out


def _spins(seconds: float | None, stop: threading.Event | None = None) -> float:
    """Loop turns per second of this thread, for ``seconds`` or until ``stop`` is set."""
    n, t0 = 0, time.perf_counter()
    while (stop is None and time.perf_counter() - t0 < seconds) or (stop is not None and not stop.is_set()):
        n += 1
    return n / (time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunks", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()

    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    with tempfile.TemporaryDirectory() as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=ChromaSettings(anonymized_telemetry=False))
        times: dict[str, list[float]] = {"llama-index": [], "direct": [], "docs-documents": [], "docs-metadata": []}
        for rep in range(args.reps):
            rows = _rows(args.chunks, rep)
            for way in times:
                col = client.create_collection(f"{way.replace('-', '')}{rep}", embedding_function=None,
                                               configuration={"hnsw": {"space": "cosine"}})
                t0 = time.perf_counter()
                if way.startswith("docs-"):
                    metas = [{"source": r[0], "sha256": "0" * 64, "chunks": 1} for r in rows]
                    texts = [r[2]["chunk_text"] for r in rows]
                    if way == "docs-documents":
                        col.upsert(ids=[r[0] for r in rows], embeddings=[[1.0]] * len(rows), metadatas=metas,
                                   documents=texts)
                    else:
                        col.upsert(ids=[r[0] for r in rows], embeddings=[[1.0]] * len(rows),
                                   metadatas=[{**m, "doc_text": t} for m, t in zip(metas, texts)])
                elif way == "direct":
                    col.add(ids=[r[0] for r in rows], embeddings=[r[1] for r in rows], metadatas=[r[2] for r in rows])
                else:
                    meta = [{k: v for k, v in r[2].items() if k != "chunk_text"} for r in rows]
                    ChromaVectorStore(chroma_collection=col).add(
                        [TextNode(id_=r[0], text=r[2]["chunk_text"], embedding=r[1], metadata=m)
                         for r, m in zip(rows, meta)])
                times[way].append(time.perf_counter() - t0)

        alone = _spins(1.0)
        stop, beside = threading.Event(), []
        worker = threading.Thread(target=lambda: beside.append(_spins(None, stop)))
        rows = _rows(args.chunks, args.reps)
        col = client.create_collection("gilcheck", embedding_function=None)
        worker.start()
        col.add(ids=[r[0] for r in rows], embeddings=[r[1] for r in rows], metadatas=[r[2] for r in rows])
        stop.set()
        worker.join()

    med = {way: statistics.median(t) for way, t in times.items()}
    res = {"chunks": args.chunks, "reps": args.reps,
           "llama_index_s": round(med["llama-index"], 3), "direct_s": round(med["direct"], 3),
           "direct_vs_llama_index": round(med["direct"] / med["llama-index"], 2),
           "docs_documents_s": round(med["docs-documents"], 3), "docs_metadata_s": round(med["docs-metadata"], 3),
           "docs_metadata_vs_documents": round(med["docs-metadata"] / med["docs-documents"], 2),
           "python_thread_speed_during_write": round(beside[0] / alone, 4)}
    print(f"| write of {args.chunks} chunks (median of {args.reps}) | seconds |\n|---|---:|")
    print(f"| ChromaVectorStore.add, text in documents | {res['llama_index_s']} |")
    print(f"| chromadb add, text in metadata | {res['direct_s']} ({res['direct_vs_llama_index']}×) |")
    print(f"| document records, text in documents | {res['docs_documents_s']} |")
    print(f"| document records, text in metadata | {res['docs_metadata_s']} ({res['docs_metadata_vs_documents']}×) |")
    print(f"\nA Python thread during a write ran at {100 * res['python_thread_speed_during_write']:.1f} % "
          "of its speed alone.")
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
