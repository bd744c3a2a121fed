"""Follow-up questions → standalone questions, so retrieval sees what "it" refers to.

With an LLM generator the model rewrites the question from the conversation; without one (or if
the rewrite looks wrong) a follow-up that leans on pronouns, or is very short, borrows the words of
the previous question.  A rewrite looks wrong when it is much longer than the question, or drops a
word the user asked with: a small model asked to resolve "it" in "And what is it called in Vietnam?"
may return a question about something else altogether, and asked to resolve "它" in "它什么时候开工？" it
returned the previous question itself.  A rewrite that is the question unchanged resolved nothing, and
so did one that adds no word of the conversation ("that body" → "the body").

>>> history = [{"role": "user", "content": "Which body approved the Lao Cai railway?"}]
>>> standalone_question("When will it be finished?", history, None)
'Which body approved the Lao Cai railway? When will it be finished?'
>>> standalone_question("Nó gồm những lĩnh vực nào?", [{"role": "user", "content": "Cơ chế nào?"}], None)
'Cơ chế nào? Nó gồm những lĩnh vực nào?'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from chat.generate import NOT_FOUND
from chat.kinds import asks
from chat.words import content_words
from vectorstore.text import language, stem

__all__ = ["standalone_question", "user_turns", "meant"]

_FOLLOW_UP_WORDS = frozenset("it its they them their this that these those there he she his her".split())
# What a Vietnamese or Chinese follow-up points back with: the rewrite replaces these, and keeps the rest.
_VI_POINTERS = frozenset("nó họ đó này ấy kia chúng cái ông bà anh chị".split())
_ZH_POINTERS = frozenset("它他她们这那其此该")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SYLLABLE = re.compile(r"\w+")
# A person pointed back at: after "Who wrote the piece?", "that person", "she" and "her" are its author.
_PERSON = re.compile(r"\b(?:(?:that|this|the) (?:person|man|woman|writer|scholar|researcher)|he|she|they|him|them)\b",
                     re.I)
_PERSONS = re.compile(r"\b(?:his|her|their)\b", re.I)
REWRITE = """Rewrite the last question so that it can be understood without the conversation.
Replace pronouns such as "it" or "they" with what they refer to. Output only the rewritten question.

Conversation:
{turns}

Last question: {question}
Rewritten question:"""


def user_turns(history: Sequence[Any] | None) -> list[str]:
    """The user's earlier questions, from gradio-style message dicts or (user, bot) pairs."""
    turns = []
    for item in history or []:
        if isinstance(item, dict) and item.get("role") == "user" and isinstance(item.get("content"), str):
            turns.append(item["content"])
        elif isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
            turns.append(item[0])
    return turns


def meant(question: str, history: Sequence[Any] | None) -> str:
    """English ``question`` with the person it points back at called "the author" when the previous question
    asked who wrote the piece, so that it too is answered by the byline, not by any sentence naming a place.

    >>> history = [{"role": "user", "content": "Who wrote the Bridging Histories piece?"}]
    >>> meant("Where does that person work?", history), meant("What is her job?", history)
    ('Where does the author work?', "What is the author's job?")
    >>> meant("Where does that person work?", [{"role": "user", "content": "Who hosted the visit?"}])
    'Where does that person work?'
    """
    turns = user_turns(history)
    if not turns or asks(turns[-1]) != "author" or language(question) != "en":
        return question
    for pattern, name in ((_PERSON, "the author"), (_PERSONS, "the author's")):
        if m := pattern.search(question):
            return f"{question[:m.start()]}{name}{question[m.end():]}"
    return question


def _heuristic(question: str, turns: list[str]) -> str:
    words = {w.strip("?.,!").lower() for w in question.split()}
    if words & (_FOLLOW_UP_WORDS | _VI_POINTERS) or set(question) & _ZH_POINTERS or len(words) <= 4:
        return f"{turns[-1]} {question}"
    return question


def _keeps(question: str, rewritten: str) -> bool:
    """Whether ``rewritten`` still asks with every content word of English ``question`` (by stem).

    >>> _keeps("When is it supposed to be finished?", "When is the railway supposed to be finished?")
    True
    >>> _keeps("And what is it called in Vietnam?", "What is the railway line called?")
    False
    >>> _keeps("它什么时候开工？", "老街—河内—海防铁路什么时候开工？"), _keeps("它什么时候开工？", "越南国会批准了哪个铁路项目？")
    (True, False)
    >>> _keeps("Nó nằm ở đâu?", "Cửa khẩu thông minh nằm ở đâu?"), _keeps("Nó nằm ở đâu?", "Dự án là gì?")
    (True, False)
    """
    lang = language(question)
    pointers = _ZH_POINTERS if lang == "zh" else _VI_POINTERS if lang != "en" else frozenset()
    return _words(question, lang) - pointers <= _words(rewritten, lang)


def _words(text: str, lang: str) -> set[str]:
    """What a question in ``lang`` asks with: Chinese characters (no spaces), Vietnamese syllables in any
    case, or English content words by stem."""
    if lang == "zh":
        return set(_CJK.findall(text))
    if lang != "en":
        return set(_SYLLABLE.findall(text.lower()))
    return {stem(w) for w in content_words(text)}


def _resolves(question: str, rewritten: str, turns: list[str]) -> bool:
    """Whether ``rewritten`` brings in a word of the conversation that ``question`` lacks: what "it" or "that
    body" points back at was said in an earlier turn, so a rewrite that adds none of its words resolved
    nothing ("How is that body described?" → "How is *the* body described?").

    >>> turns = ["Which body approved the railway project?"]
    >>> _resolves("How is that body described?", "How is the body described?", turns)
    False
    >>> _resolves("When is it due?", "When is the railway due?", turns)
    True
    >>> _resolves("它什么时候开工？", "铁路什么时候开工？", ["哪个铁路项目获批？"])
    True
    """
    lang = language(question)
    said = set().union(*(_words(t, lang) for t in turns))
    return bool((_words(rewritten, lang) - _words(question, lang)) & said)


def standalone_question(question: str, history: Sequence[Any] | None, generator: Any) -> str:
    """``question`` made standalone using ``history`` (unchanged when there is no history)."""
    turns = user_turns(history)
    if not turns:
        return question
    complete = getattr(generator, "complete", None)
    if complete is not None:
        try:
            prompt = REWRITE.format(turns="\n".join(f"User: {t}" for t in turns[-3:]), question=question)
            lines = [ln.strip() for ln in complete(prompt).strip().splitlines() if ln.strip()]
            rewritten = lines[0].strip('"“” ') if lines else ""
            # A sane rewrite is a question of similar size; anything else is the model wandering off.
            if rewritten and rewritten != question.strip() and len(rewritten) <= 3 * len(question) + 200 \
                    and NOT_FOUND not in rewritten and _keeps(question, rewritten) \
                    and _resolves(question, rewritten, turns[-3:]):
                return rewritten
        except Exception:  # an unreachable server must not break the conversation
            pass
    return _heuristic(question, turns)
