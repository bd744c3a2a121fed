"""The library behind the web app: titles, the article list, viewer pages, and uploads — the one place
the app ingests.  Everything returned is HTML from ``app.render``; nothing here knows Gradio beyond
where Gradio keeps the files it received.

>>> upload_dir(Settings(chroma_path=Path(".rag/chroma")))
PosixPath('.rag/uploads')
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from app import render as R
from app.settings import Settings
from app.uploads import received, safe_name, unsafe_source
from ingest.load import SUFFIXES

__all__ = ["Library", "upload_dir", "UPLOAD_TYPES"]

UPLOAD_TYPES = SUFFIXES  # what ingest.load reads: .txt .md .html .htm


def upload_dir(settings: Settings) -> Path:
    """Where uploaded files are kept: ``uploads/`` beside the Chroma folder (``.rag/uploads`` by default)."""
    return Path(settings.chroma_path).parent / "uploads"


class Library:
    """The app's access to the store: titles, library rows, viewer pages, uploads."""

    def __init__(self, settings: Settings, inbox: str | Path | None = None) -> None:
        from gradio.utils import get_upload_folder

        self.settings = settings
        # Only files Gradio itself received may be ingested: they all live under its upload folder.
        self.inbox = Path(inbox or get_upload_folder()).resolve()

    @property
    def engine(self) -> Any:
        from chat.answer import get_engine

        return get_engine(self.settings.chat_config())

    def titles(self, sources: set[str]) -> dict[str, str]:
        out = {}
        for s in sources:
            try:
                out[s] = R.title_of(s, self.engine.doc_text(s))
            except KeyError:
                out[s] = s
        return out

    def library(self) -> str:
        try:
            store = self.engine.store
            rows = []
            for s, (_, chunks) in sorted(store.inventory().items()):
                text = self.engine.doc_text(s)
                rows.append((s, R.title_of(s, text), len(text.encode("utf-8")), chunks))
        except Exception as exc:  # a store that cannot be read is shown, not raised
            return R.render_notice(f"Cannot read the library: {exc}")
        return R.render_library(rows)

    def open(self, href: object) -> str:
        parsed = R.parse_href(href)
        if parsed is None:
            return R.render_notice("That link does not point at a passage.")
        source, start, end = parsed
        if unsafe_source(source):  # stored names are relative and clean; this one is a path trick
            return R.render_notice(f"Refused: {source!r} is not an article in the library.")
        try:
            text = self.engine.doc_text(source)
        except KeyError:
            return R.render_notice(f"{source} is not in the library any more.")
        except RuntimeError as exc:  # StoreError: the store (a Chroma server) is unreachable right now
            return R.render_notice(f"Cannot open {source}: {exc}")
        try:
            return R.render_article(source, text, R.title_of(source, text), start, end)
        except ValueError as exc:
            return R.render_notice(str(exc))

    def add_files(self, paths: list[str], progress: Any) -> str:
        """Check, copy into the upload area, ingest; the report names every rejected file and why."""
        from ingest.pipeline import ingest

        limit = int(self.settings.max_file_mb * 1_000_000)
        problems: list[str] = []
        dest = upload_dir(self.settings)
        staging = dest / f".staging-{uuid.uuid4().hex}"
        staged: dict[str, Path] = {}
        try:
            for p in paths:
                src, name = received(p, self.inbox), safe_name(Path(p).name)
                suffix = Path(name).suffix
                if src is None:
                    problems.append(f"{p}: not a file uploaded to this app; refused, nothing was read")
                elif suffix not in UPLOAD_TYPES:
                    problems.append(f"{Path(p).name}: unsupported file type {suffix or '(none)'!r}; "
                                    f"use {', '.join(UPLOAD_TYPES)}")
                elif src.stat().st_size > limit:
                    problems.append(f"{Path(p).name}: {R.human_size(src.stat().st_size)} is over the "
                                    f"{R.human_size(limit)} limit (RAG_MAX_FILE_MB)")
                elif name in staged:
                    problems.append(f"{Path(p).name}: given twice; the first one was used")
                else:
                    staging.mkdir(parents=True, exist_ok=True)
                    staged[name] = Path(shutil.copyfile(src, staging / name))
            if not staged:
                return R.render_upload_report([], [], [], problems)
            progress((0, len(staged)), desc="Reading and embedding", unit="files")
            report = ingest(list(staged.values()), self.engine.store, self.engine.embedder,
                            chunk_tokens=self.settings.chunk_tokens, overlap=self.settings.chunk_overlap,
                            max_mb=self.settings.max_file_mb, progress=False,
                            on_progress=lambda done, total: progress((done, total), desc="Embedded", unit="files"))
            failed = {name for name in staged for e in report.errors if e.startswith(f"{name}:")}
            problems += report.errors
            for name, path in staged.items():
                if name not in failed:
                    os.replace(path, dest / name)
            return R.render_upload_report(report.added, report.replaced, report.unchanged, problems)
        except Exception as exc:
            return R.render_upload_report([], [], [], problems + [f"ingest failed: {type(exc).__name__}: {exc}"])
        finally:
            shutil.rmtree(staging, ignore_errors=True)
