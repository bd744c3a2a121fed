"""The house rules, read from the code: which of our packages may import which (any import, lazy ones
included, found with ``ast`` in every module of the package)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"vectorstore", "ingest", "chat", "evaluation", "app", "bench"}
ALLOWED = {
    "vectorstore": set(),
    "ingest": {"vectorstore"},
    "chat": {"vectorstore"},
    "evaluation": {"chat", "vectorstore", "ingest"},
    "app": {"chat", "vectorstore", "ingest", "evaluation"},
}
NEVER_IN_CHAT = {"gradio"}  # the answer path serves every edge; the web is one of them


def imports(package: str) -> dict[str, set[str]]:
    """``{module path: top-level names it imports}`` for every module of ``package``."""
    out = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        out[str(path.relative_to(ROOT))] = names
    return out


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_package_imports_only_the_rooms_below_it(package):
    bad = {mod: sorted((names & OURS) - ALLOWED[package] - {package})
           for mod, names in imports(package).items()}
    assert {m: b for m, b in bad.items() if b} == {}


def test_the_answer_path_knows_nothing_of_the_web():
    bad = {mod: sorted(names & NEVER_IN_CHAT) for mod, names in imports("chat").items()}
    assert {m: b for m, b in bad.items() if b} == {}


def test_no_module_is_longer_than_300_lines():
    ours = [p for pkg in [*ALLOWED, "bench"] for p in (ROOT / pkg).rglob("*.py")
            if not any(part.startswith(".") for part in p.relative_to(ROOT).parts)]  # not bench/.cache's data
    long = {str(p.relative_to(ROOT)): n for p in ours if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}


@pytest.mark.parametrize("package", ["app", "bench", "evaluation"])
def test_the_edges_use_public_names_only(package):
    """No ``from chat.x import _private`` (nor ``import … as`` one) from the rooms an edge sits on."""
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in OURS - {package}:
                bad += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}" for a in node.names
                        if a.name.startswith("_")]
    assert bad == []


@pytest.mark.parametrize("package", ["vectorstore", "ingest", "chat", "evaluation"])
def test_only_the_app_reads_settings(package):
    """Below ``app`` configuration arrives as explicit objects: no settings library, no ``RAG_*`` lookups."""
    bad = {mod: sorted(names & {"pydantic_settings", "dotenv"}) for mod, names in imports(package).items()}
    assert {m: b for m, b in bad.items() if b} == {}
    reads = [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("*.py")
             if any(s in p.read_text(encoding="utf-8") for s in ('environ["RAG_', "environ.get(\"RAG_", 'getenv("RAG_'))]
    assert reads == []
