"""Files → Documents: ``.txt`` and ``.md`` as stored, ``.html`` through a real HTML parser.

The text a Document carries is what citations index: plain files are decoded as UTF-8 and kept
byte for byte (no newline or Unicode normalisation); HTML is reduced to its visible text once, and
that extracted text is what gets stored.

>>> [d.source for d in load_documents(["data/articles"])]        # doctest: +SKIP
['bridging-histories-building-futures-2025-04.txt', 'vietnam-china-shared-future-2025-04.txt']
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from vectorstore.types import Document

__all__ = ["load_documents", "LoadError", "SUFFIXES"]

SUFFIXES = (".txt", ".md", ".html", ".htm")
_BLANKS = re.compile(r"\n[ \t\r\f\v]*(?:\n[ \t\r\f\v]*)+")


class LoadError(ValueError):
    """A file that cannot become a Document; the message names the file and the reason."""


def _html_text(raw: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    text = soup.get_text("\n")
    lines = [ln.strip() for ln in text.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip() + "\n"


def _read(path: Path, source: str, max_bytes: int) -> Document:
    size = path.stat().st_size
    if size > max_bytes:
        raise LoadError(f"{source}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit")
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise LoadError(f"{source}: looks binary (contains NUL bytes), not a text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(f"{source}: not valid UTF-8 (byte {exc.start}: {raw[exc.start:exc.start + 1]!r})") from None
    if text.startswith("\ufeff"):
        text = text[1:]  # a BOM is an encoding mark, not content
    if path.suffix.lower() in (".html", ".htm"):
        text = _html_text(text)
    if not text.strip():
        raise LoadError(f"{source}: empty file, nothing to ingest")
    return Document(source=source, text=text)


def _walk(root: Path) -> Iterator[Path]:
    # followlinks=False plus a seen-set of real paths: a symlink loop cannot recurse forever.
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def load_documents(
    paths: list[str | Path], *, max_mb: float = 10.0, errors: list[str] | None = None
) -> Iterator[Document]:
    """Documents from files and folders; ``source`` is relative to the folder named (or the file name).

    A bad file raises ``LoadError``, unless ``errors`` is a list: then its message is appended there
    and loading goes on with the next file.
    """
    max_bytes = int(max_mb * 1_000_000)
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise LoadError(f"{str(given)!r}: no such file or folder")
        if root.is_dir():
            files = [(p, p.relative_to(root).as_posix()) for p in _walk(root) if p.suffix.lower() in SUFFIXES]
        else:
            if root.suffix.lower() not in SUFFIXES:
                raise LoadError(f"{root.name}: unsupported file type {root.suffix or '(none)'!r}; use {', '.join(SUFFIXES)}")
            files = [(root, root.name)]
        for path, source in files:
            try:
                yield _read(path, source, max_bytes)
            except LoadError as exc:
                if errors is None:
                    raise
                errors.append(str(exc))
