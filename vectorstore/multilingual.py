"""e5 vectors of stored sentences, for what MiniLM cannot read: questions, and documents, in Vietnamese
or Chinese.

They are made when first needed, not at ingest: an English corpus asked in English never pays for
them, and neither does ``make bench``.  Chunks in another language get them as soon as such a chunk is
stored and searched; English chunks only once a question comes in another language.  Every chunk's
vectors are kept by chunk id (ids hash the chunk's source, span and text) beside the store
(``<chroma_path>/../cache/e5-NAME/``), so a new process, or a new revision that kept most chunks,
embeds only what it has not seen.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    ranked = dense(store, index.chunks, get_e5(), "Khi nào tuyến đường sắt hoàn thành?", k=5)
    # → [(Chunk(…), 0.86…), …]: each chunk scored by its best sentence
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from vectorstore.spans import sentence_spans
from vectorstore.types import Chunk

__all__ = ["dense", "sentence_vectors"]

_memory: dict[str, dict[str, Any]] = {}  # per store: {chunk id: float16 (sentences, 384)}
_lock = threading.Lock()


def _folder(store: Any) -> Path | None:
    if "://" in store.where:  # a Chroma server: no folder of ours beside it
        return None
    return Path(store.where).parent / "cache" / f"e5-{store.name}"


def _load(folder: Path | None) -> dict[str, Any]:
    import numpy as np

    if folder is None:
        return {}
    try:
        ids, counts = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        rows = np.split(np.load(folder / "vectors.npy"), np.cumsum(counts)[:-1]) if ids else []
    except (OSError, ValueError, TypeError):  # a cache is only a cache
        return {}
    return dict(zip(ids, rows))


def _save(folder: Path | None, held: dict[str, Any]) -> None:
    import numpy as np

    if folder is None or not held:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder, prefix=".new-"))
        ids = list(held)
        np.save(tmp / "vectors.npy", np.concatenate([held[i] for i in ids]).astype(np.float16))
        (tmp / "ids.json").write_text(json.dumps([ids, [len(held[i]) for i in ids]]), encoding="utf-8")
        os.replace(tmp / "vectors.npy", folder / "vectors.npy")
        os.replace(tmp / "ids.json", folder / "ids.json")  # last: a torn pair fails to load, and rebuilds
        tmp.rmdir()
    except OSError:  # read-only: keep them in memory only
        pass


def sentence_vectors(store: Any, chunks: list[Chunk], e5: Any) -> dict[str, Any]:
    """``{chunk id: e5 vectors of its sentences}`` for ``chunks``, embedding only those never seen."""
    key = f"{store.where}|{store.name}"
    with _lock:
        held = _memory.get(key)
        if held is None:
            held = _memory[key] = _load(_folder(store))
        todo = [c for c in chunks if c.id not in held]
        if todo:
            spans = [sentence_spans(c.text) or [(0, len(c.text))] for c in todo]
            texts = [c.text[s:e] for c, sp in zip(todo, spans) for s, e in sp]
            vectors = e5.passages(texts).astype("float16")
            at = 0
            for c, sp in zip(todo, spans):
                held[c.id] = vectors[at : at + len(sp)]
                at += len(sp)
            live = {c.id for c in chunks}
            _save(_folder(store), {i: v for i, v in held.items() if i in live} if len(held) > 2 * len(live) else held)
        return {c.id: held[c.id] for c in chunks}


def dense(store: Any, chunks: list[Chunk], e5: Any, question: str, k: int) -> list[tuple[Chunk, float]]:
    """The ``k`` of ``chunks`` whose best sentence is nearest ``question`` under e5, best first."""
    import numpy as np

    if not chunks:
        return []
    held = sentence_vectors(store, chunks, e5)
    q = np.asarray(e5.query(question), dtype=np.float32)
    best = np.array([float((held[c.id].astype(np.float32) @ q).max()) for c in chunks])
    top = np.argsort(-best, kind="stable")[:k]
    return [(chunks[j], float(best[j])) for j in top]
