"""The kind of answer a question asks for — a date, a number, a duration, who wrote the piece — and whether a
sentence holds it, in English, Vietnamese and Chinese.

"When …?", "bao giờ …?" and "什么时候…？" are answered only by a sentence that states a date (not the
dateline a search snippet opens with); "how many …?", "bao nhiêu …?", "多少…？" only by one that states
a number other than a year ("construction begins in 2025" counts nothing); "how long …?" by either;
"on what date …?", "ngày nào", "哪天" by a day, not a month or a year ("by the end of 2025" gives none); "what
year …?", "năm nào", "哪一年" by a year.

>>> asks("When will the tram open?"), asks("Dự án bao giờ khởi công?"), asks("今年是建交多少周年？")
('date', 'date', 'number')
>>> asks("On what date will it open?"), holds("day", "It opens in May 2026."), holds("day", "It opens on May 4.")
('day', False, True)
>>> holds("date", "Construction begins in 2025."), holds("number", "Construction begins in 2025.")
(True, False)
>>> holds("date", "Khởi công vào tháng 12."), holds("date", "8月开工。"), holds("duration", "since 1950")
(True, True, True)
>>> holds("duration", "They spoke by phone on January 15."), holds("duration", "Xi visited on April 14-15.")
(False, True)
>>> holds("duration", "It signed 40 deals."), holds("duration", "It has been the top partner for two decades.")
(False, True)
"""

from __future__ import annotations

import functools
import re

from chat.sentences import undated
from chat.wordnet import has_length
from chat.words import WORD, ends_noun_phrase, fold, numbers, word_classes
from vectorstore.text import language, unaccented

__all__ = ["asks", "author_asked", "holds", "dated", "counted", "countable", "exact", "keywords", "unasked",
           "length_asked", "QUESTION_WORDS", "COST_ASKED", "TIME_UNITS"]

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# English words that date something (a regex alternation, case-insensitive).
DATE_WORDS = rf"1[89]\d\d|20\d\d|{_MONTHS}|today|yesterday|last (week|month|year)|next (week|month|year)"

# Nouns that name an amount: "what is the total *investment*" asks for a figure, as "how much" does.
_AMOUNTS = r"(?:cost|price|value|budget|investment|amount|population|size|length|distance|height|weight|area|" \
           r"capacity|revenue|speed|total)s?"
# What opens a yes/no question, and what makes a line a question rather than keywords ("railway cost").
QUESTION_WORDS = ("what", "which", "who", "whom", "whose", "when", "where", "why", "how")
_AUXILIARY = r"(?:is|are|was|were|do|does|did|can|could|will|would|has|have|had|should)"
_QUESTION = rf"(?:.*\b(?:{'|'.join(QUESTION_WORDS)})\b|\s*(?:{_AUXILIARY}|tell|list|give|name|describe|explain|show)\b)"
# "What will the tram cost?" asks for a sum, as "how much" does (a regex, case-insensitive).
COST_ASKED = r"^\s*what\b[^?]*\bcost\W*$"
# Question words, by the kind of answer they ask for; the first kind that matches is the one asked.
_ASKS = (
    # A day, not just a month or a year: "what date …", "ngày nào", "哪天".
    ("day", re.compile(r"\b(?:what|which) (?:day|date)\b|\bon what date\b|"
                       r"\bwhat (?:is|was|will be) the (?:\w+ )?date\b|\bngày (?:nào|mấy\b)|哪[一几]?[天日]|"
                       r"几月几[日号]|几号", re.I)),
    # A year: "what year …", "năm nào", "哪一年", answered by a year, not "January 15" nor "this Year of …".
    ("year", re.compile(r"\b(?:what|which) year\b|\bnăm nào|哪一?年", re.I)),
    ("date", re.compile(r"^\s*when\b|\bwhat (?:month|time)\b|bao giờ|khi nào|lúc nào|"
                        r"\b(?:tháng|thời điểm) nào|\btháng mấy\b|什么时候|何时|几月|哪个月|什么时间|什么日子",
                        re.I)),
    # Typed as keywords, with no question word: "railway completion date"; or a yes/no question about a date:
    # "Has a date been set for …?" is answered "yes" only by a sentence that gives one.
    ("date", re.compile(rf"^(?!{_QUESTION})[^?]*\b(?:dates?|timing|timeline)\W*$|"
                        rf"^\s*{_AUXILIARY}\b[^?]*\b(?:a|the|any) (?:date|deadline|timeline|timetable)\b", re.I)),
    ("duration", re.compile(r"\bhow long\b|bao lâu|多久|多长时间", re.I)),
    ("number", re.compile(rf"^(?!{_QUESTION})(?:(?:the )?(?:number|amount) of\b|[^?]*\b{_AMOUNTS}\W*$)", re.I)),
    ("number", re.compile(r"\bhow (?:many|much|far|big|large|old|fast|tall|high|deep|wide|heavy)\b|"
                          rf"\bwhat (?:number|share|percentage)\b|{COST_ASKED}|"
                          rf"\bwhat (?:is|was|are|were|will be) (?:the|its|their) (?:[\w-]+ ){{0,2}}?{_AMOUNTS}\b|"
                          r"bao nhiêu|\bmấy\b|多少|(?<!哪)几|多[长远大高重]", re.I)),  # 哪几个: "which ones"
    # Who wrote the piece: its byline or author's note ("The author is a research fellow at …").
    # Not "what does the author argue …?", which asks what the piece says.
    ("author", re.compile(r"\bwho(?: wrote| penned| authored|(?: is| was|['’]s) the (?:author|writer))\b|"
                          r"\bby whom\b[^?]*\b(?:written|penned|authored)\b|\b(?:written|penned|authored) by whom\b|"
                          r"\bwho (?:is|was) (?:it|the [^?]+?) (?:written|penned|authored) by\b|"
                          r"\b(?:author|writer)['’]s (?:job|affiliation|employer|institution|position|title|"
                          r"background|occupation|profession|identity)\b|"
                          r"\bwhere (?:is|does|did) the (?:author|writer)\b|\bai (?:viết|là tác giả)\b|"
                          r"\b(?:tác giả|người viết)\b[^?]*(?:\bai\b|công tác|làm việc)|谁写|作者[^?？]*(?:谁|身份|哪)", re.I)),
)
_AUTHOR = re.compile(r"\b(?:author|writer|columnist|contributor)s?\b|\bwritten by\b|\btác giả\b|作者", re.I)
# Today and yesterday (and, in Chinese, tomorrow): both a date and a day.
_VI_TODAY, _ZH_TODAY = r"\bhôm (?:nay|qua)\b", "[今昨明]天"
# A date, in English ("soon" too: "construction expected to commence soon" dates it), Vietnamese ("tháng 8",
# "tháng Tư", "năm ngoái") or Chinese ("8月", "2025年", "八月", "去年", "即将").
_VI_DATE = (r"\b(?:tháng|ngày|năm) \d|\btháng (?:giêng|chạp|một|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)\b|"
            rf"\b(?:năm|tháng|tuần) (?:nay|ngoái|trước|sau|tới)\b|{_VI_TODAY}|\bsắp tới\b")
_ZH_DATE = rf"\d\s*[年月日]|[一二三四五六七八九十]+月|[今去明前]年|[上下本]个?月|{_ZH_TODAY}|近日|即将|年[底初]|月[底初]"
_DATE = re.compile(rf"\b(?:{DATE_WORDS}|soon)\b|{_VI_DATE}|{_ZH_DATE}", re.I)
_ABBREVIATED = rf"{_MONTHS}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
# A day of a month or week: "April 14", "14th of April", "6/19/2020", "Monday", "ngày 15", "1月15日", "星期一".
# A range of days is one date: "April 14-15", "from April 14 to 15", "14–15 April".
_DAY = re.compile(rf"\b(?:{_ABBREVIATED})\.? \d{{1,2}}(?:st|nd|rd|th)?"
                  r"(?:\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?|\s+to\s+\d{1,2}(?:st|nd|rd|th)?(?=[,.;)]|\s+\d{4}\b|$))?\b|"
                  rf"\b(?:\d{{1,2}}\s*[-–]\s*)?\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_ABBREVIATED})\b|"
                  r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|"
                  rf"\b(?:today|yesterday|tomorrow)\b|\bngày \d{{1,2}}\b|{_VI_TODAY}|\bngày mai\b|"
                  rf"\bthứ (?:hai|ba|tư|năm|sáu|bảy)\b|\bchủ nhật\b|\d{{1,2}}\s*[日号]|[一二三四五六七八九十]+[日号]|{_ZH_TODAY}|"
                  r"星期[一二三四五六日天]|周[一二三四五六日]", re.I)
# Words that date something only vaguely: they hold a date, but any real date answers *when* better.
_VAGUE_DATE = re.compile(r"\bsoon\b|\bsắp tới\b|即将|近日", re.I)
# A count in Chinese numerals and a measure word ("两个多小时", "三座"), or in Vietnamese number words ("hai",
# "một phần tư"; not "một", also "a", nor "năm", also "year"), as English number words count.  In lower case
# only: "Hai Phong" and "Ba Dinh" are names.
_WORD_COUNT = re.compile(r"[零一二两三四五六七八九十百千万亿]+[多余]?[个名人次亩年天周位座项份条张台辆艘吨元倍]|"
                         r"\b(?:hai|ba|bốn|sáu|bảy|tám|chín|mười|trăm|nghìn|ngàn|triệu|tỷ|nửa|"
                         r"phần (?:tư|ba|năm|mười))\b")
# A year standing alone ("in 2025"), not an amount written like one ("2025 tonnes", "$2025", "2,025").
_YEAR = re.compile(r"(?<![0-9A-Za-z$€£¥,.])(?:1[89]\d\d|20\d\d)(?![0-9A-Za-z]|[,.]\d|\s*(?:%|percent|thousand|million|"
                   r"billion|trillion|[a-z]*met|km|kg|ton|people|tri[eệ]u|t[iỷ]|万|亿|人))", re.I)

# A number word capitalised inside a sentence is part of a name ("the “Two Corridors, One Belt” framework").
_CAPITAL_NUMBER = re.compile(r"\b(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Twelve|Twenty|Hundred|Thousand|"
                             r"First|Second|Third|Fourth|Fifth)\b")


def _unnamed(text: str) -> str:
    """``text`` without the number words that are parts of names (not those opening a sentence)."""
    def keep(m: re.Match) -> str:
        before = text[:m.start()].rstrip(" “\"‘'(")
        return m.group(0) if not before or before[-1] in ".!?…:" else " "
    return _CAPITAL_NUMBER.sub(keep, text)


# The same questions typed without accents ("bao nhieu", "nam nao"), read only in Vietnamese typed so: bare,
# "mấy" is also "máy" (a machine), so an accented question keeps the patterns as written.
_BARE_ASKS = tuple((kind, re.compile(unaccented(pattern.pattern), pattern.flags)) for kind, pattern in _ASKS)


# "How long is the railway?", "How long will the bridges be?": the thing whose length may be asked.
_HOW_LONG_IS = re.compile(r"^\s*how long (?:(?:is|are|was|were) (?P<now>[^?]*)|will (?P<then>[^?]*?) be\W*$)", re.I)


@functools.lru_cache(maxsize=1024)  # asks() reads the same question once per candidate sentence
def length_asked(question: str) -> bool:
    """Whether ``question`` asks how long a thing or a place is ("the railway", "the border between …"), a
    length, not a time ("How long was the visit?").

    >>> length_asked("How long is the Lao Cai-Hanoi-Hai Phong railway?"), length_asked("How long was the visit?")
    (True, False)
    """
    m = _HOW_LONG_IS.match(question)
    head = None
    for word in WORD.findall((m.group("now") or m.group("then") or "") if m else ""):
        w = fold(word)
        if word[:1].isupper() or w in ("the", "a", "an", "its", "their", "this", "that", "new"):
            continue  # names, and what opens the phrase
        if ends_noun_phrase(w):
            if head:
                break
            continue  # "the Gulf *of* Tonkin coastline"
        if "NOUN" in word_classes(w):
            head = w
    return head is not None and has_length(head)


def asks(question: str) -> str | None:
    """"day", "year", "date", "duration", "number" or "author": the kind of answer ``question`` asks for, or None.

    >>> asks("Tuyen duong sat hoan thanh nam nao?"), asks("What may happen next?")
    ('year', None)
    """
    if length_asked(question):
        return "number"  # a length: "How long is the railway?" is not answered by "completed by 2030"
    found = next((kind for kind, pattern in _ASKS if pattern.search(question)), None)
    if found is None and unaccented(question) == question and language(question) == "vi":
        return next((kind for kind, pattern in _BARE_ASKS if pattern.search(question)), None)
    return found


def keywords(question: str) -> bool:
    """Whether ``question`` is typed as keywords ("railway ticket price"), with no question word, no verb
    opening it and no question mark: then a word that may be a noun is one.

    >>> keywords("railway ticket price"), keywords("Is there a ticket price?"), keywords("show the price")
    (True, False, False)
    """
    return "?" not in question and "？" not in question and not re.match(_QUESTION, question, re.I)


def author_asked(question: str) -> re.Match | None:
    """Where ``question`` asks who wrote the piece, or None: a byline answers "the author's *affiliation*"
    without the word.

    >>> author_asked("What is the author's affiliation?").group(0), author_asked("When did the author write it?")
    ("author's affiliation", None)
    """
    return dict(_ASKS)["author"].search(question) if asks(question) == "author" else None


def holds(kind: str | None, text: str) -> bool:
    """Whether ``text`` holds an answer of ``kind`` (any text holds an answer of no particular kind)."""
    if kind == "date":
        return dated(text)
    if kind == "day":
        return bool(_DAY.search(undated(text)))
    if kind == "year":
        return bool(_YEAR.search(undated(text)))
    if kind == "number":
        return counted(text)
    if kind == "duration":
        if language(text) != "en":
            return counted(text) or dated(text)
        text = undated(text)
        return bool(_LENGTH.search(text)) or (bool(_DATE.search(text)) and _spanned(text))
    if kind == "author":
        return bool(_AUTHOR.search(text))
    return True


# What makes English dates a length of time: a start or an end ("since 1950", "from 2026", "from 2021 to
# 2025"), a range of days ("April 14-15"), or two dates ("begin by 2025 … completed by 2030"); not "on January 15".
_SPAN = re.compile(r"\b(?:since|until|till|between)\b|\bfrom\b[^.;]*\b(?:to|until|through)\b|"
                   rf"\bfrom (?:(?:the )?(?:end|start|beginning|middle) of )?(?:early |late )?(?:1[89]\d\d|20\d\d|"
                   rf"(?:{_ABBREVIATED})\b)|\b\d{{1,2}}(?:st|nd|rd|th)?\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?\b", re.I)


# Units of time, singular and plural: what a length of time counts.
TIME_UNITS = frozenset("""year years month months week weeks day days decade decades century centuries hour hours
    minute minutes""".split())
# A length of time in so many words: "two decades", "75 years", "an hour", "four consecutive years".
_LENGTH = re.compile(r"\b(?:\d[\d,.]*|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
                     r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|several|many|few)\s+"
                     rf"(?:[\w-]+\s+)?(?:{'|'.join(sorted(TIME_UNITS, key=len, reverse=True))})\b", re.I)


def _spanned(text: str) -> bool:
    """Whether English ``text``, its dateline taken off, gives a length of time by its dates (see ``_SPAN``)."""
    return bool(_SPAN.search(text)) or len({m.group(0) for m in _DATE.finditer(text)} - {"soon"}) >= 2


# A figure as written: "40", "1,100", "3.5", "2025", "40多份" (Chinese writes no space after it), not "G20".
_FIGURE = re.compile(r"(?<![A-Za-z\d.,])\d+(?:[.,]\d+)*(?![A-Za-z\d])")


def unasked(question: str, text: str) -> str:
    """``text`` with the days and figures ``question`` itself gives blanked out: they cannot be its answer
    ("How long did the *January 15* call last?" is not answered by "their call on January 15").  A year
    stays: "When in 2025 will it begin?" is answered by "by the end of 2025".

    >>> unasked("How long did the January 15 call last?", "They spoke on January 15 for an hour.")
    'They spoke on   for an hour.'
    >>> unasked("When in 2025 will the 40 projects begin?", "All 40 begin by the end of 2025.")
    'All   begin by the end of 2025.'
    """
    given = {m.group(0).casefold() for pattern in (_DAY, _FIGURE) for m in pattern.finditer(question)
             if not _YEAR.fullmatch(m.group(0))}
    text = undated(text)  # first: "Mar 3, 2014 ..." stays a dateline when "Diablo 3" is asked about
    for value in sorted(given, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z\d.,]){re.escape(value)}(?![A-Za-z\d]|[.,]\d)", " ", text, flags=re.I)
    return text


def dated(text: str) -> bool:
    """Whether ``text`` states a date, not counting its dateline."""
    return bool(_DATE.search(undated(text)))


def exact(kind: str | None, text: str) -> bool:
    """Whether ``text`` holds an answer of ``kind`` in so many words: for a date, one other than "soon".

    >>> exact("date", "Construction is expected to commence soon."), exact("date", "It opens by the end of 2025.")
    (False, True)
    """
    if kind == "date":
        return dated(_VAGUE_DATE.sub(" ", text))
    return holds(kind, text)


def counted(text: str) -> bool:
    """Whether ``text`` states a number other than a year, a day of a date ("Apr. 14"), its dateline or a
    name's ("Two Corridors").

    >>> counted("The “Two Corridors, One Belt” framework grew."), counted("Two crops were licensed.")
    (False, True)
    >>> counted("Leaders met in Hanoi, Apr. 14, 2025."), counted("Leaders signed 40 deals on Apr. 14.")
    (False, True)
    """
    text = undated(text)
    return bool(numbers(countable(text))) or bool(_WORD_COUNT.search(text))


def countable(text: str) -> str:
    """``text`` with what holds a number but counts nothing blanked out: years, days of dates, number words
    inside names ("Two Corridors").

    >>> countable("On April 14-15, 2025, the “Two Corridors” plan listed 40 projects.")
    'On  ,  , the “  Corridors” plan listed 40 projects.'
    """
    return _unnamed(_YEAR.sub(" ", _DAY.sub(" ", text)))
