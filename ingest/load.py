"""Files → Documents: ``.txt`` and ``.md`` as stored, ``.html`` through a real HTML parser.

The text a Document carries is what citations index: plain files are decoded as UTF-8 and kept
byte for byte (no newline or Unicode normalisation); HTML is reduced to its visible text once, and
that extracted text is what gets stored.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    [d.source for d in load_documents(["data/articles"])]
    # → ['bridging-histories-building-futures-2025-04.txt', 'vietnam-china-shared-future-2025-04.txt']
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from vectorstore.types import Document

__all__ = ["load_documents", "drop_duplicates", "LoadError", "SUFFIXES"]

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


def _walk(root: Path, notes: list[str]) -> Iterator[Path]:
    # followlinks=False: a folder reached through a symbolic link is never entered, so a symlink loop
    # cannot recurse forever; each such link is named in ``notes`` instead of vanishing silently.  The
    # seen-set of real paths also stops loops made some other way (bind mounts).
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        kept = []
        for d in sorted(d for d in dirnames if not d.startswith(".")):
            link = Path(dirpath) / d
            if not link.is_symlink():
                kept.append(d)
                continue
            target = os.path.realpath(link)
            loop = real == target or real.startswith(target.rstrip(os.sep) + os.sep)
            notes.append(f"{link.relative_to(root).as_posix()}: symbolic link to a folder"
                         f"{' that loops back to ' + repr(target) if loop else ''}; not followed")
        dirnames[:] = kept
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def drop_duplicates(
    docs: dict[str, Document], stored: dict[str, str], leaving: set[str] = frozenset()
) -> tuple[dict[str, Document], list[str]]:
    """``docs`` minus every document whose exact text is already stored or loaded under another name.

    Returns the documents to keep (in their order) and one message per duplicate, naming both files.
    Which copy wins: a document stored before this run and not reloaded (unless it is ``leaving``,
    i.e. about to be pruned); then a document reloaded unchanged (so a stored name keeps answering and
    its citations stay valid); then the first in load order.  Duplicates are by content hash of the
    text as loaded, so an NFC and an NFD copy of an article are two documents, as ingest stores text
    unnormalised.  When the kept original is later deleted and pruned (``rag ingest --prune``), it is
    ``leaving`` in that run and its duplicate is ingested in its place, so the text never drops out.
    Without ``--prune`` the original stays stored and the duplicate stays skipped.
    """
    owner: dict[str, str] = {}
    for source, sha in stored.items():
        if source not in docs and source not in leaving:
            owner.setdefault(sha, source)
    unchanged = [d for d in docs.values() if stored.get(d.source) == d.sha256]
    rest = [d for d in docs.values() if stored.get(d.source) != d.sha256]
    dropped: dict[str, str] = {}
    for doc in unchanged + rest:
        first = owner.setdefault(doc.sha256, doc.source)
        if first != doc.source:
            dropped[doc.source] = first
    notes: list[str] = []
    for dup in (s for s in docs if s in dropped):  # in load order
        first = dropped[dup]
        where = "already stored" if stored.get(first) == docs[dup].sha256 else "loaded in this run"
        notes.append(f"{dup}: same text as {first} ({where}); skipped as a duplicate")
    return {s: d for s, d in docs.items() if s not in dropped}, notes


def load_documents(
    paths: list[str | Path], *, max_mb: float = 10.0, errors: list[str] | None = None
) -> Iterator[Document]:
    """Documents from files and folders; ``source`` is relative to the folder named (or the file name).

    A bad file raises ``LoadError``, unless ``errors`` is a list: then its message is appended there
    and loading goes on with the next file (as is a note for each symlinked folder, never followed).
    """
    max_bytes = int(max_mb * 1_000_000)
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise LoadError(f"{str(given)!r}: no such file or folder")
        if root.is_dir():
            notes: list[str] = []
            files = [(p, p.relative_to(root).as_posix()) for p in _walk(root, notes) if p.suffix.lower() in SUFFIXES]
            if errors is not None:  # a symlinked folder is worth a note, not a reason to stop a strict run
                errors.extend(notes)
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
