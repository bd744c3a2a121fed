"""What a count counts: "How many tourists visit each year?" is not answered by "the visit on April 14-15"
nor "How many of the 300 tasks are done?" by "300 tasks to be completed in the next five years".

A sentence answers "how many *X*" when it writes a number the question does not, and the noun phrase after
that number holds X or a word for it ("40 cooperation *deals*" for "agreements": the same stem, a WordNet
relative or a MiniLM near-synonym).  English puts the counted noun right after the number: "the 12 km tram
carries riders" counts kilometres, not riders.  A count of years, days or times is left to ``chat.kinds``:
"for over two decades", "his fourth visit" answer those without the word.

>>> counted_nouns("How many of the 300 reform tasks has China completed?")
('reform', 'tasks')
>>> counts("How many of the 300 reform tasks are done?", "It lists 300 reform tasks for the next five years.", None)
False
>>> counts("How many railway links were agreed?", "They agreed on three cross-border railway projects.", None)
True
>>> counts("How many of the deals concern rail?", "It signed 40 deals.", None)
False
>>> counts("How many of the deals concern rail?", "Of the 40 deals signed, 12 of the deals concern rail.", None)
True
>>> counted_nouns("How many years has it lasted?"), counted_nouns("How many were signed?")
(None, None)
>>> counts("How much will it cost?", "It has 3 stations.", None), counts("How much did it cost?", "It cost $3m.", None)
(False, True)
>>> counts("How fast will it run?", "It is the first line.", None), counts("How fast?", "It runs at 160 km/h.", None)
(False, True)
>>> counts("What will the tram cost?", "It has 3 stations.", None), counts("What did it cost?", "It cost $3m.", None)
(False, True)
>>> counts("What is the exact value of trade?", "Trade surpassed $200 billion.", None)
False
"""

from __future__ import annotations

import re
from typing import Any

from chat.hedges import EXACT, hedge
from chat.kinds import COST_ASKED, TIME_UNITS, countable, length_asked
from chat.sentences import undated
from chat.wordnet import related
from chat.words import WORD, digits_written, ends_noun_phrase, fold, near, number_spans, word_classes
from vectorstore.text import stem

__all__ = ["counted_nouns", "counts", "WINDOW"]

WINDOW = 6  # words after a number that may name what it counts ("three cross-border standard-gauge railway projects")
_OWNER = r"(?:the|these|those|its|their|his|her)"  # "how many of *the* …", "12 of *their* …"
_HOW_MANY = re.compile(rf"\bhow many\s+(?:of\s+{_OWNER}\s+)?(?P<phrase>[^?,.;:!]*)", re.I)
# A part of a whole: "how many *of the* agreements …" is answered by "12 of the agreements", not "40 agreements".
_PART = re.compile(rf"\bhow many\s+of\s+{_OWNER}\b", re.I)
_OF = re.compile(rf"\s*of\s+(them\b|(?:{_OWNER}\s+)?)", re.I)
_EXACT_ASKED = re.compile(r"\b(?:exact|exactly|precise|precisely)\b", re.I)
# "How much money …", "what is the cost …": a sum of money answers, not "three railway projects".
_MONEY_ASKED = re.compile(r"\bhow much (?:money|funding|funds|investment|capital|aid|financing|cash)\b|"
                          r"\bhow much\b[^?]*\b(?:cost|costs|spend|spent|invest|invested|pay|paid|earn|earned)\b|"
                          r"\bwhat (?:is|was|are|were|will be) (?:the|its|their) (?:[\w-]+ )?"
                          rf"(?:cost|price|budget|value)s?\b|{COST_ASKED}", re.I)
_CURRENCY = re.compile(r"[$€£¥₫]\s*\d|"
                       r"\d[\d,.]*\s*(?:million |billion |trillion )?(?:dollars?|yuan|dong|euros?|usd|vnd|rmb|cny)\b|"
                       r"\b(?:usd|vnd|rmb|cny|us\$)\s*\d", re.I)
# "How fast …", "what is the top speed …": a measure answers, a number with its unit ("160 km/h"), not "three
# projects" nor "the first port".
_MEASURE_ASKED = re.compile(r"\bhow (?:fast|far|tall|high|deep|wide|heavy)\b|"
                            r"\bwhat (?:is|was|are|were|will be) (?:the|its|their) (?:[\w-]+ )?"
                            r"(?:speed|length|distance|height|weight|area|depth|width)s?\b", re.I)
_UNIT = re.compile(r"\d[\d,.]*\s*(?:million |billion )?(?:%|percent|per cent|km|kilomet(?:er|re)s?|miles?|mph|kph|"
                   r"met(?:er|re)s?|m|cm|mm|feet|foot|ft|tonnes?|tons?|kg|kilograms?|hectares?|ha|square|sq|acres?|"
                   r"hours?|minutes?|knots?)\b", re.I)
# Counts a duration or an ordinal answers without the word ("two decades", "the fourth visit").
_TIMES = TIME_UNITS | {"time", "times"}


def counted_nouns(question: str) -> tuple[str, ...] | None:
    """The nouns, folded, of what an English "how many" ``question`` counts, or None when it counts no named
    thing, or time."""
    m = _HOW_MANY.search(question)
    if m is None:
        return None
    nouns: list[str] = []
    for word in WORD.findall(m.group("phrase")):
        w = fold(word)
        if w[:1].isdigit() or word[:1].isupper():
            continue  # "the 300 tasks", "Chinese tourists": the number and the names are no count's noun
        if ends_noun_phrase(w):
            break
        classes = word_classes(w)
        if "NOUN" in classes or not classes:
            nouns.append(w)
    if not nouns or nouns[-1] in _TIMES:
        return None
    return tuple(nouns)


def counts(question: str, text: str, embedder: Any) -> bool:
    """Whether ``text`` counts what ``question`` asks how many of, or states the sum of money or the measure it
    asks for, unhedged where it asks for an exact one (True when it asks for no such thing)."""
    norm, spans = number_spans(countable(undated(text)))
    found = _answers(question, norm, spans, embedder)
    if found is None:
        return True
    if _EXACT_ASKED.search(question):
        found = [(start, end) for start, end in found if hedge(norm, start, end) in (None, EXACT)]
    return bool(found)  # "more than 40" gives no exact number


def _answers(question: str, norm: str, spans: list, embedder: Any) -> list[tuple[int, int]] | None:
    """Where in ``norm`` the numbers are that answer ``question``, or None when it asks for no count, sum or
    measure."""
    if _MONEY_ASKED.search(question):
        unit = _CURRENCY
    elif _MEASURE_ASKED.search(question) or length_asked(question):
        unit = _UNIT
    else:
        nouns = counted_nouns(question)
        if nouns is None:
            return None if not _EXACT_ASKED.search(question) else [(start, end) for start, end, _ in spans]
        given = set().union(*digits_written(question))
        counting = [(start, end, values) for start, end, values in spans
                    if any(_same(noun, w, embedder) for noun in nouns for w in _phrase(norm[end:]))]
        found = [(start, end) for start, end, values in counting if not values <= given]  # the question's own: none
        if _PART.search(question) and len(counting) < 2:
            # "How many of the agreements …": "more than 40 agreements" counts the whole, unless a part is
            # counted beside it ("Of the 300 tasks, 120 tasks …") or as one ("12 of them", "12 of the deals").
            found = [(start, end) for start, end, values in spans if not values <= given
                     and (of := _OF.match(norm, end)) and (of.group(1) == "them" or any(
                         _same(noun, w, embedder) for noun in nouns for w in _phrase(norm[of.end():])))]
        return found
    return [m.span() for m in unit.finditer(norm)]


def _phrase(text: str) -> list[str]:
    """The folded words of the noun phrase ``text`` opens: up to ``WINDOW`` nouns and adjectives ("cooperation
    agreements"), ended by a function word or a verb ("40,000 riders *a* day", "the 12 km tram *will* …")."""
    out = []
    for word in WORD.findall(text)[:WINDOW]:
        w = fold(word)
        if ends_noun_phrase(w):
            break
        out.append(w)
    return out


def _same(noun: str, word: str, embedder: Any) -> bool:
    return stem(noun) == stem(word) or related(noun, word) or near(noun, [word], embedder)
