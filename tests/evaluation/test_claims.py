"""The adversarial claim file through a scripted OpenAI-compatible server and the real ``openai``
generator path: no fabricated claim reaches the reader, faithful ones mostly do."""

from __future__ import annotations

import pytest

from evaluation.claims import claims_table, load_claims, run_claims
from evaluation.scripted import ScriptedLLM
from tests.conftest import ARTICLES, ROOT

CLAIMS = ROOT / "eval" / "claims.jsonl"
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt")}


# Fabrications written into the file and found shown when first run, kept as written rather than dropped
# (docs/performance.md): the gate is that no other is shown, and an entry must go once its claim is caught.
KNOWN_SHOWN: dict[str, set[str]] = {"dev": set(), "test": set()}


@pytest.mark.parametrize("split", ["dev", "test"])
def test_no_fabricated_claim_is_shown_and_faithful_ones_are_kept(corpus_settings, split):
    cases = {c.id: c for c in load_claims(CLAIMS, split)}
    rows = run_claims(list(cases.values()), corpus_settings.chat_config(), TEXTS)
    _, head = claims_table(rows)
    shown = {r["id"] for r in rows if not r["faithful"] and r["shown"]}
    assert shown == KNOWN_SHOWN[split], f"fabricated claims shown: {sorted(shown)}"
    # Only a claim true of the other article may move there; it then cites that article alone.
    for r in (r for r in rows if r["recited"]):
        assert r["kind"] == "attribution" and not any(cases[r["id"]].cite in TEXTS[s] for s in r["sources"])
    assert head["faithful_kept_rate"] >= 0.8, [r["id"] for r in rows if r["faithful"] and not r["shown"]]
    assert head["citation_validity"] == 1.0


def test_the_claim_file_is_well_formed_and_split_by_kind():
    cases = load_claims(CLAIMS)
    assert len(cases) >= 40 and sum(c.faithful for c in cases) >= 15
    assert {c.split for c in cases} == {"dev", "test"}
    for c in cases:
        assert any(c.cite in t for t in TEXTS.values()), f"{c.id}: cite not in any article"


def test_bad_claim_files_are_refused_by_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "split": "train", "kind": "number", "faithful": false, "question": "q", '
                   '"cite": "c", "claim": "c [*]."}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: .*split must be dev or test, got 'train'"):
        load_claims(bad)


def test_a_claim_file_with_a_repeated_id_is_refused_naming_both_lines(tmp_path):
    case = ('{"id": "num-01", "split": "dev", "kind": "number", "faithful": false, "question": "q", '
            '"cite": "c", "claim": "c [*]."}\n')
    bad = tmp_path / "twice.jsonl"
    bad.write_text(case + case, encoding="utf-8")
    with pytest.raises(ValueError, match=r"twice.jsonl:2: case id 'num-01' is already used on line 1"):
        load_claims(bad)


def test_the_scripted_server_cites_the_line_holding_its_phrase():
    with ScriptedLLM() as llm:
        llm.say("B [*].", cite="second")
        assert llm.fill("Evidence:\n[1] the first\n[2] the second\n\nQuestion: q") == "B [2]."
        assert llm.fill("Evidence:\n[1] nothing\n\nQuestion: q") == "B [1]."
