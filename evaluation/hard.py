"""The hard question set: paraphrases, near-miss unanswerables, false premises, cross-article
questions and follow-ups, each scored by what a reader needs from it.

Each line of ``eval/hard_qa.jsonl`` has ``id``, ``split`` (dev/test), ``kind``, ``question``, ``keys``
(groups of alternatives: every group must have one alternative in the answer; null for questions the
articles cannot answer), ``evidence`` and optionally ``history`` (earlier user questions, asked first in
turn so that the follow-up comes with their answers, as in a chat) and ``both`` (the answer must cite
both articles).

- answerable kinds (paraphrase, cross, followup): *correct* = answered and every key group found;
  *false refusal* = refused; cross: *both* = citations from two documents;
- ``unanswerable``: *refused*;
- ``false_premise``: *handled* = refused, or answered with the key that corrects the premise.

    rag eval-hard eval/hard_qa.jsonl --split test --generator extractive
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from chat import answer
from chat.generate import Generator
from chat.words import fold
from evaluation.evalset import check_split
from evaluation.preflight import runnable
from vectorstore.text import language
from chat.config import ChatConfig

__all__ = ["load_hard", "run_hard", "hard_table", "run_cli", "KINDS"]

KINDS = ("paraphrase", "cross", "followup", "unanswerable", "false_premise")
ANSWERABLE = ("paraphrase", "cross", "followup")


def load_hard(path: str | Path, split: str = "all") -> list[dict]:
    """The cases of ``path`` in ``split``; a malformed line is an error naming it."""
    check_split(split)
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("kind") not in KINDS or row.get("split") not in ("dev", "test") or not row.get("question"):
            raise ValueError(f"{path}:{n}: needs a question, split dev|test and kind one of {', '.join(KINDS)}")
        if (row["keys"] is None) != (row["kind"] == "unanswerable"):
            raise ValueError(f"{path}:{n}: keys must be null exactly for unanswerable questions")
        out.append(row)
    return [r for r in out if split == "all" or r["split"] == split]


# A date with its month abbreviated ("Apr. 14") is the key's date ("April 14").
_MONTH = re.compile(r"\b(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?(?=\s+\d)")
_MONTHS = {m[:3]: m for m in """january february march april may june july august september october november
    december""".split()}


def _dated(text: str) -> str:
    """Folded ``text`` with abbreviated months written out.

    >>> _dated("Hanoi, Apr. 14, 2025")
    'hanoi, april 14, 2025'
    """
    return _MONTH.sub(lambda m: _MONTHS[m.group(1)[:3]], fold(text))


def _has_keys(text: str, keys: list[list[str]]) -> bool:
    folded = _dated(text)
    return all(any(_dated(alt) in folded for alt in group) for group in keys)


def run_hard(cases: list[dict], config: ChatConfig, generator: Any, texts: dict[str, str]) -> list[dict]:
    """Ask every case (with its history) of ``generator`` (a name or a ``Generator``); one scored row per case."""
    rows = []
    shown: dict[tuple[str, ...], str] = {}  # the answer to each earlier turn, asked once per conversation

    def conversation(turns: list[str]) -> list[dict]:
        history: list[dict] = []
        for n, q in enumerate(turns):
            key = tuple(turns[:n + 1])
            if key not in shown:
                shown[key] = answer(q, history=history or None, generator=generator, config=config).text
            history += [{"role": "user", "content": q}, {"role": "assistant", "content": shown[key]}]
        return history

    by = generator.name if isinstance(generator, Generator) else generator or config.generator
    for case in cases:
        history = conversation(case.get("history", []))
        a = answer(case["question"], history=history or None, generator=generator, config=config)
        valid = all(texts[c.source][c.start:c.end] == c.quote for c in a.citations)
        correct = not a.refused and case["keys"] is not None and _has_keys(a.text, case["keys"])
        lang = case.get("lang") or language(case["question"])
        rows.append({"id": case["id"], "split": case["split"], "kind": case["kind"], "refused": a.refused,
                     "lang": lang, "in_language": not a.refused and language(a.text) == lang,
                     "correct": correct, "both": len({c.source for c in a.citations}) >= 2, "valid": valid,
                     "text": a.text, "notice": a.notice, "generator": by, "written_by": a.written_by})
    return rows


def _rate(xs: list[bool]) -> float | None:
    return round(sum(xs) / len(xs), 3) if xs else None


def hard_table(rows: list[dict]) -> tuple[str, dict]:
    """A Markdown table per kind and the headline numbers (per question language too, when several or not
    English: ``answered_in_language`` is the share of answers written in the question's language)."""
    head = _headline(rows)
    lines = ["| kind | cases | correct | refused |", "|---|---:|---:|---:|"]
    for kind in KINDS:
        rs = [r for r in rows if r["kind"] == kind]
        if rs:
            lines.append(f"| {kind} | {len(rs)} | {sum(r['correct'] for r in rs)} | {sum(r['refused'] for r in rs)} |")
    lines += ["", "| metric | value |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in head.items()]
    langs = sorted({r.get("lang", "en") for r in rows})
    if langs != ["en"]:
        per = {g: _headline([r for r in rows if r.get("lang", "en") == g]) for g in langs}
        head["by_language"] = per
        lines += ["", "| metric | " + " | ".join(langs) + " |", "|---|" + "---:|" * len(langs)]
        lines += [f"| {k} | " + " | ".join(str(per[g].get(k)) for g in langs) + " |" for k in per[langs[0]]]
    return "\n".join(lines), head


def _headline(rows: list[dict]) -> dict:
    head: dict = {}
    ans = [r for r in rows if r["kind"] in ANSWERABLE]
    head["answer_accuracy"] = _rate([r["correct"] for r in ans])
    head["false_refusal_rate"] = _rate([r["refused"] for r in ans])
    head["unanswerable_refused"] = _rate([r["refused"] for r in rows if r["kind"] == "unanswerable"])
    head["false_premise_handled"] = _rate([r["refused"] or r["correct"] for r in rows if r["kind"] == "false_premise"])
    head["cross_cites_both"] = _rate([r["both"] for r in rows if r["kind"] == "cross"])
    head["followup_answered"] = _rate([r["correct"] for r in rows if r["kind"] == "followup"])
    head["citation_validity"] = _rate([r["valid"] for r in rows])
    answered = [r for r in rows if not r["refused"] and r.get("lang", "en") != "en"]
    if answered:
        head["answered_in_language"] = _rate([r["in_language"] for r in answered])
    # With a model: how often its own verified words were shown, not the passages in their place.
    by_model = [r for r in rows if not r["refused"] and r.get("generator", "extractive") != "extractive"]
    if by_model:
        head["model_words_shown"] = _rate([r["written_by"] == r["generator"] for r in by_model])
    return head


def run_cli(path: str | Path, split: str, generator: str | None, config: ChatConfig, out: Path) -> int:
    """``rag eval-hard``: print the tables, write every row to ``out/hard.json``."""
    from vectorstore.store import open_store

    generator = runnable(generator, config)
    store = open_store(config.store)
    texts = {name: store.document_text(name) for name in store.sources()}
    rows = run_hard(load_hard(path, split), config, generator, texts)
    table, head = hard_table(rows)
    out.mkdir(parents=True, exist_ok=True)
    (out / "hard.json").write_text(json.dumps({"split": split, "generator": generator or config.generator, **head,
                                               "rows": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{path} ({split}, generator {generator or config.generator})\n")
    print(table)
    for r in rows:
        bad = (r["kind"] in ANSWERABLE and not r["correct"]) or (r["kind"] == "unanswerable" and not r["refused"]) \
            or (r["kind"] == "false_premise" and not (r["refused"] or r["correct"]))
        if bad:
            print(f"MISS {r['id']} ({r['kind']}): {r['text'][:150]}", file=sys.stderr)
    return 0
