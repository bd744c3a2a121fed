"""The ``rag`` sub-commands of the evaluation package: eval-claims, eval-hard, eval-rgb-protocol.

Each handler imports its module only when run, so ``rag --help`` stays quick.  The configs come from
the caller (``app.cli``, which reads the settings): ``configs()`` returns ``(ChatConfig, chunk_tokens,
overlap)``.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evaluation.evalset import SPLITS

__all__ = ["add_commands"]

RGB_DEFAULT = Path("../shared/eval/rgb_en_fact.json")


Configs = Callable[[], tuple[Any, int, int]]


def _claims(args: argparse.Namespace, configs: Configs) -> int:
    from evaluation.claims import run_cli

    return run_cli(args.file, args.split, configs()[0], args.out)


def _hard(args: argparse.Namespace, configs: Configs) -> int:
    from evaluation.hard import run_cli

    return run_cli(args.file, args.split, args.generator, configs()[0], args.out)


def _rgb_protocol(args: argparse.Namespace, configs: Configs) -> int:
    from evaluation.rgb_protocol import run_cli

    config, chunk_tokens, overlap = configs()
    return run_cli(args.path, config, args.generator, args.limit, args.out, chunk_tokens=chunk_tokens, overlap=overlap,
                   split=args.split)


def _parser(sub, name: str, help_: str, example: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=help_, epilog=f"example:\n  {example}",
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _out(p: argparse.ArgumentParser, default: str, what: str) -> None:
    p.add_argument("--out", type=Path, default=Path(default), metavar="DIR", help=f"where {what} goes (default {default})")


def add_commands(sub, configs: Configs) -> None:
    """Add the evaluation sub-commands to the ``rag`` parser's sub-parsers (``configs``: module doc)."""
    gen_help = "local, openai or extractive (default: RAG_GENERATOR, local)"
    pc = _parser(sub, "eval-claims", "adversarial claims through a scripted model: are fabrications shown?",
                 "rag eval-claims eval/claims.jsonl --split test")
    pc.add_argument("file", type=Path, help="a claim file (JSONL, see eval/README.md)")
    pc.add_argument("--split", default="all", choices=SPLITS, help="which half to run (default all)")
    _out(pc, "reports/claims", "claims.json")
    pc.set_defaults(func=functools.partial(_claims, configs=configs))

    ph = _parser(sub, "eval-hard", "paraphrases, unanswerables, false premises, cross-article, follow-ups",
                 "rag eval-hard eval/hard_qa.jsonl --split test --generator extractive")
    ph.add_argument("file", type=Path, help="a hard question file (JSONL, see eval/README.md)")
    ph.add_argument("--split", default="all", choices=SPLITS, help="which half to run (default all)")
    ph.add_argument("--generator", default=None, help=gen_help)
    _out(ph, "reports/hard", "hard.json")
    ph.set_defaults(func=functools.partial(_hard, configs=configs))

    pp = _parser(sub, "eval-rgb-protocol", "RGB as its paper runs it: negative rejection and noise ratios",
                 "rag eval-rgb-protocol ../shared/eval/rgb_en_fact.json --split test --limit 25")
    pp.add_argument("path", type=Path, nargs="?", default=RGB_DEFAULT, metavar="PATH",
                    help=f"RGB's English data file (default {RGB_DEFAULT})")
    pp.add_argument("--generator", default=None, help=gen_help)
    pp.add_argument("--split", default="all", choices=SPLITS,
                    help="the first half of the questions (test), the second (dev) or all (default all)")
    pp.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N questions of the split")
    _out(pp, "reports/rgb-protocol", "protocol.json")
    pp.set_defaults(func=functools.partial(_rgb_protocol, configs=configs))
