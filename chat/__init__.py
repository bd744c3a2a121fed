"""Questions → cited answers: ``from chat import answer``.

>>> from chat import answer

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    a = answer("Which Vietnamese exports did China agree to license?")
    a.refused, a.citations[0].source
    # → (False, 'vietnam-china-shared-future-2025-04.txt')
"""

from vectorstore.lazy import lazy_exports

__all__ = ["Answer", "ChatConfig", "Citation", "Hit", "LLMConfig", "answer", "answer_stream"]

# On first use (``vectorstore.lazy``): ``rag``'s own start, and every child process it spawns (which
# imports the ``rag`` script, hence this package, again), need none of the answering machinery.
lazy_exports(__name__, {
    **dict.fromkeys(("answer", "answer_stream"), "chat.answer"),
    **dict.fromkeys(("Answer", "Citation", "Hit"), "chat.types"),
    **dict.fromkeys(("ChatConfig", "LLMConfig"), "chat.config"),
})
