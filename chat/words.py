"""Words as facts: folding, numbers, names, the words that name things, near-synonyms.

Shared by claim verification (``chat.verify``: does the evidence state the claim?) and answerability
(``chat.answerable``: does a sentence answer the question?), which must agree on what a number, a
name and a thing are.

>>> numbers("over two decades, $200 billion, the fourth visit")
[frozenset({2.0, 20.0}), frozenset({200000000000.0}), frozenset({4.0})]
>>> content_words("Yes, the council has approved the tram line.")
['council', 'approved', 'tram', 'line']
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from chat.lexicon import lexicon
from chat.vectors import cosine, embed_cached
from vectorstore.text import STOPWORDS
from vectorstore.text import fold as fold_text

__all__ = ["fold", "tokens", "numbers", "number_spans", "codes", "codes_written", "digits_written", "content_words",
           "word_classes", "gradable", "is_thing", "near", "FUNCTION", "NEGATION", "SEATS", "NEAR_MIN", "same_name",
           "only_in_bodies", "spelled_out", "noun_lemmas", "LIGHT_VERBS", "COUNTRIES", "AUXILIARIES",
           "ends_noun_phrase", "CO"]

NEAR_MIN = 0.6  # MiniLM cosine of two words that counts as a near-synonym (chosen on dev halves; see docs)

_UNITS = {"zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
          "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12}
# "one" is left out: far more often a pronoun ("one of", "the one that") than a count.
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# A scale written onto the digits, as headlines do ("$3bn", "2.5tn"); "3m" may be millions or metres.
_ABBREVIATED = {"bn": (1e9,), "tn": (1e12,), "trn": (1e12,), "mn": (1e6,), "m": (1e6, 1)}
# Units written onto the digits ("a 3km road"): the number is the digits, and no code ("G20") is meant.
_ATTACHED_UNITS = "km|kg|cm|mm|mw|gw|kw|kwh|mph|ha"
_NUMBER = re.compile(
    r"(?<![\w.])(\d[\d,]*(?:\.\d+)?|" + "|".join(_UNITS) + "|" + "|".join(_ORDINALS) + r")"
    r"(?:st|nd|rd|th|(?<=\d)(" + "|".join(_ABBREVIATED) + r")|(?<=\d)(?:" + _ATTACHED_UNITS + r"))?"
    r"(?:\s+(hundred|thousand|million|billion|trillion))?(?:\s+(decades?))?(?!-way|-sided)\b",
    re.I)
_PLUS = re.compile(r"(?<![\w+])\w+(?:\+\w+)+(?![\w+])")  # "3+3", "ASEAN+3"
_CODE = re.compile(r"(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]+")  # "g20", "5a", "q1" (folded)
# Digits with letters that still make a number, not a code: "14th", "1980s", "3bn", "3km".
_NUMBER_TOKEN = re.compile(r"\d+(?:st|nd|rd|th|s|" + "|".join(_ABBREVIATED) + "|" + _ATTACHED_UNITS + ")")
# Where digits touch Chinese characters ("约15万居民"): no word boundary there, so a space is put in.
_CJK_EDGE = re.compile(r"(?<=[\u3000-\u9fff])(?=\d)|(?<=\d)(?=[\u3000-\u9fff])")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
# Capitalised at the start of a sentence, never names.
FUNCTION = frozenset("""a an and also according after all although among another any as at because before both but
    by despite during each either for from further however if in into it its more most neither no nor not of on
    once only or other our over since so some such than that the their there these they this those though through
    to under until up what when where whether which while who why with within without yes yet he she him her his
    hers we us you your my me them its""".split())
# Words about the text rather than its facts ("the article says"): never a new claim.
_META = frozenset("""according also article articles author describes described say says said mention mentions
    mentioned note notes noted report reports reported state states stated evidence passage text highlight
    highlighted""".split())
# News names a government by its capital ("Beijing agreed", "Washington's tariffs"): the capital and the
# country are one name to the answerability check and to who does what (``chat.roles``).  Folded, several
# words written as one.
SEATS = {"beijing": "china", "hanoi": "vietnam", "washington": "us usa america unitedstates", "moscow": "russia",
         "tokyo": "japan", "seoul": "korea southkorea", "pyongyang": "northkorea", "london": "uk britain",
         "paris": "france", "berlin": "germany", "brussels": "eu europeanunion", "newdelhi": "india",
         "delhi": "india", "canberra": "australia", "ottawa": "canada", "kyiv": "ukraine", "jakarta": "indonesia",
         "manila": "philippines", "bangkok": "thailand", "vientiane": "laos", "phnompenh": "cambodia",
         "taipei": "taiwan", "kualalumpur": "malaysia", "singapore": "singapore", "naypyidaw": "myanmar"}
# The countries SEATS knows, each a single folded word ("unitedstates").
COUNTRIES = frozenset(c for countries in SEATS.values() for c in countries.split())
_DEMONYM = ("ese", "ian", "an", "ish")
# Head nouns that make a name into a body of its own: "the NFL Players Association" is not the NFL.
_BODY = re.compile(r"(?:\s+[A-Z][\w'’.&-]*)*?\s+(?:Association|Foundation|Council|Committee|Commission|Federation|"
                   r"Union|League|Institute|Academy|Society|Museum|University|Trust)\b")
# Prepositions (the lexicon knows none): never a thing asked about ("what might they attempt *against* them").
_PREPOSITIONS = frozenset("""aboard about above across after against along alongside amid amidst among amongst around
    at before behind below beneath beside besides between beyond by concerning despite down during except for from in
    inside into like near of off on onto opposite outside over past per since through throughout till to toward
    towards under underneath unlike until up upon versus via with within without""".split())
# A verb and a noun that together say what a verb does ("took place": was held): the noun names no thing.
LIGHT_VERBS = re.compile(r"\b(?:tak(?:e|es|en|ing)|took)\s+(?:place|part|effect|shape|hold|turns)\b|"
                         r"\b(?:come|comes|came|coming)\s+into\s+(?:force|effect|being)\b", re.I)
# Verbs that end a which/what phrase though a lexicon also knows them as nouns ("a will", "does").
AUXILIARIES = frozenset("""will would shall should can could may might must do does did is are was were be been has
    have had""".split())
NEGATION = frozenset("not no never none neither nor without cannot n't".split())
CO = re.compile(r"\b[Cc]o-(?=\w)")  # the prefix of "co-hosted", "co-chair": no word of its own


def fold(text: str) -> str:
    """``vectorstore.text.fold`` with curly apostrophes straightened ("Vietnam’s" = "Vietnam's")."""
    return fold_text(text).replace("’", "'")


def tokens(text: str) -> list[str]:
    """Folded words, possessives kept ("vietnam's")."""
    return [fold(w) for w in WORD.findall(text)]


def numbers(text: str) -> list[frozenset[float]]:
    """Each number mentioned, as the set of values it may stand for (digits, number words, ordinals,
    scales such as "billion", and "two decades" as 2 or 20); full-width digits and digits inside Chinese
    text count too ("约１５万居民": 15)."""
    return [values for _, _, values in number_spans(text)[1]]


def number_spans(text: str) -> tuple[str, list[tuple[int, int, frozenset[float]]]]:
    """``text`` normalised (NFKC, a space where digits touch Chinese), and each number in it as ``(start,
    end, values)`` in that normalised text (see ``numbers``)."""
    norm = _CJK_EDGE.sub(" ", unicodedata.normalize("NFKC", text))
    out = []
    for m in _NUMBER.finditer(norm):
        raw, abbreviated, scale, decades = m.group(1).lower(), m.group(2), m.group(3), m.group(4)
        value = float(raw.replace(",", "")) if raw[0].isdigit() else float(_UNITS.get(raw) or _ORDINALS[raw])
        if abbreviated:
            values = frozenset(value * times for times in _ABBREVIATED[abbreviated.lower()])
        elif scale:
            values = frozenset({value * _SCALES[scale.lower()]})
        elif decades:
            values = frozenset({value, value * 10})
        else:
            values = frozenset({value})
        out.append((m.start(), m.end(), values))
    return norm, out


def codes(text: str) -> set[str]:
    """Folded words mixing letters and digits: a code names one thing ("Pixel 5" is not the "Pixel 5a"),
    so it holds no number to find; ordinals and decades ("14th", "1980s") are numbers.  Parts joined by
    "+" are one code too: the "3+3" dialogue is not "the Third" anything.

    >>> sorted(codes("Did the G20 discuss 5G in Q1, the 14th time since the 1980s?"))
    ['5g', 'g20', 'q1']
    >>> codes("越南的5G网络"), codes("mạng 5G"), sorted(codes("the “3+3” dialogue and ASEAN+3"))
    (set(), {'5g'}, ['3+3', 'asean+3'])
    """
    joined = {fold(m.group(0)) for m in _PLUS.finditer(text)}
    return joined | {t for t in tokens(text) if _CODE.fullmatch(t) and not _NUMBER_TOKEN.fullmatch(t)}


def codes_written(question: str, text: str) -> bool:
    """Whether ``text`` writes every code ``question`` does (see ``codes``); most questions have none.

    >>> codes_written("When did the G20 meet?", "The G20 met."), codes_written("When did the G7 meet?", "The G20 met.")
    (True, False)
    """
    wanted = codes(question)
    return not wanted or wanted <= set(tokens(text)) | codes(text)


def digits_written(question: str) -> list[frozenset[float]]:
    """The numbers ``question`` writes in digits: a count in words ("which two crops") asks, it names nothing.

    >>> digits_written("Super Bowl 2021, the 14th congress, which two crops, $3 billion, the G20, Pixel 5a")
    [frozenset({2021.0}), frozenset({14.0}), frozenset({3000000000.0})]
    """
    norm, spans = number_spans(question)  # as a passage's numbers are read: "G20", "5G", "MH370" hold none
    return [values for start, _, values in spans if norm[start].isdigit()]


def content_words(text: str) -> list[str]:
    """Folded words that may carry a fact: no function, meta, number or negation words, nor the "co" of
    "co-hosted" (who hosted together hosted)."""
    return [t for t in tokens(CO.sub("", text)) if len(t) > 1 and t not in STOPWORDS and t not in FUNCTION
            and t not in _META and not t[0].isdigit() and t not in _UNITS and t not in _ORDINALS and t not in NEGATION
            and t not in _SCALES]


@functools.lru_cache(maxsize=50_000)
def word_classes(word: str) -> frozenset[str]:
    """The parts of speech an English lexicon knows ``word`` as (empty for names and rare words).  The
    lexicon knows open classes only, so prepositions are added ("against", "via"), and a verb form it
    lacks of a word it knows ("trialling", British for "trialing") is a verb.

    >>> sorted(word_classes("against")), sorted(word_classes("trialling")), sorted(word_classes("jinping"))
    (['ADP'], ['VERB'], [])
    """
    classes = frozenset(lexicon().getAllLemmas(word))
    if word in _PREPOSITIONS:
        return classes | {"ADP"}
    if classes:
        return classes
    bases = ((word[:-3], word[:-4] if word[-4:-3] == word[-5:-4] else "", word[:-3] + "e") if word.endswith("ing")
             else (word[:-2], word[:-3] if word[-3:-2] == word[-4:-3] else "", word[:-1]) if word.endswith("ed")
             else ())
    return frozenset({"VERB"}) if any(len(b) > 2 and lexicon().getAllLemmas(b) for b in bases) else classes


def ends_noun_phrase(word: str) -> bool:
    """Whether folded ``word`` cannot go on in a noun phrase: a function word, an auxiliary, or a word the lexicon
    knows only as something other than a noun or an adjective; an unknown word (a name) may go on.

    >>> [ends_noun_phrase(w) for w in ("railway", "projects", "were", "signed", "of", "haiphong")]
    [False, False, True, True, True, False]
    """
    classes = word_classes(word)
    return word in FUNCTION or word in AUXILIARIES or bool(classes and not classes & {"NOUN", "ADJ"})


def noun_lemmas(word: str) -> tuple[str, ...]:
    """``word`` and the nouns it may be a form of ("universities" → "university").

    >>> noun_lemmas("universities"), noun_lemmas("ceos")
    (('universities', 'university'), ('ceos',))
    """
    return (word, *(w for w in lexicon().getAllLemmas(word).get("NOUN", ()) if w != word))


@functools.lru_cache(maxsize=4096)
def gradable(word: str) -> bool:
    """Whether adjective ``word`` has degrees ("straight", "straighter"): it describes; a classifier
    ("technical", "retail") has none.

    >>> gradable("straight"), gradable("technical")
    (True, False)
    """
    return "JJR" in lexicon().getAllInflections(word, upos="ADJ")


def is_thing(word: str) -> bool:
    """Whether ``word`` names a thing: it can only be a noun, or no lexicon knows it (a name).

    >>> [is_thing(w) for w in ("passengers", "japan", "agreed", "deals")]
    [True, True, False, False]
    """
    return not (word_classes(word) - {"NOUN", "PROPN"})


def near(word: str, others: list[str], embedder: Any, minimum: float = NEAR_MIN) -> bool:
    """Whether ``word`` is a near-synonym of one of ``others`` (MiniLM cosine at least ``minimum``)."""
    if embedder is None or not others:
        return False
    vecs = embed_cached(embedder, [word, *others])
    return max(cosine(vecs[0], v) for v in vecs[1:]) >= minimum


# Capitalised words in a row, with the small words a name joins them by ("Law *of the* Sea").
_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|the|and|for|on)\s+)*[A-Z][\w'’-]*)*")


def same_name(a: str, b: str) -> bool:
    """Names that differ only as a country and its people ("china"/"chinese") or its capital ("beijing").

    >>> same_name("vietnam", "vietnamese"), same_name("us", "washington"), same_name("china", "japan")
    (True, True, False)
    """
    if a == b or b in SEATS.get(a, "").split() or a in SEATS.get(b, "").split():
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_[:4] == short[:4] and long_.endswith(_DEMONYM) and not short.endswith(_DEMONYM)


def spelled_out(acronym: str, text: str) -> bool:
    """Whether ``text`` writes ``acronym`` out as the initials of adjacent capitalised words, small joining
    words aside: "UN" is "United Nations", "CPC" is "Communist Party of China".

    >>> spelled_out("UN", "the 1982 United Nations Convention"), spelled_out("cpc", "the Communist Party of China")
    (True, True)
    >>> spelled_out("UN", "a united nation"), spelled_out("EU", "the European Commission")
    (False, False)
    """
    want = acronym.upper()
    for run in _CAPITALISED_RUN.finditer(text):
        initials = "".join(w[0] for w in run.group(0).split() if w[:1].isupper())
        if want in initials:
            return True
    return False


def only_in_bodies(name: tuple[str, ...], text: str) -> bool:
    """Whether ``text`` mentions the ``name`` (its folded words) only as the start of a body's own longer
    name: the president of "the NFL Players Association" is not the NFL's, nor is the CEO of "the LEGO
    Foundation" Lego's.

    >>> only_in_bodies(("nfl",), "He leads the NFL Players Association."), only_in_bodies(("lego",), "Lego's CEO")
    (True, False)
    """
    mentions = list(re.finditer(r"\b" + r"\s*".join(map(re.escape, name)) + r"\b", text, re.I))
    return bool(mentions) and all(_BODY.match(text, m.end()) for m in mentions)
