"""``rag eval-rgb``: the RGB benchmark (Chen et al. 2024, English) run through our own pipeline.

Every distinct ``positive`` and ``negative`` snippet becomes its own document in a separate
collection (``rgb_en`` by default, in the same Chroma path as the articles); the ``positive_wrong``
snippets (counterfactual robustness) are left out.  Each ``query`` is then asked through
``chat.answer`` and scored with RGB's containment rule (``evaluation.metrics.rgb_match``):

- retrieval hit@1 / hit@k / MRR: a retrieved snippet contains an acceptable form of the answer;
- accuracy: the answer text contains it (a refusal counts as the empty answer); refusal rate.

The data (RGB's ``data/en_fact.json``, CC BY-NC-SA 4.0) is not shipped; pass its path.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    items = load_rgb("../shared/eval/rgb_en_fact.json")
    report = evaluate_rgb(items, config=ChatConfig(store=StoreConfig(collection="rgb_en")), k=5)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chat.config import ChatConfig
from evaluation import metrics as M
from evaluation.evaluate import StageTimer, latency_summary, warm_up
from evaluation.preflight import runnable

__all__ = ["RGBItem", "load_rgb", "snippets", "ingest_rgb", "evaluate_rgb", "DEFAULT_PATH", "COLLECTION"]

DEFAULT_PATH = Path("../shared/eval/rgb_en_fact.json")
COLLECTION = "rgb_en"


@dataclass(frozen=True)
class RGBItem:
    """One RGB question: ``answer`` is a string or a list of parts (a nested list = any of its forms)."""

    id: str
    query: str
    answer: Any
    positive: tuple[str, ...]
    negative: tuple[str, ...]


def load_rgb(path: str | Path) -> list[RGBItem]:
    """The questions of an RGB file (one JSON object per line); clear errors for a missing or bad file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: RGB data not found; pass the path of RGB's English file "
            f"(e.g. rag eval-rgb ../shared/eval/rgb_en_fact.json)"
        )
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not JSON ({exc.msg}); an RGB file has one object per line") from None
        if not isinstance(row, dict) or not isinstance(row.get("query"), str) or "answer" not in row:
            raise ValueError(f"{path}:{n}: an RGB item needs 'query', 'answer', 'positive' and 'negative'")
        pos, neg = row.get("positive") or [], row.get("negative") or []
        if not isinstance(pos, list) or not isinstance(neg, list):
            raise ValueError(f"{path}:{n}: 'positive' and 'negative' must be lists of snippets")
        items.append(RGBItem(str(row.get("id", n - 1)), row["query"], row["answer"],
                             tuple(str(s) for s in pos), tuple(str(s) for s in neg)))
    if not items:
        raise ValueError(f"{path}: no RGB questions in the file")
    return items


def snippets(items: list[RGBItem]) -> list[str]:
    """Every distinct non-blank positive and negative snippet, in first-seen order."""
    seen: dict[str, None] = {}
    for item in items:
        for s in item.positive + item.negative:
            if s.strip():
                seen.setdefault(s, None)
    return list(seen)


def ingest_rgb(items: list[RGBItem], store: Any, embedder: Any, *, chunk_tokens: int = 200, overlap: int = 20,
               progress: bool = True) -> Any:
    """Bring the RGB collection in line with ``items``' snippets (one document each; unchanged ones are
    skipped, stale ones pruned) and return the ingest report."""
    from ingest.pipeline import ingest
    from vectorstore.types import sha256_text

    with tempfile.TemporaryDirectory(prefix="rgb-") as tmp:
        for text in snippets(items):
            # The content hash names the document: the same snippet is the same source on every run.
            (Path(tmp) / f"{sha256_text(text)[:16]}.txt").write_text(text, encoding="utf-8")
        return ingest([tmp], store, embedder, chunk_tokens=chunk_tokens, overlap=overlap, prune=True,
                      progress=progress)


def evaluate_rgb(items: list[RGBItem], *, config: ChatConfig, k: int | None = None, generator: str | None = None,
                 limit: int | None = None, progress: bool = True, ingest_first: bool = True,
                 chunk_tokens: int = 200, overlap: int = 20) -> dict[str, Any]:
    """Ingest every snippet (unless told not to; chunked by ``chunk_tokens`` and ``overlap``), ask the
    first ``limit`` queries (default all), score them with RGB's rule; the report has the same shape as
    ``evaluation.evaluate.evaluate``'s."""
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be a positive number of questions, got {limit!r}")
    generator = runnable(generator, config)
    from tqdm import tqdm

    from chat.answer import answer, get_engine

    engine = get_engine(config)
    cfg = engine.config
    started = time.perf_counter()
    ingested = "skipped"
    if ingest_first:
        ingested = ingest_rgb(items, engine.store, engine.embedder, chunk_tokens=chunk_tokens,
                              overlap=overlap, progress=progress).summary()
    top_k = cfg.top_k if k is None else k
    rows, timer = [], StageTimer()
    warm_up(answer, items, generator, top_k, cfg)
    for item in tqdm(items[:limit], desc="eval-rgb", unit="q", file=sys.stderr, disable=not progress):
        timer.reset()
        t0 = time.perf_counter()
        a = answer(item.query, generator=generator, k=top_k, config=cfg, on_stage=timer.add)
        total = time.perf_counter() - t0
        relevant = [M.rgb_match(h.text, item.answer) for h in a.hits]
        prediction = "" if a.refused else a.text
        latency = {s: round(v * 1000, 2) for s, v in timer.seconds.items()}
        latency["total"] = round(total * 1000, 2)
        rows.append({
            "id": item.id, "question": item.query, "reference": json.dumps(item.answer, ensure_ascii=False),
            "answerable": True, "answer": a.text, "refused": a.refused, "error": None,
            "notice": getattr(a, "notice", ""),
            "citations": [{"marker": c.marker, "source": c.source, "start": c.start, "end": c.end,
                           "quote": c.quote} for c in a.citations],
            "hits": [{"rank": i + 1, "source": h.source, "text": h.text, "relevant": r}
                     for i, (h, r) in enumerate(zip(a.hits, relevant, strict=True))],
            "metrics": {"hit_at_1": bool(relevant[:1]) and relevant[0], "hit_at_k": any(relevant),
                        "reciprocal_rank": M.reciprocal_rank(relevant),
                        "correct": M.rgb_match(prediction, item.answer)},
            "latency_ms": latency,
        })
    summary: dict[str, Any] = {
        "questions": len(rows), "refused": sum(r["refused"] for r in rows), "errors": 0,
        "notices": sum(bool(r["notice"]) for r in rows),
        "hit_at_1": M.mean(r["metrics"]["hit_at_1"] for r in rows),
        "hit_at_k": M.mean(r["metrics"]["hit_at_k"] for r in rows),
        "mrr": M.mean(r["metrics"]["reciprocal_rank"] for r in rows),
        "accuracy": M.mean(r["metrics"]["correct"] for r in rows),
        "refusal_rate": M.mean(r["refused"] for r in rows),
        **latency_summary(rows),
    }
    meta = {"kind": "rgb", "format": "rgb", "k": top_k, "generator": generator or cfg.generator,
            "store": engine.store.where, "collection": cfg.store.collection, "documents": len(snippets(items)),
            "ingest": ingested, "seconds": round(time.perf_counter() - started, 2)}
    summary = {k2: round(v, 4) if isinstance(v, float) else v for k2, v in summary.items()}
    return {"meta": meta, "summary": summary, "rows": rows, "warnings": []}
