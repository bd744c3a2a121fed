"""``rag eval`` and ``rag eval-rgb`` end to end: the real MiniLM embedder and a real embedded Chroma in a
temp dir, holding data/articles (ingested once for the module's session)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from evaluation.evalset import load_testset
from evaluation.evaluate import check_thresholds, evaluate, load_thresholds
from evaluation.metrics import rgb_match
from evaluation.report import markdown_summary, write_reports

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
QA = ROOT / "eval" / "articles_qa.jsonl"
THRESHOLDS = ROOT / "eval" / "thresholds.json"
CHILI = "with China agreeing to license Vietnamese exports such as chili and passion fruit"


@pytest.fixture(scope="session")
def eval_settings(tmp_path_factory):
    """Settings of a temp embedded Chroma holding data/articles, ingested once."""
    from ingest.pipeline import ingest
    from vectorstore.embed import get_embedder
    from app.settings import Settings
    from vectorstore.store import open_store

    settings = Settings(_env_file=None, chroma_path=tmp_path_factory.mktemp("eval-chroma"), collection="articles",
                        generator="extractive")
    ingest([ROOT / "data" / "articles"], open_store(settings.store_config()), get_embedder(), progress=False)
    return settings


@pytest.fixture(scope="session")
def full_report(eval_settings):
    """The whole team test set, answered once with the extractive generator."""
    fmt, items = load_testset(QA)
    return evaluate(items, config=eval_settings.chat_config(), generator="extractive", progress=False, fmt=fmt)


@pytest.fixture
def cli_env(eval_settings, monkeypatch):
    """Point the ``rag`` command (which reads RAG_* settings) at the session's store."""
    monkeypatch.setenv("RAG_CHROMA_PATH", str(eval_settings.chroma_path))
    monkeypatch.setenv("RAG_COLLECTION", eval_settings.collection)
    monkeypatch.setenv("RAG_GENERATOR", "extractive")  # no LLM in these tests
    return eval_settings


@pytest.fixture
def small_set(tmp_path):
    """Four questions: a plain one, one with hostile HTML, an unanswerable one, one the pipeline rejects."""
    rows = [
        {"id": "plain", "question": "Which Vietnamese exports did China agree to license?",
         "answer": "chili and passion fruit",
         "evidence": [{"source": "vietnam-china-shared-future-2025-04.txt", "quote": CHILI}]},
        {"id": "xss", "question": 'Which exports did <script>alert("x")</script> China agree to license?',
         "answer": "chili & passion fruit",
         "evidence": [{"source": "vietnam-china-shared-future-2025-04.txt", "quote": CHILI}]},
        {"id": "neg", "question": "What was the weather like in Hà Nội during the visit?", "answer": None,
         "evidence": []},
        {"id": "bad", "question": "What is \x07 this?", "answer": "x", "evidence": []},
    ]
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


# ---- the team's test set ----------------------------------------------------------------------------
def test_full_test_set_meets_the_repo_thresholds(full_report):
    mins, maxs = load_thresholds(THRESHOLDS)
    assert mins["citation_validity"] == 1.0
    missed = [r for r in check_thresholds(full_report["summary"], mins, maxs) if not r["ok"]]
    assert not missed, f"quality regression: {missed}\n{markdown_summary(full_report)}"


def test_full_test_set_every_row_scored_and_every_citation_valid(full_report):
    s, rows = full_report["summary"], full_report["rows"]
    assert s["questions"] == len(rows) == 72 and s["errors"] == 0
    assert s["citations"] > 0 and s["citation_validity"] == 1.0
    assert all(c["valid"] for r in rows for c in r["citations"])
    assert not full_report["warnings"], "every evidence quote of the team set must be found in the store"
    assert all(s[f"latency_{st}_p95_ms"] is not None for st in ("retrieval", "total"))
    for r in rows:
        stages = {k: v for k, v in r["latency_ms"].items() if k != "total"}
        assert {"retrieval", "evidence"} <= set(stages), r["latency_ms"]
        assert r["latency_ms"]["total"] >= sum(stages.values()) * 0.99


# ---- the command ------------------------------------------------------------------------------------
def test_rag_eval_writes_escaped_reports_and_a_markdown_table(cli_env, small_set, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["eval", str(small_set), "--generator", "extractive", "--out", str(out), "-q"]) == 0
    stdout = capsys.readouterr().out
    assert "| metric | value | threshold | status |" in stdout and "citation validity" in stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in report["rows"]] == ["plain", "xss", "neg", "bad"]
    assert report["summary"]["errors"] == 1 and "control characters" in report["rows"][3]["error"]
    assert report["summary"]["citations"] > 0 and report["summary"]["citation_validity"] == 1.0
    assert report["summary"]["hit_at_k"] == 1.0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert len(html) > 2000 and html.count("data:image/png;base64,") == 2
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert "chili &amp; passion fruit" in html


def test_rag_eval_gates_on_thresholds(cli_env, small_set, tmp_path, capsys):
    args = ["eval", str(small_set), "--out", str(tmp_path / "o"), "-q"]
    assert main(args + ["--min-hit-at-k", "0.9", "--min-citation-validity", "1.0"]) == 0
    capsys.readouterr()
    assert main(args + ["--min-hit-at-k", "1.01", "--min-citation-validity", "1.0"]) == 3
    captured = capsys.readouterr()
    assert "threshold missed: hit_at_k" in captured.err and "citation_validity" not in captured.err
    assert "**FAIL**" in captured.out
    gates = tmp_path / "gates.json"
    gates.write_text(json.dumps({"min": {"hit_at_k": 0.5}, "max": {"false_refusal_rate": -1}}))
    assert main(args + ["--thresholds", str(gates)]) == 3
    assert "false_refusal_rate" in capsys.readouterr().err
    # The command line overrides the file.
    assert main(args + ["--thresholds", str(gates), "--max-false-refusal-rate", "1"]) == 0


def test_rag_eval_input_errors_exit_2(cli_env, small_set, tmp_path, capsys):
    assert main(["eval", str(tmp_path / "missing.jsonl"), "-q"]) == 2
    assert "no such test set" in capsys.readouterr().err
    bad = tmp_path / "t.json"
    bad.write_text('{"hit_at_kk": 1}')
    assert main(["eval", str(small_set), "--thresholds", str(bad), "-q"]) == 2
    assert "unknown metric 'hit_at_kk'" in capsys.readouterr().err
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(json.dumps({"question": "q?", "answer": "a", "evidence": [{"source": "nope.txt", "quote": "x"}]}))
    assert main(["eval", str(wrong), "-q"]) == 2
    assert "not in the store" in capsys.readouterr().err
    assert main(["eval", str(DATA / "rgb_tiny.json"), "-q"]) == 2
    assert "rag eval-rgb" in capsys.readouterr().err


# ---- llama-index LabelledRagDataset -----------------------------------------------------------------
def test_labelled_rag_dataset_contexts_become_evidence_spans(eval_settings, tmp_path):
    fmt, items = load_testset(DATA / "labelled_rag_dataset.json")
    assert fmt == "llamaindex" and len(items) == 3
    assert items[0].question.startswith("Which Vietnamese exports") and items[0].evidence[0].source is None
    report = evaluate(items, config=eval_settings.chat_config(), progress=False, fmt=fmt)
    rows = report["rows"]
    exact, spaced, partly = (r["evidence"] for r in rows)
    assert len(exact[0]["spans"]) == 1 and exact[0]["spans"][0][0] == "vietnam-china-shared-future-2025-04.txt"
    assert len(spaced[0]["spans"]) == 1  # a line break instead of a space still locates the context
    assert partly[0]["spans"] and not partly[1]["spans"]
    assert len(report["warnings"]) == 1 and "evidence not found" in report["warnings"][0]
    assert report["summary"]["hit_at_k"] is not None and report["summary"]["unanswerable"] == 0
    assert rows[0]["metrics"]["hit_at_k"] is True
    paths = write_reports(report, tmp_path / "lrd")
    assert paths["html"].stat().st_size > 0 and json.loads(paths["json"].read_text())["meta"]["format"] == "llamaindex"


# ---- RGB --------------------------------------------------------------------------------------------
def test_rgb_on_the_tiny_golden_file(eval_settings):
    from evaluation.rgb import evaluate_rgb, load_rgb, snippets

    items = load_rgb(DATA / "rgb_tiny.json")
    assert len(items) == 3 and len(snippets(items)) == 9  # one negative is shared; positive_wrong left out
    assert not any("Ravenport, drawing" in s for s in snippets(items))
    settings = eval_settings.model_copy(update={"collection": "rgb_tiny"})
    report = evaluate_rgb(items, config=settings.chat_config(), k=3, progress=False)
    s, rows = report["summary"], report["rows"]
    assert report["meta"]["ingest"].startswith("9 added")
    assert s["questions"] == 3 and s["hit_at_k"] == 1.0
    correct = [rgb_match("" if r["refused"] else r["answer"], json.loads(r["reference"])) for r in rows]
    assert [r["metrics"]["correct"] for r in rows] == correct
    assert s["accuracy"] == pytest.approx(sum(correct) / 3)
    for r in rows:  # hit@k agrees with the snippets' text
        assert r["metrics"]["hit_at_k"] == any(rgb_match(h["text"], json.loads(r["reference"])) for h in r["hits"])
    again = evaluate_rgb(items, config=settings.chat_config(), k=3, limit=1, progress=False)  # unchanged snippets: no work
    assert again["meta"]["ingest"].startswith("0 added, 0 replaced, 9 unchanged") and len(again["rows"]) == 1


def test_rag_eval_rgb_command(cli_env, tmp_path, capsys):
    out = tmp_path / "rgb"
    rc = main(["eval-rgb", str(DATA / "rgb_tiny.json"), "--collection", "rgb_cli", "--limit", "2", "-k", "3",
               "--out", str(out), "-q", "--min-hit-at-k", "1.0"])
    assert rc == 0
    assert "answer accuracy (RGB rule)" in capsys.readouterr().out
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["meta"]["kind"] == "rgb" and len(report["rows"]) == 2
    assert (out / "report.html").stat().st_size > 0
    assert main(["eval-rgb", str(tmp_path / "absent.json"), "-q"]) == 2
    assert "RGB data not found" in capsys.readouterr().err
