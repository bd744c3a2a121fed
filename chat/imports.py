"""Keep optional imports of our libraries off the answer path.

lemminflect (the lexicon of ``chat.lexicon``) imports spaCy whenever it is installed, only to register an
extension we never use, and spaCy's thinc imports torch whenever it can, though the small English
pipeline (``chat.roles``) runs on numpy.  Together they cost an extractive ``rag ask`` seconds of start-up
and hundreds of MB.  ``install()`` adds an import finder that refuses exactly those two imports (spaCy
asked for by lemminflect, torch asked for by thinc); each library catches the ImportError and goes on
without.  Everyone else imports torch and spaCy as usual, on any thread.

>>> install(); import sys; any(isinstance(f, _Refuse) for f in sys.meta_path)
True
"""

from __future__ import annotations

import importlib.abc
import sys
from typing import Any

__all__ = ["install"]

# {module that imports: top-level packages it is refused}
_REFUSED = {"lemminflect": ("spacy",), "thinc.compat": ("torch",)}


class _Refuse(importlib.abc.MetaPathFinder):
    """Raises ImportError when a module of ``_REFUSED`` imports a package refused to it."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        top = name.partition(".")[0]
        if not any(top in refused for refused in _REFUSED.values()):
            return None
        frame = sys._getframe(1)
        while frame is not None and frame.f_globals.get("__name__", "").startswith(("importlib", "_frozen")):
            frame = frame.f_back
        importer = frame.f_globals.get("__name__", "") if frame is not None else ""
        if top in _REFUSED.get(importer, ()):
            raise ImportError(f"{name} is not imported for {importer} (chat/imports.py)")
        return None


def install() -> None:
    """Put the finder first on ``sys.meta_path``, once."""
    if not any(isinstance(f, _Refuse) for f in sys.meta_path):
        sys.meta_path.insert(0, _Refuse())
