"""A question as typed → the question to answer, or a ``ValueError`` that says what is wrong with it.

>>> validate_question("  Who approved the railway?  ", 500)
'Who approved the railway?'
>>> validate_question("", 500)
Traceback (most recent call last):
ValueError: question is empty: ask something about the articles
"""

from __future__ import annotations

import unicodedata
from typing import Any

__all__ = ["validate_question"]


def validate_question(question: Any, max_chars: int) -> str:
    """The question stripped, or a ``ValueError`` that says what is wrong with it."""
    if not isinstance(question, str):
        raise ValueError(f"question must be a string, got {type(question).__name__}")
    q = question.strip()
    if not q:
        raise ValueError("question is empty: ask something about the articles")
    if len(q) > max_chars:
        raise ValueError(f"question is {len(q)} characters long; the limit is {max_chars} (RAG_MAX_QUESTION_CHARS)")
    bad = sorted({f"U+{ord(ch):04X}" for ch in q if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"})
    if bad:
        raise ValueError(f"question contains control characters ({', '.join(bad[:5])}); remove them and ask again")
    return q
