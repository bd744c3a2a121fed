"""RGB the way its paper runs it: per question, a corpus of its own five passages.

``rag eval-rgb`` (evaluation/rgb.py) asks every question against one collection of all snippets, which tests
retrieval.  The paper (Chen et al., AAAI 2024) instead gives each question exactly five passages and
varies what they are; we do the same with a store per run holding only those five:

- **negative rejection**: five ``negative`` snippets (none holds the answer): the right answer is a
  refusal; the score is the share refused;
- **noise robustness** at ratio r in ``NOISE_RATIOS``: ``round(5·r)`` negatives, the rest positives
  (fewer when a question has fewer positives); the score is RGB's containment accuracy.

Passages are drawn with a fixed seed per question, so runs are repeatable.  The questions split in
two halves by file order (``halves``): rules are looked at on the second (dev), the first is the test.

    rag eval-rgb-protocol ../shared/eval/rgb_en_fact.json --generator extractive --split test
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from chat import answer
from evaluation.evalset import check_split
from evaluation.metrics import rgb_match
from evaluation.preflight import runnable
from evaluation.rgb import RGBItem, load_rgb
from chat.config import ChatConfig
from vectorstore.config import StoreConfig

__all__ = ["passages", "halves", "run_protocol", "run_cli", "NOISE_RATIOS", "PASSAGES", "PAPER_CHATGPT"]

PASSAGES = 5
NOISE_RATIOS = (0.0, 0.4, 0.8)
# ChatGPT in the paper's English runs, as the issue quotes them (not checked against the paper here).
PAPER_CHATGPT = {"rejection": 0.25, "noise_0.0": 0.96, "noise_0.4": 0.94, "noise_0.8": 0.76}


def passages(item: RGBItem, condition: str, seed: int = 0) -> list[str]:
    """The five passages of ``item`` under ``condition`` ("rejection" or "noise_R").

    >>> it = RGBItem("1", "q", "a", ("p1", "p2"), ("n1", "n2", "n3", "n4", "n5", "n6"))
    >>> sorted(p[0] for p in passages(it, "noise_0.4"))  # two negatives, the rest (two) positives
    ['n', 'n', 'p', 'p']
    >>> len(passages(it, "rejection"))
    5
    """
    rng = random.Random(f"{seed}:{item.id}:{condition}")
    neg = [s for s in item.negative if s.strip()]
    pos = [s for s in item.positive if s.strip()]
    if condition == "rejection":
        return rng.sample(neg, min(PASSAGES, len(neg)))
    ratio = float(condition.removeprefix("noise_"))
    n_neg = round(PASSAGES * ratio)
    return rng.sample(pos, min(PASSAGES - n_neg, len(pos))) + rng.sample(neg, min(n_neg, len(neg)))


def halves(items: list, split: str) -> list:
    """The ``split`` of ``items``: "test" the first half in file order, "dev" the rest, "all" every one.

    >>> halves([1, 2, 3, 4, 5], "test"), halves([1, 2, 3, 4, 5], "dev")
    ([1, 2], [3, 4, 5])
    """
    check_split(split)
    cut = len(items) // 2
    return items if split == "all" else items[:cut] if split == "test" else items[cut:]


def run_protocol(items: list[RGBItem], config: ChatConfig, generator: str | None, progress: bool = True,
                 chunk_tokens: int = 200, overlap: int = 20) -> dict:
    """Every condition for every item, each asked against a store holding only its passages (chunked by
    ``chunk_tokens`` and ``overlap``); ``config`` gives everything but the store."""
    from tqdm import tqdm

    from chat.answer import get_engine
    from ingest.pipeline import ingest

    conditions = ["rejection"] + [f"noise_{r}" for r in NOISE_RATIOS]
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="rgb-protocol-") as tmp:
        cfg = replace(config, store=StoreConfig(path=Path(tmp) / "chroma", collection="rgb_protocol"))
        engine = get_engine(cfg)
        docs = Path(tmp) / "docs"
        bar = tqdm(total=len(items) * len(conditions), desc="rgb-protocol", unit="q", file=sys.stderr,
                   disable=not progress)
        for condition in conditions:
            for item in items:
                texts = passages(item, condition)
                for old in docs.glob("*.txt"):
                    old.unlink()
                docs.mkdir(exist_ok=True)
                for i, text in enumerate(texts):
                    (docs / f"p{i}.txt").write_text(text, encoding="utf-8")
                # Same names every question: prune leaves exactly this question's passages.
                ingest([docs], engine.store, engine.embedder, chunk_tokens=chunk_tokens,
                       overlap=overlap, prune=True, progress=False)
                a = answer(item.query, generator=generator, config=cfg)
                rows.append({"id": item.id, "condition": condition, "refused": a.refused,
                             "correct": (not a.refused) and rgb_match(a.text, item.answer), "answer": a.text})
                bar.update()
        bar.close()
    summary = {}
    for condition in conditions:
        rs = [r for r in rows if r["condition"] == condition]
        key = "refused" if condition == "rejection" else "correct"
        summary[condition] = round(sum(r[key] for r in rs) / len(rs), 3) if rs else None
    return {"generator": generator or config.generator, "questions": len(items), "summary": summary, "rows": rows}


def run_cli(path: str | Path, config: ChatConfig, generator: str | None, limit: int | None, out: Path,
            chunk_tokens: int = 200, overlap: int = 20, split: str = "all") -> int:
    """``rag eval-rgb-protocol``: the table beside the paper's ChatGPT figures; rows in ``out/protocol.json``."""
    generator = runnable(generator, config)
    items = halves(load_rgb(path), split)[:limit]
    report = run_protocol(items, config, generator, chunk_tokens=chunk_tokens, overlap=overlap)
    out.mkdir(parents=True, exist_ok=True)
    (out / "protocol.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    s = report["summary"]
    print(f"RGB English, {len(items)} questions ({split}), five passages each, generator {report['generator']}\n")
    print("| condition | measure | ours | ChatGPT (paper) |\n|---|---|---:|---:|")
    for condition, value in s.items():
        measure = "rejected" if condition == "rejection" else "accuracy"
        print(f"| {condition.replace('_', ' ')} | {measure} | {value:.3f} | {PAPER_CHATGPT[condition]:.2f} |")
    return 0
