"""Test sets for ``rag eval``: our JSONL, or llama-index's ``LabelledRagDataset`` JSON, auto-detected.

- articlechat JSONL (``eval/articles_qa.jsonl``): one object a line with ``id``, ``question``,
  ``answer`` (``null`` = unanswerable) and ``evidence: [{source, quote}]``; a JSON array of such
  objects works too.
- ``LabelledRagDataset`` (``dataset.save_json(...)``): ``{"examples": [{query, reference_answer,
  reference_contexts, ...}]}``.  Contexts name no document, so each one is looked for in every stored
  document; one that is found nowhere is matched by text containment instead.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    fmt, items = load_testset("eval/articles_qa.jsonl")
    fmt, items[0].id, items[0].evidence[0].source
    # → ('articlechat', 'vn-01', 'vietnam-china-shared-future-2025-04.txt')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["EvidenceRef", "EvalItem", "load_testset", "FORMATS", "SPLITS", "check_split"]

FORMATS = ("articlechat", "llamaindex")
# The halves every set of ours is cut into: rules are chosen on dev, figures reported from test.
SPLITS = ("dev", "test", "all")


def check_split(split: str) -> str:
    """``split`` if it names a half (or "all"), else a ``ValueError`` naming it."""
    if split not in SPLITS:
        raise ValueError(f"split must be dev, test or all, got {split!r}")
    return split


@dataclass(frozen=True)
class EvidenceRef:
    """A passage that answers a question: ``quote`` in ``source``, or in any document when ``source`` is None."""

    quote: str
    source: str | None = None


@dataclass(frozen=True)
class EvalItem:
    """One test question; ``reference is None`` marks a question the corpus cannot answer."""

    id: str
    question: str
    reference: str | None
    evidence: tuple[EvidenceRef, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.reference is not None


def _parse(path: Path) -> tuple[Any, bool]:
    """The file's JSON value, and whether it was JSON Lines (one value per line)."""
    text = path.read_text(encoding="utf-8-sig")
    if not text.strip():
        raise ValueError(f"{path}: empty test set")
    try:
        return json.loads(text), False
    except json.JSONDecodeError:
        pass
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg}); expected JSON Lines or one JSON value") from None
    return rows, True


def _text(row: dict, key: str, where: str, *, required: bool = True) -> str | None:
    value = row.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {key!r} must be a non-empty string, got {value!r}")
    return value


def _articlechat_item(row: Any, where: str, index: int) -> EvalItem:
    if not isinstance(row, dict):
        raise ValueError(f"{where}: expected a JSON object, got {type(row).__name__}")
    question = _text(row, "question", where)
    reference = _text(row, "answer", where, required=False)
    evidence = row.get("evidence") or []
    if not isinstance(evidence, list):
        raise ValueError(f"{where}: 'evidence' must be a list of {{source, quote}} objects")
    refs = []
    for j, ev in enumerate(evidence):
        if isinstance(ev, str):
            ev = {"quote": ev}
        if not isinstance(ev, dict):
            raise ValueError(f"{where}: evidence[{j}] must be an object with 'quote' (and 'source')")
        quote = _text(ev, "quote", f"{where}: evidence[{j}]")
        source = _text(ev, "source", f"{where}: evidence[{j}]", required=False)
        refs.append(EvidenceRef(quote=quote, source=source))  # type: ignore[arg-type]
    item_id = str(row.get("id") or f"q-{index + 1:03d}")
    return EvalItem(item_id, question, reference, tuple(refs))  # type: ignore[arg-type]


def _llamaindex_item(row: Any, where: str, index: int) -> EvalItem:
    if not isinstance(row, dict):
        raise ValueError(f"{where}: expected a JSON object, got {type(row).__name__}")
    question = _text(row, "query", where)
    reference = _text(row, "reference_answer", where, required=False)
    contexts = row.get("reference_contexts") or []
    if not isinstance(contexts, list) or not all(isinstance(c, str) for c in contexts):
        raise ValueError(f"{where}: 'reference_contexts' must be a list of strings")
    refs = tuple(EvidenceRef(quote=c) for c in contexts if c.strip())
    item_id = str(row.get("id") or f"ex-{index + 1:03d}")
    return EvalItem(item_id, question, reference or None, refs)  # type: ignore[arg-type]


def load_testset(path: str | Path) -> tuple[str, list[EvalItem]]:
    """``(format, items)`` of the test set at ``path``; ``ValueError`` says what is wrong with it."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such test set file")
    value, lines = _parse(path)
    if isinstance(value, dict) and "examples" in value:
        rows, fmt = value["examples"], "llamaindex"
        if not isinstance(rows, list):
            raise ValueError(f"{path}: 'examples' must be a list")
    elif isinstance(value, (list, dict)):
        rows = value if isinstance(value, list) else [value]  # a one-line JSONL parses as a single object
        first = next((r for r in rows if isinstance(r, dict)), {})
        if "positive" in first and "query" in first:
            raise ValueError(f"{path}: this is an RGB benchmark file; run `rag eval-rgb {path}` instead")
        fmt = "llamaindex" if "query" in first and "question" not in first else "articlechat"
    else:
        raise ValueError(
            f"{path}: unrecognised test set: expected JSON Lines with 'question' and 'answer', "
            "or a LabelledRagDataset JSON with an 'examples' list"
        )
    make = _llamaindex_item if fmt == "llamaindex" else _articlechat_item
    items = []
    for i, row in enumerate(rows):
        where = f"{path}:{i + 1}" if lines else f"{path}: item {i + 1}"
        items.append(make(row, where, i))
    if not items:
        raise ValueError(f"{path}: the test set has no questions")
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"{path}: id {item.id!r} is used twice")
        seen.add(item.id)
    return fmt, items
