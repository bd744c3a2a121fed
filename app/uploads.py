"""Which paths the web app may touch: upload names kept inside the upload area, only files Gradio received.

An API caller can hand the upload handler any string, and the viewer any ``#doc/…`` link; these checks
make sure neither can read, copy or show anything outside what was uploaded or stored.

>>> safe_name("../../etc/passwd.TXT")
'passwd.txt'
>>> unsafe_source("../../etc/passwd"), unsafe_source("sub/a.txt")
(True, False)
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

__all__ = ["safe_name", "unsafe_source", "received"]


def safe_name(name: str) -> str:
    """A file name for the upload area: no folder part, no separator, no leading dot, at most ~100 characters."""
    # Path(...).name drops any folder part, with "\" read as one too; the stem keeps only word
    # characters and a few marks and loses leading dots (no hidden files, no "..").
    name = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    stem, suffix = os.path.splitext(name)
    stem = re.sub(r"[^\w\-. ()]+", "_", stem).strip(" ._")[:100] or "upload"
    return stem + suffix.lower()


def unsafe_source(source: str) -> bool:
    """Whether ``source`` can never be a stored name: absolute, with ``.``/``..`` or empty parts, ``\\`` or NUL."""
    # Stored names are relative POSIX paths made by ingest (relative_to a folder, or a bare file name).
    parts = source.split("/")
    return source.startswith("/") or "\\" in source or "\x00" in source or any(p in ("", ".", "..") for p in parts)


def received(path: str, inbox: Path) -> Path | None:
    """The real path of ``path`` if it is a regular file inside ``inbox`` and not a symlink, else None."""
    p = Path(path)
    try:
        real = p.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return None
    if p.is_symlink() or not real.is_relative_to(inbox.resolve()) or not real.is_file():
        return None
    return real
