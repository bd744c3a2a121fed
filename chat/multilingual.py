"""Questions in Vietnamese or Chinese, and evidence in any of the three languages.

e5 finds and judges the evidence (``states``: no English rule can read both), for every generator.  A
model then answers in English the English translation it made of the question (``to_english``, which
also ranks the evidence), from the English (or any) evidence, so that ``chat.verify``, which reads
English, checks every claim; the answer says, in the asker's language, that it is in English.

``RAG_TRANSLATE=true`` (``ChatConfig.translate``) translates the question into English for the whole
pipeline and the verified answer back, shown only when the translation says what the English says
(``faithful``): it keeps every ``[n]`` marker and number, and translated back into English, each marked
sentence states what the English one does and the English one what it states (``chat.verify.check``
both ways), with the same name first.  Marker and number checks alone are not enough: the local 1.5B
model turned "China agreed to license Vietnamese exports" into "Việt Nam đã đồng ý …" (Vietnam agreed
…).  It is off by default because that model's translations rarely pass (see docs/performance.md); a
stronger model behind ``openai`` may do better.  The quotes always stay in the article's language.

>>> kept("Construction begins in 2025 [1].", "Công trình khởi công năm 2025 [1].")
True
>>> kept("Construction begins in 2025 [1].", "工程于2027年开工[1]。")
False
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from chat.evidence import Evidence
from chat.kinds import asks, holds, unasked
from chat.naming import names
from chat.types import Answer
from chat.verify import check
from chat.words import codes_written, numbers
from vectorstore.glosses import LANGUAGE, meets
from vectorstore.glosses import names as names_in
from vectorstore.text import language

__all__ = ["NAMES", "to_english", "into", "faithful", "in_their_language", "kept", "states", "setting_apart",
           "STATES_MIN", "EXTRACTIVE_NOTICE", "REFUSALS", "IN_ENGLISH", "UNCHECKED", "TRANSLATED"]

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
# Why a model's answer to a Vietnamese or Chinese question is in English: translation is off, or ...
IN_ENGLISH = {
    "vi": "Câu trả lời bằng tiếng Anh, đã được đối chiếu với từng đoạn trích dẫn; dịch máy đang tắt (RAG_TRANSLATE).",
    "zh": "答案为英文，已与每个引用段落逐一核对；机器翻译未开启（RAG_TRANSLATE）。",
}
# ... its translation did not pass ``faithful``.
UNCHECKED = {
    "vi": "Câu trả lời bằng tiếng Anh, đã được đối chiếu với từng đoạn trích dẫn; bản dịch không qua được bước "
          "kiểm tra dịch ngược nên không được hiển thị.",
    "zh": "答案为英文，已与每个引用段落逐一核对；译文未通过回译核对，因此未显示。",
}
# Said with a translation that passed the check.
TRANSLATED = {
    "vi": "Bản dịch máy từ câu trả lời tiếng Anh đã kiểm chứng, được kiểm tra bằng dịch ngược; trích dẫn giữ "
          "nguyên ngôn ngữ của bài báo.",
    "zh": "由已核实的英文答案机器翻译，并经回译核对；引文保留文章原文。",
}
EXTRACTIVE_NOTICE = "The extractive generator does not translate: these are the article's own sentences."
_MARKER = re.compile(r"\[(\d+)\]")
_DIGITS = re.compile(r"\d[\d,.]*")

TO_ENGLISH = """Translate this question into English. Keep every name, number and date exactly.
Output only the English question.

Question: {question}
English:"""
TRANSLATE = """Translate this text into {language}. Keep every [number] marker where it is, and keep every
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
    # A question is two words or more: a lone token ("NOT_IN_EVIDENCE") is the model doing another task.
    if len(line.split()) < 2 or language(line) != "en" or len(line) > 4 * len(question) + 100:
        return None
    return line


def _digits(text: str) -> Counter:
    return Counter(d.rstrip(".,").replace(",", "") for d in _DIGITS.findall(text))


def kept(english: str, translation: str) -> bool:
    """Whether ``translation`` keeps the markers and the numbers (as digits) of ``english``."""
    if sorted(_MARKER.findall(english)) != sorted(_MARKER.findall(translation)):
        return False
    return _digits(_MARKER.sub(" ", english)) == _digits(_MARKER.sub(" ", translation))


def _translated(text: str, into_language: str, generator: Any) -> str:
    """``text`` in ``into_language`` (a name: "English", "Vietnamese") by ``generator``'s model, as one
    line; "" when the model fails."""
    try:
        reply = generator.complete(TRANSLATE.format(language=into_language, text=text))
    except Exception:
        return ""
    return " ".join(ln.strip() for ln in reply.splitlines() if ln.strip())


def into(lang: str, text: str, generator: Any) -> str | None:
    """``text`` (a verified English answer) in ``lang`` by ``generator``'s model, or None when the model
    fails or its translation does not keep the markers and numbers (``kept``)."""
    reply = _translated(text, NAMES[lang], generator)
    if not reply or language(reply) != lang or not kept(text, reply):
        return None
    return reply


def setting_apart(question: str, pool: Sequence[Evidence]) -> list[frozenset[str]]:
    """The proper names of a Chinese question (``vectorstore.glosses.names``) that set English evidence
    apart: held, with its context, by some sentences of ``pool`` but not all (a name none holds says
    nothing of the passages; one all hold, "China", sets none apart).  ``states`` needs each of them.

    >>> ev = [Evidence("a", 0, 1, t, 0.9, 0.9, 0.0) for t in ("Lao Cai borders Yunnan.", "Hanoi hosted it.")]
    >>> [sorted(n) for n in setting_apart("老街与中国的哪个省份接壤？", ev)]
    [['cai', 'lao']]
    """
    if language(question) != LANGUAGE:
        return []
    english = [f"{ev.text} {ev.context}" for ev in pool if language(ev.text) == "en"]
    held = {name: [meets(name, text) for text in english] for name in names_in(question)}
    return [name for name, row in held.items() if any(row) and not all(row)]


def states(question: str, ev: Evidence, names: Sequence[frozenset[str]] = ()) -> bool:
    """For a question and an evidence sentence not both in English, scored by e5 (``ev.dense``, with the
    lift e5 gives the question's own language taken out, ``chat.evidence``): close enough, holding the
    kind of answer it asks for (``chat.kinds``: a date for "bao giờ", a number for "多少"), and, it or the
    sentences around it, every number and code the question writes in digits (the subject "Hội nghị Trung
    ương 3" names may be "the Third Plenary Session" of the sentence before: "The meeting … adopted …"),
    and, an English one, each of ``names`` (``setting_apart``).

    >>> ev = Evidence("a", 0, 30, "Construction is expected soon.", score=0.9, dense=0.9, lexical=0.0)
    >>> states("Bao nhiêu tiền?", ev), states("Khi nào khởi công?", ev)
    (False, True)
    """
    around = f"{ev.text} {ev.context}"
    said = set().union(set(), *numbers(around))
    if any(not values & said for values in numbers(question)) or not codes_written(question, around):
        return False
    if not holds(asks(question), unasked(question, ev.text)):
        return False
    if language(ev.text) == "en" and not all(meets(name, around) for name in names):
        return False  # "哪一天批准老街…铁路" is not answered by the day of a visit to Hanoi
    return ev.dense >= STATES_MIN.get(language(question), max(STATES_MIN.values()))


def _marked(text: str) -> list[tuple[str, str]]:
    """``text`` as (marker, the words before it) pairs, in order."""
    parts = _MARKER.split(text)
    return [(parts[i + 1], parts[i].strip(" ,;:。，；")) for i in range(0, len(parts) - 1, 2)]


def faithful(english: str, translation: str, generator: Any, embedder: Any) -> bool:
    """Whether ``translation`` says what ``english`` says, judged on ``generator``'s translation of it
    back into English: the same markers in the same order, and for each, both sides state each other
    (``chat.verify.check``: numbers, names, possessives, polarity, things) and name the same thing first."""
    back = _translated(translation, "English", generator)
    ours, theirs = _marked(english), _marked(back)
    if not ours or [m for m, _ in ours] != [m for m, _ in theirs] or not kept(english, back):
        return False
    for (_, a), (_, b) in zip(ours, theirs):
        if check(b, [a], embedder) or check(a, [b], embedder) or names(a)[:1] != names(b)[:1]:
            return False
    return True


def in_their_language(a: Answer, q: str, generator: Any, embedder: Any, translate: bool = False) -> Answer:
    """``a`` in the language ``q`` was asked in when ``translate`` is on and a model translated it
    faithfully (``faithful``), else ``a`` with a notice, in that language, saying why it is not."""
    lang = language(q)
    if lang == "en" or a.refused:
        return a
    if not hasattr(generator, "complete"):
        why = EXTRACTIVE_NOTICE
    elif not translate:
        why = IN_ENGLISH[lang]
    else:
        text = into(lang, a.text, generator)
        if text is not None and faithful(a.text, text, generator, embedder):
            return dataclasses.replace(a, text=text, notice=f"{a.notice} {TRANSLATED[lang]}".strip())
        why = UNCHECKED[lang]
    return dataclasses.replace(a, notice=f"{a.notice} {why}".strip())
