"""Every docstring example in our packages runs (``+SKIP`` marks the few that need a live store or model)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts)
    for pkg in ("vectorstore", "ingest", "chat", "evaluation", "app")
    for p in (ROOT / pkg).rglob("*.py")
    if p.name != "__init__.py"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_no_example_is_skipped():
    """An example either runs or is shown as plain code: none is marked ``+SKIP``."""
    marked = [name for name in MODULES
              if "doctest: +SKIP" in (ROOT / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8")]
    assert marked == []
