"""Lazy re-exports for a package's ``__init__`` (PEP 562): each re-exported name is imported on first use.

Importing any module of a package runs its ``__init__`` first.  With eager re-exports, an embedding
child of ``rag ingest`` (which needs torch and ``vectorstore.minilm`` only) imported llama-index,
chromadb and the rest, seconds of CPU per child on cores the embedding needs.  Every package keeps its
curated ``__all__``; ``from vectorstore import Chunk`` reads the same as before.

A submodule named like a re-export (``chat.answer`` the module, ``answer`` the function) never hides
it: the import system's ``setattr(package, "answer", module)`` is ignored, as the eager
``from chat.answer import answer`` used to overwrite it.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    lazy_exports("vectorstore", {"Chunk": "vectorstore.types"})   # in vectorstore/__init__.py
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["lazy_exports"]


class _Package(types.ModuleType):
    """A package whose re-exports load on first use, and are never replaced by a submodule of the same name."""

    def __setattr__(self, name: str, value: Any) -> None:
        lazy = self.__dict__.get("_lazy_exports", {})
        if name in lazy and isinstance(value, types.ModuleType) and value.__name__ == f"{self.__name__}.{name}":
            return
        super().__setattr__(name, value)


def lazy_exports(package: str, where: dict[str, str]) -> None:
    """Make each name in ``where`` an attribute of ``package`` imported from the module named there on first use."""
    module = sys.modules[package]
    namespace = module.__dict__

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where[name]), name)
        namespace[name] = value  # straight into the namespace: later lookups never come here
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    namespace.update(_lazy_exports=dict(where), __getattr__=__getattr__, __dir__=__dir__)
    module.__class__ = _Package
