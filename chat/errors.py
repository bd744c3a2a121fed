"""Why a language model cannot answer: errors the answer path turns into a fallback with a notice."""

from __future__ import annotations

__all__ = ["LLMUnavailable", "LLMStopped"]


class LLMUnavailable(RuntimeError):
    """The requested language model cannot be used here; the message says why and what to do."""


class LLMStopped(LLMUnavailable):
    """The local model's process died while answering; the message says how (signal or exit code)."""
