"""What the articles are about: "Summarize the articles", "What is the second article about?", "tl;dr".

Such a request names no topic, so the passages nearest its words are arbitrary ones; a news article says
what it is about first.  It is answered from each article's opening sentences (after its title and any
heading), cited like any answer.  "The second article" counts in the library's order (by file name, as
the web app lists them).  A request that names a topic ("Summarize what the articles say about the
railway") is an ordinary question.

>>> asked("What are the articles about?"), asked("Summarize the second article in two sentences.")
(True, True)
>>> asked("What does the second article say about trade?"), asked("Summarize the railway plans.")
(False, False)
>>> chosen("Summarize the second article", ["a.txt", "b.txt"]), chosen("tl;dr", ["a.txt", "b.txt"])
(['b.txt'], ['a.txt', 'b.txt'])
>>> chosen("What is the fifth article about?", ["a.txt", "b.txt"])
Traceback (most recent call last):
ValueError: the library holds 2 articles, so there is no fifth one
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from chat.evidence import Evidence
from chat.sentences import states_nothing
from chat.words import WORD, fold
from vectorstore.spans import sentence_spans
from vectorstore.text import first_line_title, title_of

__all__ = ["asked", "chosen", "leads", "summarised", "extractive", "MAX_ARTICLES", "LEAD"]

MAX_ARTICLES = 3  # articles summarised for one request: a model reads six sentences well, not sixty
LEAD = 2  # opening sentences per article
_MIN_WORDS = 5  # a shorter line is a heading or a dateline, not the opening of the story

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_WHICH = "(?:" + "|".join((*_ORDINALS, "last", "latter", "former", "two", "whole")) + ")"
_PIECE = r"(?:articles?|pieces?|stor(?:y|ies)|texts?|documents?|reports?|news)"
# The request itself, in English, Vietnamese or Chinese; what follows it must name only the articles.
_REQUEST = re.compile(
    r"^\s*(?:please\s+|can you\s+|could you\s+)?(?:"
    r"summari[sz]e|sum up|recap|tl;?\s*dr|(?:give|show|tell)(?: me)?(?: an?| the)? "
    r"(?:overview|summary|gist|rundown|recap|tl;?\s*dr)(?: of)?|(?:an? |the )?(?:overview|summary|gist)(?: of)?|"
    r"what (?:is|are|'s|’s) (?:the )?(?:main|key|central) (?:points?|ideas?|messages?|takeaways?|themes?)(?: of| in)?|"
    rf"what (?:is|are|'s|’s) (?:the |this |these |each |both )?(?:{_WHICH} )?{_PIECE} (?:about|saying)|"
    rf"what (?:do|does) (?:the |this |these |each |both )?(?:{_WHICH} )?{_PIECE} say|"
    r"tóm tắt|tổng quan|总结|概括|摘要|概述|"
    r"(?:(?:các|những|hai) )?bài (?:báo|viết)(?: này)? (?:nói|viết|đề cập)(?: về)?(?: điều| cái| những)? gì|"
    r"(?:这|那)?(?:些|两篇|篇)?文章(?:的主要内容|主要)?(?:讲|说|写|谈)?了?(?:些)?(?:什么|是什么))(?P<rest>.*)$",
    re.I | re.S)
# Words that may follow the request without naming a topic: "the second article", "both pieces in two
# sentences, please"; and the Vietnamese and Chinese for "the article(s)".
_ONLY_ARTICLES = frozenset(f"""the a an this these those each both all every of in for me us please briefly
    short shortly brief few one two three four five sentence sentences words word paragraph paragraphs bullet
    bullets points point list say says said saying about is are library corpus collection whole overall last
    latter former {' '.join(_ORDINALS)} article articles piece pieces story stories text texts document
    documents report reports news bai bao cac hai nay nhung noi dung""".split())
_CJK_FILLER = re.compile("[一下这些两篇文章的内容主要请和吧]+")


def asked(question: str) -> bool:
    """Whether ``question`` asks what the articles (or one of them) are about, naming no topic."""
    m = _REQUEST.match(question.strip())
    if not m:
        return False
    return all(fold(w) in _ONLY_ARTICLES for w in WORD.findall(_CJK_FILLER.sub(" ", m.group("rest"))))


def chosen(question: str, sources: Sequence[str]) -> list[str]:
    """The articles ``question`` asks about, in library order: those it counts ("the second", "the last"),
    else all of them.  A count past the end is a ``ValueError`` that says how many there are."""
    ordered = sorted(sources)
    places = {**{w: i for i, w in enumerate(_ORDINALS)}, "former": 0, "last": len(ordered) - 1,
              "latter": len(ordered) - 1}
    picks: dict[int, str] = {}
    for word in WORD.findall(question):
        if fold(word) in places:
            picks.setdefault(places[fold(word)], fold(word))
    for i, word in picks.items():
        if not 0 <= i < len(ordered):
            raise ValueError(f"the library holds {len(ordered)} articles, so there is no {word} one")
    return [ordered[i] for i in sorted(picks)] if picks else ordered


def leads(sources: Sequence[str], doc_text: Callable[[str], str]) -> list[Evidence]:
    """The first ``LEAD`` sentences of each of ``sources`` that state something (the title, headings and
    datelines skipped), as evidence spans of the stored text."""
    out: list[Evidence] = []
    for source in sources:
        text = doc_text(source)
        title = first_line_title(text)
        taken = 0
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            if taken == LEAD:
                break
            if sentence == title or states_nothing(sentence) or len(WORD.findall(sentence)) < _MIN_WORDS:
                continue
            out.append(Evidence(source, start, end, sentence, 1.0, 1.0, 1.0))
            taken += 1
    return out


def summarised(question: str, sources: Sequence[str], doc_text: Callable[[str], str]) -> tuple[list[Evidence], str]:
    """The opening sentences of the articles ``question`` asks about, and a notice: when it counts none and
    the library holds more than ``MAX_ARTICLES``, the first of them stand for all, and the notice says so.
    A count past the end raises ``ValueError`` (``chosen``)."""
    picked = chosen(question, sources)
    if len(picked) <= MAX_ARTICLES:
        return leads(picked, doc_text), ""
    notice = (f"The library holds {len(picked)} articles; these are the first {MAX_ARTICLES}. Ask about one "
              "by its place in the library (\"the fifth article\") for its own summary.")
    return leads(picked[:MAX_ARTICLES], doc_text), notice


def extractive(evidence: Sequence[Evidence], doc_text: Callable[[str], str]) -> str:
    """Each article's opening sentences under its name (as the web app heads it), cited ``[n]`` by evidence
    number."""
    parts: list[str] = []
    for source in dict.fromkeys(ev.source for ev in evidence):
        name = title_of(source, doc_text(source))
        said = " ".join(f"{ev.text} [{n}]" for n, ev in enumerate(evidence, start=1) if ev.source == source)
        parts.append(f"“{name}”: {said}")
    return "\n\n".join(parts)
