"""Questions in Vietnamese or Chinese, and evidence in any of the three languages.

e5 finds and judges the evidence (``states``: no English rule can read both), for every generator.  A
model then answers in English, from the English (or any) evidence, so that ``chat.verify``, which reads
English, checks every claim; the answer says, in the asker's language, that it is in English.

``RAG_TRANSLATE=true`` (``ChatConfig.translate``) instead translates the question into English for the
whole pipeline and the verified answer back, keeping a translation only when it has every ``[n]`` marker
and every number of the verified answer.  It is off by default: the local 1.5B model's translations
turned questions into statements and, translating back, "China agreed to license Vietnamese exports"
into "Việt Nam đã đồng ý …" (Vietnam agreed …), a changed subject no marker or number check can catch.
The quotes always stay in the article's language, as stored.

>>> kept("Construction begins in 2025 [1].", "Công trình khởi công năm 2025 [1].")
True
>>> kept("Construction begins in 2025 [1].", "工程于2027年开工[1]。")
False
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any

from chat.evidence import Evidence
from chat.types import Answer
from chat.words import numbers
from vectorstore.text import language

__all__ = ["NAMES", "to_english", "into", "in_their_language", "kept", "states", "STATES_MIN", "EXTRACTIVE_NOTICE",
           "REFUSALS", "IN_ENGLISH"]

NAMES = {"vi": "Vietnamese", "zh": "Simplified Chinese"}
# e5 cosine (``ev.dense``) of a question and a sentence not both in English from which the sentence is
# taken to answer it, for the extractive generator (no model to read both), by the question's language:
# an English question sits lower against Vietnamese or Chinese text than those do against English.
# Chosen on the dev halves of eval/multilingual_qa.jsonl (vi, zh) and tests/data/multilingual/qa.jsonl
# (en over Vietnamese and Chinese articles); e5's cosines bunch high, so these are not MiniLM's.
STATES_MIN = {"en": 0.74, "vi": 0.79, "zh": 0.79}
# What a refusal says, in the language asked (no model needed to say it).
REFUSALS = {
    "en": "The articles don't say. Nothing in them answers “{question}”; the closest passages are listed as related.",
    "vi": "Các bài báo không nói điều này. Không đoạn nào trả lời “{question}”; các đoạn gần nhất được liệt kê "
          "bên dưới.",
    "zh": "文章没有提到这一点。其中没有任何内容回答“{question}”；下面列出了最接近的段落。",
}
# Why a model's answer to a Vietnamese or Chinese question is in English (RAG_TRANSLATE off).
IN_ENGLISH = {
    "vi": "Câu trả lời bằng tiếng Anh, đã được đối chiếu với từng đoạn trích dẫn; dịch máy đang tắt (RAG_TRANSLATE).",
    "zh": "答案为英文，已与每个引用段落逐一核对；机器翻译未开启（RAG_TRANSLATE）。",
}
EXTRACTIVE_NOTICE = "The extractive generator does not translate: these are the article's own sentences."
_MARKER = re.compile(r"\[(\d+)\]")
_DIGITS = re.compile(r"\d[\d,.]*")

TO_ENGLISH = """Translate this question into English. Keep every name, number and date exactly.
Output only the English question.

Question: {question}
English:"""
FROM_ENGLISH = """Translate this text into {language}. Keep every [number] marker where it is, and keep every
name, number and date exactly. Output only the translation.

Text: {text}
{language}:"""


def to_english(question: str, generator: Any) -> str | None:
    """``question`` in English by ``generator``'s model, or None when it gives nothing usable."""
    try:
        reply = generator.complete(TO_ENGLISH.format(question=question)).strip()
    except Exception:  # an unreachable model: the caller answers without translating
        return None
    line = next((ln.strip().strip('"“”') for ln in reply.splitlines() if ln.strip()), "")
    if not line or language(line) != "en" or len(line) > 4 * len(question) + 100:
        return None
    return line


def _digits(text: str) -> Counter:
    return Counter(d.rstrip(".,").replace(",", "") for d in _DIGITS.findall(text))


def kept(english: str, translation: str) -> bool:
    """Whether ``translation`` keeps the markers and the numbers (as digits) of ``english``."""
    if sorted(_MARKER.findall(english)) != sorted(_MARKER.findall(translation)):
        return False
    return _digits(_MARKER.sub(" ", english)) == _digits(_MARKER.sub(" ", translation))


def into(lang: str, text: str, generator: Any) -> str | None:
    """``text`` (a verified English answer) in ``lang`` by ``generator``'s model, or None when the model
    fails or its translation does not keep the markers and numbers (``kept``)."""
    try:
        reply = generator.complete(FROM_ENGLISH.format(language=NAMES[lang], text=text)).strip()
    except Exception:
        return None
    reply = " ".join(ln.strip() for ln in reply.splitlines() if ln.strip())
    if not reply or language(reply) != lang or not kept(text, reply):
        return None
    return reply


def states(question: str, ev: Evidence) -> bool:
    """For a question and an evidence sentence not both in English, scored by e5 (``ev.dense``, with the
    lift e5 gives the question's own language taken out, ``chat.evidence``): close enough, and holding
    every number the question writes in digits."""
    said = set().union(set(), *numbers(ev.text))
    if any(not values & said for values in numbers(question)):
        return False
    return ev.dense >= STATES_MIN.get(language(question), max(STATES_MIN.values()))


def in_their_language(a: Answer, q: str, english: str | None, generator: Any, translate: bool = False) -> Answer:
    """``a`` translated into the language ``q`` was asked in, when ``translate`` is on and it was answered
    from its English translation ``english``; else ``a`` with a notice, in that language, saying why not."""
    lang = language(q)
    if lang == "en" or a.refused:
        return a
    if not translate and hasattr(generator, "complete"):
        return dataclasses.replace(a, notice=f"{a.notice} {IN_ENGLISH[lang]}".strip())
    text = into(lang, a.text, generator) if english is not None and hasattr(generator, "complete") else None
    if text is not None:
        return dataclasses.replace(a, text=text)
    tried = english is not None and hasattr(generator, "complete")
    why = "The translation did not keep every number or marker: shown in English." if tried else EXTRACTIVE_NOTICE
    return dataclasses.replace(a, notice=f"{a.notice} {why}".strip())
