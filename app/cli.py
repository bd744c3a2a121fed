"""The ``rag`` command: ingest articles, ask questions, serve the chat, evaluate.

Heavy libraries (torch, chromadb, gradio) load only inside the sub-command that needs them, so
``rag --help`` answers at once.

    rag ingest                       # the default corpus (RAG_CORPUS_DIR, data/articles)
    rag ask "Which Vietnamese exports did China agree to license?" --json
    rag serve --port 7860
    rag eval eval/articles_qa.jsonl --thresholds eval/thresholds.json
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
  rag eval eval/articles_qa.jsonl     score answers, citations, retrieval → reports/eval/report.html
  rag eval-rgb --limit 20             the RGB benchmark in its own collection (rgb_en)
  rag eval-claims eval/claims.jsonl   fabricated claims under real citations: are any shown?

settings come from RAG_* environment variables and .env (see .env.example)."""


def _settings():
    from app.settings import Settings

    return Settings()


def _eval_configs():
    """What the evaluation sub-commands run with: (ChatConfig, chunk tokens, chunk overlap)."""
    cfg = _settings()
    return cfg.chat_config(), cfg.chunk_tokens, cfg.chunk_overlap


def _cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.pipeline import ingest
    from vectorstore.embed import get_embedder
    from vectorstore.store import open_store

    cfg = _settings()
    paths = args.paths or [cfg.corpus_dir]
    store = open_store(cfg.store_config(), rebuilding=args.rebuild)
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
        embed_process={"auto": None, "on": True, "off": False}[cfg.embed_process],  # ingest/pipeline.py
        rebuild=args.rebuild,
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

    a = answer(args.question, generator=args.generator, k=args.k, config=_settings().chat_config())
    if args.json:
        print(json.dumps(a.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_format_answer(a))
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import logging

    from app.server import check_port, serve

    cfg = _settings()
    host, port = args.host or cfg.host, args.port or cfg.port
    check_port(host, port)
    logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    logging.getLogger("articlechat").setLevel(logging.INFO)  # model starts, restarts and crashes
    if cfg.generator == "local" and not args.no_self_check:
        from chat.generate import start_local

        print("local model: starting (load and a few tokens of self-check)…", file=sys.stderr, flush=True)
        print(f"local model: {start_local(cfg.chat_config().llm)}", file=sys.stderr, flush=True)
    if cfg.generator != "extractive":
        from chat.parse import load  # the claim checks parse what a model writes
        print(f"claim checks: English parser loaded in {load():.1f} s", file=sys.stderr, flush=True)
    serve(cfg, host=host, port=port)
    return 0


EVAL_EPILOG = """examples:
  rag eval eval/articles_qa.jsonl
  rag eval eval/articles_qa.jsonl --generator extractive -k 5 --out reports/eval
  rag eval eval/articles_qa.jsonl --thresholds eval/thresholds.json      (what CI runs)
  rag eval my_dataset.json --min-hit-at-k 0.9 --min-citation-validity 1.0
  rag eval-rgb ../shared/eval/rgb_en_fact.json --limit 20

test sets: articlechat JSONL (id, question, answer or null, evidence [{source, quote}]) or a
llama-index LabelledRagDataset JSON ({"examples": [{query, reference_answer, reference_contexts}]}),
detected automatically; questions are answered from the store in RAG_CHROMA_PATH / RAG_COLLECTION.
--thresholds FILE holds {"min": {metric: value}, "max": {metric: value}} (or a flat {metric: min});
options on the command line override it.  Exit codes: 0 ok, 2 bad input, 3 a threshold missed."""


def _thresholds(args: argparse.Namespace) -> tuple[dict[str, float], dict[str, float]]:
    """Minimums and maximums from --thresholds FILE, overridden by --min-*/--max-* options."""
    from evaluation.evaluate import METRICS, load_thresholds

    mins, maxs = load_thresholds(args.thresholds) if args.thresholds else ({}, {})
    for name, (_, better) in METRICS.items():
        value = getattr(args, f"{'min' if better == 'higher' else 'max'}_{name}", None)
        if value is not None:
            (mins if better == "higher" else maxs)[name] = value
    return mins, maxs


def _finish_eval(args: argparse.Namespace, report: dict, title: str) -> int:
    from evaluation.evaluate import check_thresholds
    from evaluation.report import markdown_summary, write_reports

    mins, maxs = args.gates
    report["thresholds"] = check_thresholds(report["summary"], mins, maxs)
    paths = write_reports(report, args.out, title=title)
    for w in report["warnings"]:
        print(f"warning: {w}", file=sys.stderr)
    print(markdown_summary(report))
    print(f"reports: {paths['html']} · {paths['json']}", file=sys.stderr)
    missed = [t for t in report["thresholds"] if not t["ok"]]
    for t in missed:
        shown = "not measured" if t["value"] is None else f"{t['value']:g}"
        print(f"threshold missed: {t['metric']} = {shown}, required {t['op']} {t['limit']:g}", file=sys.stderr)
    return 3 if missed else 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from evaluation.evalset import load_testset
    from evaluation.evaluate import evaluate

    args.gates = _thresholds(args)  # a bad thresholds file fails before minutes of answering
    fmt, items = load_testset(args.file)
    if args.limit:
        items = items[: args.limit]
    report = evaluate(items, config=_settings().chat_config(), generator=args.generator, k=args.k, progress=not args.quiet,
                      fmt=fmt)
    report["meta"]["testset"] = str(args.file)
    return _finish_eval(args, report, f"articlechat evaluation: {Path(args.file).name}")


def _cmd_eval_rgb(args: argparse.Namespace) -> int:
    from evaluation.rgb import evaluate_rgb, load_rgb

    args.gates = _thresholds(args)
    items = load_rgb(args.path)
    cfg = _settings().model_copy(update={"collection": args.collection})
    report = evaluate_rgb(items, config=cfg.chat_config(), k=args.k, generator=args.generator,
                          chunk_tokens=cfg.chunk_tokens, overlap=cfg.chunk_overlap,
                          limit=args.limit, progress=not args.quiet, ingest_first=not args.no_ingest)
    report["meta"]["testset"] = str(args.path)
    return _finish_eval(args, report, "articlechat on RGB (English)")


def _add_eval_options(p: argparse.ArgumentParser, out: str) -> None:
    from evaluation.evaluate import METRICS

    p.add_argument("--generator", default=None, help="local, openai or extractive (default: RAG_GENERATOR, local)")
    p.add_argument("-k", "--k", type=int, default=None, help="how many chunks to retrieve (default: RAG_TOP_K)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="ask only the first N questions")
    p.add_argument("--out", type=Path, default=Path(out), metavar="DIR",
                   help=f"where report.json and report.html go (default {out})")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    g = p.add_argument_group("thresholds (exit code 3 when one is missed)")
    g.add_argument("--thresholds", type=Path, default=None, metavar="FILE",
                   help="JSON of metric minimums/maximums, e.g. eval/thresholds.json")
    for name, (label, better) in METRICS.items():
        bound = "min" if better == "higher" else "max"
        g.add_argument(f"--{bound}-{name.replace('_', '-')}", dest=f"{bound}_{name}", type=float, default=None,
                       metavar="X", help=f"{'minimum' if bound == 'min' else 'maximum'} {label}")


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
    pi.add_argument("--rebuild", action="store_true",
                    help="write every stored document again (a store from an earlier version needs this once)")
    pi.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    pi.set_defaults(func=_cmd_ingest)

    pa = sub.add_parser("ask", help="answer one question with citations", epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    pa.add_argument("question", help="the question, in quotes")
    pa.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    pa.add_argument("--generator", default=None, help="local, openai or extractive (default: RAG_GENERATOR, local)")
    pa.add_argument("-k", type=int, default=None, help="how many chunks to retrieve (default: RAG_TOP_K)")
    pa.set_defaults(func=_cmd_ask)

    ps = sub.add_parser("serve", help="serve the web chat", epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ps.add_argument("--host", default=None, help="address to bind (default RAG_HOST, 127.0.0.1)")
    ps.add_argument("--port", type=int, default=None, help="port (default RAG_PORT, 7860)")
    ps.add_argument("--no-self-check", action="store_true",
                    help="start the local model on the first question instead of before serving")
    ps.set_defaults(func=_cmd_serve)

    pe = sub.add_parser("eval", help="score a test set: retrieval, answers, citations, latency", epilog=EVAL_EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        usage="rag eval FILE [--generator NAME] [-k K] [--out DIR] [--thresholds FILE] "
                              "[--min-METRIC X | --max-METRIC X ...]")
    pe.add_argument("file", type=Path, metavar="FILE", help="test set (.jsonl, or LabelledRagDataset .json)")
    _add_eval_options(pe, "reports/eval")
    pe.set_defaults(func=_cmd_eval)

    pr = sub.add_parser("eval-rgb", help="the RGB benchmark in its own collection", epilog=EVAL_EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        usage="rag eval-rgb [PATH] [-k K] [--limit N] [--generator NAME] [--out DIR] "
                              "[--min-METRIC X ...]")
    pr.add_argument("path", type=Path, nargs="?", default=Path("../shared/eval/rgb_en_fact.json"), metavar="PATH",
                    help="RGB's English data file (default ../shared/eval/rgb_en_fact.json)")
    pr.add_argument("--collection", default="rgb_en", help="collection for the snippets (default rgb_en)")
    pr.add_argument("--no-ingest", action="store_true", help="skip bringing the collection up to date")
    _add_eval_options(pr, "reports/rgb")
    pr.set_defaults(func=_cmd_eval_rgb)

    from evaluation.cli import add_commands

    add_commands(sub, _eval_configs)
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
        from ingest.pipeline import EmbedProcessError
        from vectorstore.store import StoreError

        # OSError: a file the user named or configured cannot be read (a model folder, a corpus file).
        if isinstance(exc, (ValueError, LoadError, StoreError, ValidationError, OSError, EmbedProcessError)):
            one_line = " ".join(str(exc).splitlines())  # chromadb/httpx messages may span lines
            print(f"rag {args.command}: error: {_redact(one_line)}", file=sys.stderr)
            return 2
        raise


def _redact(message: str) -> str:
    """``message`` with the configured secrets masked (it may quote a server that echoed one)."""
    try:
        return _settings().redact(message)
    except Exception:  # settings that cannot even be read: their error already masks secret inputs
        return message


if __name__ == "__main__":
    sys.exit(main())
