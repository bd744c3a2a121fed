"""kill -9 a real ingest process at random and at chosen points; the next run leaves a clean store.

Each round starts a real ingest (a small driver around ``ingest.pipeline.ingest``, or ``rag ingest``)
against one embedded Chroma folder and SIGKILLs it: after a seeded random delay (imports, model load,
embedding, Chroma writes), or paused right before a chosen Chroma write (the driver announces every
write on stdout and, when told to, blocks before it).  Files change between rounds so replacements are
crashed too.  After a kill the store is opened afresh (which recovers), and after the last run it must
hold no duplicate, orphan or stale chunk, every span must be exact and every citation must verify.
"""

from __future__ import annotations

import base64
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ARTICLES, ROOT
from vectorstore.types import sha256_text

COLLECTION = "crash"
RAG = str(Path(sys.executable).with_name("rag"))
# The processes import this checkout's code, whatever the venv has installed.
ENV = {**os.environ, "HF_HUB_OFFLINE": "1",
       "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
WORDS = sorted({w for p in ARTICLES.glob("*.txt") for w in re.findall(r"[A-Za-z]{3,}", p.read_text(encoding="utf-8"))})

# Announces "ready" once the store is open, then every Chroma write ("write N NAME"); with PAUSE=NAME
# (or a number) it prints "paused" before that write and blocks until killed.
DRIVER = """
import os, sys, threading
from vectorstore import store as S
from vectorstore.config import StoreConfig
from ingest.pipeline import ingest
from vectorstore.embed import get_embedder
pause, n, armed, real = os.environ.get("PAUSE", ""), 0, False, S.Store._call
def call(self, fn, *a, **k):
    global n
    name = getattr(fn, "__name__", "")
    if armed and name in ("add", "upsert", "delete", "modify", "update"):
        if str(getattr(getattr(fn, "__self__", None), "name", "")).endswith("__docs"):
            name += "@docs"  # chunks are upserted too: "upsert@docs" is the document records' write
        n += 1
        print("write", n, name, flush=True)
        if pause in (name, str(n)):
            print("paused", flush=True)
            threading.Event().wait()
    return real(self, fn, *a, **k)
S.Store._call = call
store = S.open_store(StoreConfig(path=sys.argv[1], collection=sys.argv[3]))
armed = True
print("ready", flush=True)
print("done", ingest([sys.argv[2]], store, get_embedder(), progress=False).summary(), flush=True)
"""


def _text(rng: random.Random, i: int) -> str:
    sentences = []
    for _ in range(rng.randint(3, 9)):
        s = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14)))
        sentences.append(s[0].upper() + s[1:] + ".")
    return f"Note {i}\n\n" + " ".join(sentences) + "\n"


def make_corpus(dst: Path, n: int, rng: random.Random) -> Path:
    """The two articles and ``n`` generated notes, each with its own text."""
    shutil.copytree(ARTICLES, dst)
    for i in range(n):
        (dst / f"note-{i:04d}.txt").write_text(_text(rng, i), encoding="utf-8")
    return dst


def mutate(corpus: Path, rng: random.Random, last: list[Path], *, change: int, delete: int, add: int,
           delete_changed: int = 0) -> list[Path]:
    """Rewrite ``change`` notes (new spans), delete ``delete`` others and ``delete_changed`` of those rewritten
    last time (a crashed replacement whose file then goes away), add ``add``; returns the rewritten ones."""
    notes = sorted(corpus.glob("note-*.txt"))
    last = [p for p in last if p.exists()]
    gone = rng.sample(last, min(delete_changed, len(last)))
    picked = rng.sample([p for p in notes if p not in gone], change + delete)
    for p in picked[:change]:
        p.write_text(_text(rng, rng.randint(0, 10**6)), encoding="utf-8")
    for p in picked[change:] + gone:
        p.unlink()
    top = max(int(p.stem.split("-")[1]) for p in notes)
    for i in range(top + 1, top + 1 + add):
        (corpus / f"note-{i:04d}.txt").write_text(_text(rng, i), encoding="utf-8")
    return picked[:change]


class Run:
    """One driver process; its stdout lines are collected by a thread so waiting never blocks on a pipe."""

    def __init__(self, chroma: Path, corpus: Path, pause: str = "") -> None:
        self.started = time.monotonic()
        self.lines: queue.Queue[str | None] = queue.Queue()
        # stderr to a file: an unread pipe fills up and would stall the process before the kill.
        self.err = open(chroma.parent / "driver.err", "w+")  # noqa: SIM115 (closed in kill)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(chroma), str(corpus), COLLECTION], cwd=ROOT, text=True,
            env={**ENV, "PAUSE": pause}, stdout=subprocess.PIPE, stderr=self.err,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def wait_for(self, prefix: str, timeout: float = 240) -> bool:
        """True once a line starting with ``prefix`` arrives; False when the process ended first."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.proc.kill()
                pytest.fail(f"no {prefix!r} line within {timeout} s")
            if line is None:
                return False
            if line.startswith(prefix):
                return True

    def kill(self) -> bool:
        """SIGKILL; True when it was still running (a real crash), False when it had already finished."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        code = self.proc.wait(timeout=30)  # reaped: a zombie would still look like a live writer
        self.err.seek(0)
        err = self.err.read()
        self.err.close()
        assert code in (0, -signal.SIGKILL), f"ingest failed on its own (exit {code}):\n{err[-3000:]}"
        return code == -signal.SIGKILL


def audit(chroma: Path) -> tuple[list[str], dict[str, str]]:
    """Problems of the store read raw from a fresh Chroma client, and ``{source: sha256}`` of its records."""
    import chromadb
    from chromadb.api.client import SharedSystemClient
    from chromadb.config import Settings as ChromaSettings

    SharedSystemClient.clear_system_cache()  # a cached client would not see the other process's writes
    client = chromadb.PersistentClient(path=str(chroma), settings=ChromaSettings(anonymized_telemetry=False))
    if {c.name for c in client.list_collections()} != {COLLECTION, f"{COLLECTION}__docs"}:
        return [], {}  # killed before the store was first created
    chunks = client.get_collection(COLLECTION)
    got = chunks.get(include=["metadatas", "embeddings"])
    docs = client.get_collection(f"{COLLECTION}__docs").get(include=["documents", "metadatas"])
    recs = {m["source"]: (m, m.get("doc_text", t)) for m, t in zip(docs["metadatas"], docs["documents"])}
    problems = [f"duplicate chunk id {i}" for i, n in Counter(got["ids"]).items() if n > 1]
    spans = Counter((m["source"], m["start"], m["end"]) for m in got["metadatas"])
    problems += [f"duplicate chunk span {s}" for s, n in spans.items() if n > 1]
    for cid, m in zip(got["ids"], got["metadatas"]):
        text = m["chunk_text"]
        rec = recs.get(m["source"])
        if rec is None:
            problems.append(f"orphan chunk {cid} of {m['source']} (no document record)")
        elif m["doc_sha256"] != rec[0]["sha256"]:
            problems.append(f"stale chunk {cid} of {m['source']} (another version than its record)")
        elif rec[1][m["start"] : m["end"]] != text:
            problems.append(f"chunk {cid} of {m['source']} is not document_text[start:end]")
    per_source = Counter(m["source"] for m in got["metadatas"])
    sentences_of: Counter[str] = Counter()
    for m in got["metadatas"]:  # float16 (sentences, 384), base64
        sentences_of[m["source"]] += len(base64.b64decode(m.get("sentence_vectors", ""))) // (2 * 384)
    for source, (m, text) in recs.items():
        if m["chunks"] != per_source[source]:
            problems.append(f"{source}: record says {m['chunks']} chunks, store holds {per_source[source]}")
        if m.get("sentences", 0) != sentences_of[source]:
            problems.append(f"{source}: record says {m.get('sentences')} sentence vectors, "
                            f"store holds {sentences_of[source]}")
        if sha256_text(text) != m["sha256"]:
            problems.append(f"{source}: record text does not match its sha256")
    # Chroma's own state after kill -9: the vector index agrees with the rows (no phantom, none missing;
    # an article repeats a paragraph, so the nearest chunk may be a twin with the same text).
    rows = {cid: m["chunk_text"] for cid, m in zip(got["ids"], got["metadatas"])}
    for j in random.Random(0).sample(range(len(got["ids"])), min(8, len(got["ids"]))):
        top = chunks.query(query_embeddings=[got["embeddings"][j]], n_results=1, include=[])["ids"][0]
        if not top or rows.get(top[0]) != got["metadatas"][j]["chunk_text"]:
            problems.append(f"vector index returns {top} for chunk {got['ids'][j]}'s own embedding")
    SharedSystemClient.clear_system_cache()
    return problems, {s: m["sha256"] for s, (m, _) in recs.items()}


def reopen_and_audit(chroma: Path) -> dict[str, str]:
    """Open the store as a new process would (recovering a killed writer's marks) and audit it."""
    from chromadb.api.client import SharedSystemClient


    from vectorstore.config import StoreConfig
    from vectorstore.store import open_store

    SharedSystemClient.clear_system_cache()
    open_store(StoreConfig(path=chroma, collection=COLLECTION))
    problems, records = audit(chroma)
    assert not problems, problems[:10]
    return records


def on_disk(corpus: Path) -> dict[str, str]:
    return {p.name: sha256_text(p.read_text(encoding="utf-8")) for p in corpus.glob("*.txt")}


def crash_rounds(tmp_path: Path, seed: int, notes: int, plan: list[tuple[str, object]]) -> dict:
    """Run ``plan`` (kills and file changes), then `rag ingest` to completion; returns what happened."""
    rng = random.Random(seed)
    corpus, chroma = make_corpus(tmp_path / "corpus", notes, rng), tmp_path / "chroma"
    rounds, deleted_unrecorded, changed = [], set(), []
    for kind, arg in plan:
        t0 = time.monotonic()
        if kind == "mutate":
            before = set(on_disk(corpus))
            changed = mutate(corpus, rng, changed, **arg)
            # Deleted files that never got a record (their chunks, if any, are orphans): no trace may stay.
            # Records are read without recovering (which never adds one): the next process must do it.
            deleted_unrecorded |= (before - set(on_disk(corpus))) - set(audit(chroma)[1])
            continue
        run = Run(chroma, corpus, pause=str(arg) if kind == "pause" else "")
        if kind == "pause":
            run.wait_for("paused")  # False: the run finished without such a write (kill() tells)
        else:
            if kind in ("ready", "write"):
                run.wait_for("ready" if kind == "ready" else "write 1")
            time.sleep(rng.uniform(*arg))
        killed = run.kill()
        rounds.append((kind, killed))
        if rng.random() < 0.5:  # else the next process recovers on its own
            reopen_and_audit(chroma)
        print(f"round {kind} {arg}: {'killed' if killed else 'had finished'}, {time.monotonic() - t0:.1f} s")
    t0 = time.monotonic()
    final = subprocess.run([RAG, "ingest", "--quiet", str(corpus)], cwd=ROOT, env={
        **ENV, "RAG_CHROMA_PATH": str(chroma), "RAG_COLLECTION": COLLECTION}, capture_output=True, text=True,
        timeout=600)
    assert final.returncode == 0, final.stderr
    print(f"final rag ingest: {time.monotonic() - t0:.1f} s; {final.stdout.strip()}")
    problems, records = audit(chroma)
    assert not problems, problems[:10]
    disk = on_disk(corpus)
    assert {s: records[s] for s in disk} == disk, "every file on disk is stored at its current version"
    assert not (deleted_unrecorded & set(records)), "a deleted, never-recorded file has no record"
    return {"rounds": rounds, "chroma": chroma, "corpus": corpus}


def answers_verify(chroma: Path, corpus: Path) -> None:
    """``answer()`` on the recovered store: the expected passages, every citation an exact span."""
    from chromadb.api.client import SharedSystemClient

    from chat.answer import answer
    from app.settings import Settings

    SharedSystemClient.clear_system_cache()
    settings = Settings(_env_file=None, chroma_path=chroma, collection=COLLECTION, generator="extractive")
    for q, phrase in [("Which Vietnamese exports did China agree to license?", "chili and passion fruit"),
                      ("Which shared maritime space will see expanded naval and coast guard cooperation?",
                       "Gulf of Tonkin")]:
        a = answer(q, config=settings.chat_config())
        assert not a.refused and any(phrase in c.quote for c in a.citations), a.text
        for c in a.citations:
            assert (corpus / c.source).read_text(encoding="utf-8")[c.start : c.end] == c.quote


SEED = int(os.environ.get("RAG_CRASH_SEED", "7"))

# Kinds: ("spawn"|"ready"|"write", (lo, hi)) SIGKILL a random lo..hi seconds after the process starts,
# after "ready" or after its first Chroma write; ("pause", W) kill right before write W (a name: the
# first such write; a number: the n-th).  "upsert@docs" is the classic weak spot: chunks in, no record yet;
# "delete" is after the new records and before the old chunks go.
PLAN = [
    ("spawn", (0.5, 6.0)),
    ("pause", "upsert@docs"),
    ("mutate", {"change": 0, "delete": 2, "add": 0}),
    ("write", (0.0, 0.4)),
    ("mutate", {"change": 6, "delete": 1, "add": 2}),
    ("pause", "upsert@docs"),
    ("mutate", {"change": 3, "delete": 1, "add": 1, "delete_changed": 2}),
    ("pause", "delete"),
    ("mutate", {"change": 2, "delete": 0, "add": 1, "delete_changed": 1}),
]


def test_kill_9_during_ingest_leaves_a_clean_store(tmp_path):
    got = crash_rounds(tmp_path, SEED, notes=40, plan=PLAN)
    assert all(killed for kind, killed in got["rounds"] if kind == "pause"), f"a pause was never reached: {got}"
    answers_verify(got["chroma"], got["corpus"])


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("RAG_SLOW_TESTS") != "1", reason="opt-in: RAG_SLOW_TESTS=1 (many kill rounds)")
def test_many_random_kills_leave_a_clean_store(tmp_path):
    rng = random.Random(SEED)
    plan: list[tuple[str, object]] = []
    for i in range(12):  # every kind three times, with random delays and pause points
        plan.append([("spawn", (0.5, 8.0)), ("ready", (0.0, 6.0)), ("write", (0.0, 0.6)),
                     ("pause", rng.choice(["upsert", "upsert@docs", "delete", str(rng.randint(1, 5))]))][i % 4])
        plan.append(("mutate", {"change": rng.randint(0, 12), "delete": rng.randint(0, 2), "add": rng.randint(0, 3),
                                "delete_changed": rng.randint(0, 2)}))
    got = crash_rounds(tmp_path, SEED, notes=250, plan=plan)
    assert sum(killed for _, killed in got["rounds"]) >= 6, got["rounds"]
    answers_verify(got["chroma"], got["corpus"])
