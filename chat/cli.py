"""The ``rag`` command: ingest articles, ask questions, serve the chat.

Heavy libraries (torch, chromadb, gradio) load only inside the sub-command that needs them, so
``rag --help`` answers at once.

    rag ingest                       # the default corpus (RAG_CORPUS_DIR, data/articles)
    rag ask "Which Vietnamese exports did China agree to license?" --json
    rag serve --port 7860
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["main"]

EPILOG = """examples:
  rag ingest                          ingest data/articles (or RAG_CORPUS_DIR)
  rag ingest notes/ report.html       ingest other folders and files
  rag ingest --prune                  also drop stored documents no longer on disk
  rag ask "Which Vietnamese exports did China agree to license?"
  rag ask "What is the Việt Nam Fatherland Front?" --json
  rag serve                           chat at http://127.0.0.1:7860

settings come from RAG_* environment variables and .env (see .env.example)."""


def _settings():
    from vectorstore.settings import Settings

    return Settings()


def _cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.pipeline import ingest
    from vectorstore.embed import get_embedder
    from vectorstore.store import open_store

    cfg = _settings()
    paths = args.paths or [cfg.corpus_dir]
    store = open_store(cfg)
    report = ingest(
        paths,
        store,
        get_embedder(cfg.embed_model_path, cfg.embed_threads),
        chunk_tokens=cfg.chunk_tokens,
        overlap=cfg.chunk_overlap,
        max_mb=cfg.max_file_mb,
        prune=args.prune,
        strict=args.strict,
        progress=None if not args.quiet else False,
    )
    for err in report.errors:
        print(f"skipped: {err}", file=sys.stderr)
    print(f"{report.summary()} → {store.where} (collection {cfg.collection!r})")
    return 1 if report.errors and args.strict else 0


def _format_answer(a) -> str:
    lines = [a.text, ""]
    if a.notice:
        lines.insert(0, f"note: {a.notice}")
    if a.refused:
        lines.append("related passages:")
        lines += [f"  - {h.source} [{h.start}:{h.end}] {h.text[:160]!r}" for h in a.hits[:3]]
    for c in a.citations:
        lines.append(f"[{c.marker}] {c.source} [{c.start}:{c.end}]")
        lines.append(f"    “{c.quote}”")
    return "\n".join(lines).rstrip()


def _cmd_ask(args: argparse.Namespace) -> int:
    from chat.answer import answer

    a = answer(args.question, generator=args.generator, k=args.k, settings=_settings())
    if args.json:
        print(json.dumps(a.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_format_answer(a))
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from chat.ui import serve

    cfg = _settings()
    serve(cfg, host=args.host or cfg.host, port=args.port or cfg.port)
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="rag",
        description="articlechat: answers about your articles, every claim cited by an exact passage.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    pi = sub.add_parser("ingest", help="load, chunk, embed and store articles", epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    pi.add_argument("paths", nargs="*", type=Path, help="files or folders (.txt .md .html); default RAG_CORPUS_DIR")
    pi.add_argument("--prune", action="store_true", help="remove stored documents that are not among PATHS")
    pi.add_argument("--strict", action="store_true", help="stop at the first bad file instead of skipping it")
    pi.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    pi.set_defaults(func=_cmd_ingest)

    pa = sub.add_parser("ask", help="answer one question with citations", epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    pa.add_argument("question", help="the question, in quotes")
    pa.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    pa.add_argument("--generator", default=None, help="extractive (default: RAG_GENERATOR)")
    pa.add_argument("-k", type=int, default=None, help="how many chunks to retrieve (default: RAG_TOP_K)")
    pa.set_defaults(func=_cmd_ask)

    ps = sub.add_parser("serve", help="serve the web chat", epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ps.add_argument("--host", default=None, help="address to bind (default RAG_HOST, 127.0.0.1)")
    ps.add_argument("--port", type=int, default=None, help="port (default RAG_PORT, 7860)")
    ps.set_defaults(func=_cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rag`` console script; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one clear line, not a traceback, for the errors users can fix
        from pydantic import ValidationError

        from ingest.load import LoadError
        from vectorstore.store import StoreError

        if isinstance(exc, (ValueError, LoadError, StoreError, ValidationError, FileNotFoundError)):
            print(f"rag {args.command}: error: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
