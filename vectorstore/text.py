"""Text folding for matching (never for storage): tokens, stop words, crude stems, the language of a text.

Vietnamese is folded to its letters without diacritics ("Đà Nẵng" and "Da Nang" match), and Chinese,
written without spaces, is tokenised into overlapping character pairs ("越南辣椒" → 越南 南辣 辣椒), which
BM25 matches much as it matches words.

>>> tokenize("What did Việt Nam export?")
['viet', 'nam', 'export']
>>> tokenize("中国同意进口越南辣椒。")
['中国', '国同', '同意', '意进', '进口', '口越', '越南', '南辣', '辣椒']
>>> [language(t) for t in ("Xi met Tô Lâm in Hà Nội.", "Khi nào tuyến đường sắt hoàn thành?", "习近平何时访问越南？")]
['en', 'vi', 'zh']
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

__all__ = ["fold", "unaccented", "tokenize", "stem", "stems", "first_line_title", "title_of", "language", "LANGUAGES",
           "STOPWORDS", "HAN_RUN"]

LANGUAGES = ("en", "vi", "zh")
_WORD = re.compile(r"\w\w+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{_HAN}]+")
_HAN_CHAR = re.compile(f"[{_HAN}]")
# Letters only Vietnamese uses among the languages we meet (French shares à é è ê ô, so those do not count).
_VI_LETTERS = re.compile("[ăâđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĩũ]", re.I)
_LETTERS = re.compile(r"[^\W\d_]+")
# Vietnamese words common in questions whose accents French shares (or that have none), not English words.
_VI_WORDS = frozenset("bao cho khi sao trong là và có gì của các được với này nào nó thì mà đâu ông bà "
                      "cái người nhiêu".split())
# A Vietnamese syllable as typed without accents: onset, one to three vowels, a coda ("nhieu", "truyen",
# "khong"); English words seldom fit ("railway", "trade", "of").  Many users type Vietnamese without accents.
_VI_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")
_UNACCENTED_SHARE = 0.85  # of the words that must fit, in a line of four words or more
_HAN_WEIGHT = 3  # Latin letters one Han character is worth: a word's worth of meaning in one or two
# A quoted title or a bracketed aside, set apart when telling the language of what is around it.
_QUOTED = re.compile(r"《[^》]*》|“[^”]*”|「[^」]*」|\"[^\"]*\"|\([^)]*\)|（[^）]*）")
_HEADING = re.compile(r"^#{1,6} +")  # a Markdown heading's marks are not part of its title
# Only the commonest function words: dropping more hurts short factual questions.
STOPWORDS = frozenset(
    "a an and are as at be by did do does for from had has have how in is it its of on or that the their "
    "this to was were what when where which who whom why will with would".split()
)


def fold(text: str) -> str:
    """``text`` for matching, never for storage: NFKC, case-folded, accents dropped.

    >>> fold("Việt Nam")
    'viet nam'
    """
    return unaccented(unicodedata.normalize("NFKC", text).casefold())


def unaccented(text: str) -> str:
    """``text`` without its accents, case kept ("Năm nào" → "Nam nao"); "đ" has none to drop, so it becomes "d".

    >>> unaccented("Đà Nẵng")
    'Da Nang'
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    # Decomposed accents (NFD) become separate combining marks: drop them for matching only.
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Lower-cased, Unicode-folded word tokens minus stop words; Chinese as character pairs."""
    out = []
    for w in _WORD.findall(HAN_RUN.sub(lambda m: f" {m.group(0)} ", fold(text))):
        if _HAN_CHAR.match(w):
            out += [w[i : i + 2] for i in range(len(w) - 1)]
        elif w not in STOPWORDS:
            out.append(w)
    return out


def language(text: str) -> str:
    """``"zh"``, ``"vi"`` or ``"en"`` (the default, also for what is neither): Chinese by its share of Han
    characters, each worth a few Latin letters; Vietnamese by its own letters or its commonest words (many
    carry only accents French shares) on a good share of the words, with no English function words among
    them (an English sentence naming "Tô Lâm in Hà Nội" stays English).  Quoted titles and bracketed
    asides are first set apart (a Chinese question may quote an English title); when what is left reads
    as English, the whole text decides (a Vietnamese sentence may be mostly a quotation).

    >>> language("《Shared Future》一文是谁写的？"), language("“Cảnh đẹp quá”, anh nói.")
    ('zh', 'vi')
    >>> language("Trung Quoc dong y cap phep cho nong san nao?"), language("Viet Nam Trade Deal Signed")
    ('vi', 'en')
    """
    outside = _QUOTED.sub(" ", text)
    if outside == text:  # nothing set apart: one reading decides (the common case, on every sentence)
        return _language(text)
    found = _language(outside) if outside.strip() else "en"
    return found if found != "en" else _language(text)


def _language(text: str) -> str:
    han, letters = len(_HAN_CHAR.findall(text)), sum(len(w) for w in _LETTERS.findall(text))
    if han and _HAN_WEIGHT * han > letters - han:
        return "zh"
    words = _LETTERS.findall(text.lower())
    if not words:
        return "en"
    vietnamese = sum(1 for w in words if _VI_LETTERS.search(w) or w in _VI_WORDS) / len(words)
    english = sum(1 for w in words if w in STOPWORDS) / len(words)
    if english >= 0.1:
        return "en"
    if vietnamese >= 0.25:
        return "vi"
    fit = len(words) >= 4 and sum(1 for w in words if _VI_SYLLABLE.fullmatch(w)) / len(words)
    return "vi" if fit >= _UNACCENTED_SHARE else "en"


def stem(word: str) -> str:
    """A crude English stem: plural/past/gerund endings off, then the first 5 letters.

    >>> [stem(w) for w in ("cities", "planned", "agree", "agreed", "passengers")]
    ['city', 'plan', 'agr', 'agr', 'passe']
    """
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    else:
        for suffix in ("ing", "ed", "es", "s"):
            if len(word) - len(suffix) >= 4 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
            word = word[:-1]
    word = word.rstrip("e") if len(word) > 3 else word
    return word[:5]


def stems(text: str) -> set[str]:
    """Content-word stems of ``text`` (see ``stem``)."""
    return {stem(w) for w in tokenize(text)}


def first_line_title(text: str, limit: int = 150) -> str:
    """A document's title: its first non-empty line (Markdown heading marks off) when at most ``limit``
    characters long, else "" (a first line that long is prose).  The one title rule: retrieval's title
    field, answerability's context and the web app's headings all use it.

    >>> first_line_title("\\n# Bridging Histories\\n\\nAmid a rapidly evolving …")
    'Bridging Histories'
    """
    for line in text.splitlines():
        line = _HEADING.sub("", " ".join(line.split()))
        if line:
            return line if len(line) <= limit else ""
    return ""


def title_of(source: str, text: str, limit: int = 100) -> str:
    """An article's name for a heading: ``first_line_title`` when short enough to be a headline, else its
    file name.

    >>> title_of("news/b.txt", "A first line far too long to be a headline, " * 3)
    'b.txt'
    """
    return first_line_title(text, limit) or PurePosixPath(source).name or source
