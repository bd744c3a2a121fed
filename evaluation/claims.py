"""Adversarial claims: does a false sentence under a real citation ever reach the reader?

Each case of a claim file (``eval/claims.jsonl``) is a question, a sentence a model might write about
it (``claim``, with ``[*]`` where its citation goes), the evidence it cites (``cite``, a phrase of that
sentence) and whether the sentence is ``faithful`` to it.  The sentence is put in the mouth of a
scripted OpenAI-compatible server and the question asked through ``chat.answer`` with the real
``openai`` generator, so the claim goes through the same grounding and verification as any model's.

A fabricated claim is *shown* when the final answer still contains it; a faithful one is *kept* when it
does.  An ``attribution`` case says what only the other article states, so it is shown only while cited to
the article its script cited; moved to the article that states it (``chat.ground`` moves a sentence to the
passage that states it), it is counted as *re-cited* and listed for a reader to check.  Targets: no
fabricated claim shown, at least 80 % of faithful ones kept, every citation valid.

    rag eval-claims eval/claims.jsonl --split test
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path


from chat import answer
from chat.cite import MARKER
from evaluation.evalset import check_split
from evaluation.scripted import ScriptedLLM
from chat.config import ChatConfig

__all__ = ["ClaimCase", "load_claims", "run_claims", "claims_table", "run_cli"]
KINDS = ("number", "date", "name", "product", "polarity", "attribute", "attribution", "role", "substitute",
         "paraphrase")


@dataclass(frozen=True)
class ClaimCase:
    """One scripted claim; ``faithful`` says whether its cited evidence states it."""

    id: str
    split: str
    kind: str
    faithful: bool
    question: str
    cite: str
    claim: str

    def __post_init__(self) -> None:
        if self.split not in ("dev", "test"):
            raise ValueError(f"case {self.id!r}: split must be dev or test, got {self.split!r}")
        if self.kind not in KINDS:
            raise ValueError(f"case {self.id!r}: kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if "[*]" not in self.claim:
            raise ValueError(f"case {self.id!r}: the claim needs a [*] where its citation goes")


def load_claims(path: str | Path, split: str = "all") -> list[ClaimCase]:
    """The cases of ``path`` in ``split`` (dev, test or all); errors name the line."""
    check_split(split)
    cases: list[ClaimCase] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = ClaimCase(**json.loads(line))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{path}:{n}: {exc}") from None
        if case.id in seen:  # results are reported by id
            raise ValueError(f"{path}:{n}: case id {case.id!r} is already used on line {seen[case.id]}")
        seen[case.id] = n
        cases.append(case)
    return [c for c in cases if split == "all" or c.split == split]


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", MARKER.sub("", text)).replace("’", "'")
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text.casefold())).strip()


def run_claims(cases: list[ClaimCase], config: ChatConfig, texts: dict[str, str] | None = None) -> list[dict]:
    """Ask every case through the real ``openai`` generator path; one result row per case."""
    rows = []
    with ScriptedLLM() as llm:
        cfg = replace(config, generator="openai",
                      llm=replace(config.llm, base_url=llm.base_url, model="scripted", api_key=""))
        for case in cases:
            llm.say(case.claim, cite=case.cite)
            a = answer(case.question, config=cfg)
            there = not a.refused and _plain(case.claim) in _plain(a.text)
            moved = there and case.kind == "attribution" and texts is not None \
                and not any(case.cite in texts[c.source] for c in a.citations)
            valid = all(texts is None or texts[c.source][c.start:c.end] == c.quote for c in a.citations)
            rows.append({"id": case.id, "split": case.split, "kind": case.kind, "faithful": case.faithful,
                         "shown": there and not moved, "recited": moved, "valid": valid, "answer": a.text,
                         "notice": a.notice, "sources": sorted({c.source for c in a.citations})})
    return rows


def claims_table(rows: list[dict]) -> tuple[str, dict]:
    """A Markdown table per kind, and the headline numbers."""
    lines = ["| kind | cases | fabricated shown | faithful kept |", "|---|---:|---:|---:|"]
    for kind in KINDS:
        rs = [r for r in rows if r["kind"] == kind]
        if not rs:
            continue
        fab = [r for r in rs if not r["faithful"]]
        fai = [r for r in rs if r["faithful"]]
        lines.append(f"| {kind} | {len(rs)} | {sum(r['shown'] for r in fab)} of {len(fab)} | "
                     f"{sum(r['shown'] for r in fai)} of {len(fai)} |")
    fab = [r for r in rows if not r["faithful"]]
    fai = [r for r in rows if r["faithful"]]
    head = {"cases": len(rows), "fabricated_shown": sum(r["shown"] for r in fab), "fabricated": len(fab),
            "recited": sum(r["recited"] for r in fab),
            "faithful_kept_rate": round(sum(r["shown"] for r in fai) / len(fai), 3) if fai else None,
            "citation_validity": round(sum(r["valid"] for r in rows) / len(rows), 3) if rows else None}
    return "\n".join(lines), head


def run_cli(path: str | Path, split: str, config: ChatConfig, out: Path) -> int:
    """``rag eval-claims``: print the table, write every row to ``out/claims.json``; exit 3 if a target is missed."""
    from vectorstore.store import open_store

    store = open_store(config.store)
    texts = {name: store.document_text(name) for name in store.sources()}
    rows = run_claims(load_claims(path, split), config, texts)
    table, head = claims_table(rows)
    out.mkdir(parents=True, exist_ok=True)
    (out / "claims.json").write_text(json.dumps({"split": split, **head, "rows": rows}, ensure_ascii=False, indent=1),
                                     encoding="utf-8")
    print(f"{path} ({split}): {head['fabricated_shown']} of {head['fabricated']} fabricated claims shown "
          f"({head['recited']} re-cited to the article that states them), faithful kept "
          f"{head['faithful_kept_rate']}, citation validity {head['citation_validity']}\n")
    print(table)
    for r in rows:
        if r["recited"]:
            print(f"RE-CITED {r['id']} to {', '.join(r['sources'])}: {r['answer'][:160]}", file=sys.stderr)
        elif r["shown"] != r["faithful"]:
            print(f"{'SHOWN' if r['shown'] else 'DROPPED'} {r['id']}: {r['answer'][:160]}", file=sys.stderr)
    ok = head["fabricated_shown"] == 0 and (head["faithful_kept_rate"] or 0) >= 0.8 and head["citation_validity"] == 1
    return 0 if ok else 3
