"""``rag eval``: ask every question of a test set through ``chat.answer`` and score it, offline.

Per question and in aggregate (see ``METRICS``):
- retrieval: hit@1, hit@k, MRR; a hit is a retrieved chunk overlapping any occurrence of an evidence quote;
- answers: token F1 and containment against the reference (a refusal counts as the empty answer),
  refusal precision/recall on the unanswerable questions, false-refusal rate on the others;
- citations: validity (quote == stored slice), precision (cited span overlaps evidence), recall
  (answer sentences with a supporting citation, see ``evaluation.metrics.sentence_support``);
- latency per stage, as ``chat.answer`` reports it through its ``on_stage`` callback.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    report = evaluate(items, config=ChatConfig(generator="extractive"))
    report["summary"]["hit_at_k"]
    # → 1.0
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from chat.config import ChatConfig
from evaluation import metrics as M
from evaluation.evalset import EvalItem
from evaluation.metrics import METRICS, STAGES, check_thresholds, load_thresholds
from evaluation.preflight import runnable
from vectorstore.text import language

__all__ = [
    "METRICS", "STAGES", "StageTimer", "evaluate", "score_row", "aggregate", "warm_up", "latency_summary",
    "load_thresholds", "check_thresholds", "locate_evidence", "overlaps_evidence",
]

# ---- timing ---------------------------------------------------------------------------------------
class StageTimer:
    """Seconds per stage of one answer, as ``chat.answer`` reports them through ``on_stage``.

    >>> t = StageTimer(); t.add("retrieval", 0.01); t.add("retrieval", 0.02); round(t.seconds["retrieval"], 3)
    0.03
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    def reset(self) -> None:
        self.seconds = {}


def latency_summary(rows: list[dict]) -> dict[str, float | None]:
    """p50 and p95 in ms of each stage over the rows that have it (stages never timed are left out)."""
    out: dict[str, float | None] = {}
    for stage in STAGES:
        vals = [r["latency_ms"][stage] for r in rows if stage in r.get("latency_ms", {})]
        for q in (50, 95):
            p = M.percentile(vals, q)
            if p is not None:
                out[f"latency_{stage}_p{q}_ms"] = round(p, 2)
    return out


# ---- evidence -------------------------------------------------------------------------------------
def locate_evidence(items: list[EvalItem], texts: dict[str, str], warnings: list[str]) -> dict[str, list[dict]]:
    """For each item id: its evidence with every occurrence's span (``spans`` empty when not found)."""
    out: dict[str, list[dict]] = {}
    for item in items:
        located = []
        for ev in item.evidence:
            sources = [ev.source] if ev.source else sorted(texts)
            spans = [[s, a, b] for s in sources for a, b in M.find_spans(texts[s], ev.quote)]
            if not spans:
                warnings.append(f"{item.id}: evidence not found in {ev.source or 'any stored document'}: "
                                f"{ev.quote[:80]!r} (matched by text containment instead)")
            located.append({"source": ev.source, "quote": ev.quote, "spans": spans})
        out[item.id] = located
    return out


def overlaps_evidence(source: str, start: int, end: int, text: str, evidence: list[dict]) -> bool:
    """Whether a retrieved or cited span overlaps any occurrence of any evidence (or, for evidence
    that could not be located, contains it or is contained in it)."""
    for ev in evidence:
        if any(s == source and M.overlaps(start, end, a, b) for s, a, b in ev["spans"]):
            return True
        if not ev["spans"]:
            q, t = M.normalize_answer(ev["quote"]), M.normalize_answer(text)
            if q and t and (q in t or t in q):
                return True
    return False


# ---- one question ---------------------------------------------------------------------------------
def score_row(item: EvalItem, a: Any, evidence: list[dict], doc_text: Callable[[str], str]) -> dict:
    """The JSON-ready row of one answered question: what was retrieved, said and cited, and its metrics."""
    has_evidence = item.answerable and bool(evidence)
    hits = [
        {"rank": i + 1, "source": h.source, "start": h.start, "end": h.end, "score": round(h.score, 5),
         "relevant": overlaps_evidence(h.source, h.start, h.end, h.text, evidence)}
        for i, h in enumerate(a.hits)
    ]
    cites = []
    for c in a.citations:
        try:
            valid = doc_text(c.source)[c.start : c.end] == c.quote
        except KeyError:
            valid = False
        cites.append({"marker": c.marker, "source": c.source, "start": c.start, "end": c.end, "quote": c.quote,
                      "valid": valid,
                      "relevant": valid and overlaps_evidence(c.source, c.start, c.end, c.quote, evidence)})
    quotes = {c["marker"]: c["quote"] for c in cites if c["valid"]}
    sentences = []
    if not a.refused:
        for text, markers in M.answer_sentences(a.text):
            cited = [quotes[m] for m in markers if m in quotes]
            support = M.sentence_support(text, cited) if cited else 0.0
            sentences.append({"text": text, "markers": markers, "support": round(support, 3),
                              "supported": bool(cited) and support >= M.RECALL_SUPPORT_MIN})
    prediction = "" if a.refused else a.text
    relevant = [h["relevant"] for h in hits]
    metrics = {
        "hit_at_1": (bool(relevant[:1]) and relevant[0]) if has_evidence else None,
        "hit_at_k": any(relevant) if has_evidence else None,
        "reciprocal_rank": M.reciprocal_rank(relevant) if has_evidence else None,
        "answer_f1": M.token_f1(prediction, item.reference) if item.answerable else None,
        "answer_containment": M.contains_answer(prediction, item.reference) if item.answerable else None,
        "refusal_correct": a.refused != item.answerable,
        "citation_validity": (sum(c["valid"] for c in cites) / len(cites)) if cites else None,
        "citation_precision": sum(c["relevant"] for c in cites) / len(cites) if cites and has_evidence else None,
        "citation_recall": sum(s["supported"] for s in sentences) / len(sentences) if sentences else None,
    }
    return {
        "id": item.id, "question": item.question, "reference": item.reference, "answerable": item.answerable,
        "answer": a.text, "refused": a.refused, "notice": getattr(a, "notice", ""), "error": None,
        "citations": cites, "hits": hits, "sentences": sentences, "evidence": evidence, "metrics": metrics,
    }


def aggregate(rows: list[dict]) -> dict[str, Any]:
    """The summary of scored rows (rows with an ``error`` count only in ``errors``)."""
    ok = [r for r in rows if not r["error"]]

    def col(name: str) -> list:
        return [r["metrics"][name] for r in ok if r["metrics"].get(name) is not None]

    cites = [c for r in ok for c in r["citations"]]
    summary: dict[str, Any] = {
        "questions": len(rows), "answerable": sum(r["answerable"] for r in rows),
        "unanswerable": sum(not r["answerable"] for r in rows), "errors": len(rows) - len(ok),
        "refused": sum(r["refused"] for r in ok), "citations": len(cites),
        "notices": sum(bool(r.get("notice")) for r in ok),
        "hit_at_1": M.mean(col("hit_at_1")), "hit_at_k": M.mean(col("hit_at_k")),
        "mrr": M.mean(col("reciprocal_rank")),
        "answer_f1": M.mean(col("answer_f1")), "answer_containment": M.mean(col("answer_containment")),
        **M.refusal_scores([r["refused"] for r in ok], [r["answerable"] for r in ok]),
        "citation_validity": sum(c["valid"] for c in cites) / len(cites) if cites else None,
        "citation_precision": M.mean(col("citation_precision")), "citation_recall": M.mean(col("citation_recall")),
        **latency_summary(ok),
    }
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in summary.items()}


def warm_up(answer: Callable, items: list, generator: str | None, k: int, cfg: ChatConfig) -> None:
    """One untimed answer first, so that latencies leave out loading the model and building indexes."""
    for item in items[:1]:
        try:
            answer(getattr(item, "question", None) or item.query, generator=generator, k=k, config=cfg)
        except ValueError:
            pass


def evaluate(items: list[EvalItem], *, config: ChatConfig | None = None, generator: str | None = None, k: int | None = None,
             progress: bool = True, fmt: str = "articlechat") -> dict[str, Any]:
    """Run every item through ``chat.answer`` and return the report (``meta``, ``summary``, ``rows``, ``warnings``)."""
    from tqdm import tqdm

    from chat.answer import answer, get_engine
    from vectorstore.store import StoreError

    engine = get_engine(config)
    cfg = engine.config
    generator = runnable(generator, cfg)
    stored = sorted(engine.store.sources())
    if not stored:
        raise StoreError(f"the store at {engine.store.where} (collection {cfg.store.collection!r}) is empty: "
                         "run `rag ingest` first")
    missing = sorted({e.source for i in items for e in i.evidence if e.source and e.source not in stored})
    if missing:
        raise ValueError(f"evidence names documents that are not in the store at {engine.store.where}: "
                         f"{', '.join(missing)}; ingest them first (rag ingest PATH)")
    warnings: list[str] = []
    located = locate_evidence(items, {s: engine.doc_text(s) for s in stored}, warnings)
    top_k = cfg.top_k if k is None else k
    rows, timer, started = [], StageTimer(), time.perf_counter()
    warm_up(answer, items, generator, top_k, cfg)
    for item in tqdm(items, desc="eval", unit="q", file=sys.stderr, disable=not progress):
        timer.reset()
        t0 = time.perf_counter()
        try:
            a = answer(item.question, generator=generator, k=top_k, config=cfg, on_stage=timer.add)
        except ValueError as exc:  # a question the pipeline rejects: a failed row, not a failed run
            rows.append({"id": item.id, "question": item.question, "reference": item.reference,
                         "answerable": item.answerable, "answer": "", "refused": False, "error": str(exc),
                         "citations": [], "hits": [], "sentences": [], "evidence": located[item.id],
                         "metrics": {}, "latency_ms": {}})
            continue
        total = time.perf_counter() - t0
        row = score_row(item, a, located[item.id], engine.doc_text)
        row["latency_ms"] = {s: round(v * 1000, 2) for s, v in timer.seconds.items()}
        row["latency_ms"]["total"] = round(total * 1000, 2)
        rows.append(row)
    meta = {"kind": "articles", "format": fmt, "k": top_k, "generator": generator or cfg.generator,
            "store": engine.store.where, "collection": cfg.store.collection, "documents": len(stored),
            "seconds": round(time.perf_counter() - started, 2)}
    for row in rows:
        row["language"] = language(row["question"])
    langs = sorted({r["language"] for r in rows})
    by_language = {lang: aggregate([r for r in rows if r["language"] == lang]) for lang in langs} if len(langs) > 1 else {}
    return {"meta": meta, "summary": aggregate(rows), "by_language": by_language, "rows": rows, "warnings": warnings}
