"""Which office a passage gives each person: a claim must not hand one holder's title to another.

News text names office holders by title: "hosted by General Secretary of the Central Committee of the
Communist Party of Việt Nam Tô Lâm and President Lương Cường".  Every word of "Lương Cường is the General
Secretary of the Communist Party of Việt Nam" is in that sentence, and a small parser hangs the long
chain of titles and names wrongly, so neither the word checks nor the parse see the swap.  The way titles
are written is regular enough to read without a parse:

- a title before a name: the office word, then capitalised words, "of", "the" and bracketed initials, up
  to the name that ends the run ("President Lương Cường", "General Secretary of … Việt Nam Tô Lâm"); a
  title whose run ends in a body ("… Central Committee") before "and" shares the holder of the title that
  follows ("General Secretary of the CPC Central Committee and Chinese President Xi Jinping");
- a title after a name, set off by a comma or after "is" or "was": "Xi Jinping, general secretary of …
  and Chinese president," and "Lương Cường is the General Secretary of …".

``reassigned`` compares the two: an office the claim gives a person whom the evidence gives other offices,
none of them that one, is not stated.  A person the evidence names without a title settles nothing here.

>>> EV = "The visit, hosted by General Secretary of the Party Tô Lâm and President Lương Cường, ended."
>>> reassigned("Lương Cường is the General Secretary of the Party.", EV)
'secretary'
>>> reassigned("President Lương Cường hosted the visit.", EV) is None
True
>>> holders("General Secretary of the CPC Central Committee and Chinese President Xi Jinping visited.")
[('secretary', ('xi', 'jinping')), ('president', ('xi', 'jinping'))]
"""

from __future__ import annotations

import re

from chat.whose import of_country
from chat.words import CO, fold

__all__ = ["holders", "reassigned"]

# Words that title a person; "general" alone is a rank more often than a title ("General Secretary").
_OFFICES = frozenset("""president secretary minister premier chairman chairwoman chairperson chancellor governor
    mayor ambassador king queen senator spokesman spokeswoman spokesperson ceo director commissioner""".split())
# A word before an office that makes it another office: a prime minister is not any minister.
_RANKS = frozenset("prime vice deputy first acting foreign".split())
# Words that end a body's name, not a person's: a run ending "… Central Committee" names no holder.
_BODIES = frozenset("""committee party assembly council congress ministry department office government bank company
    corporation group union association university academy agency commission court army navy state republic
    front federation organization organisation board bureau cabinet parliament senate politburo secretariat
    institute foundation""".split())
_LINKS = frozenset({"of", "the", "for"})  # words a title's run may hold between capitalised words
_STOPS = frozenset(",;.:!?")  # a title set after a name ends at the phrase's end
_CLAUSE = frozenset({"who", "which", "that", "whose"})
_TOKEN = re.compile(r"\(\s*[A-Z]{2,}\s*\)|[\w'’-]+|[^\w\s]")


def _words(text: str) -> list[str]:
    return _TOKEN.findall(CO.sub("", text))


def _capital(word: str) -> bool:
    return word[:1].isupper() or word.startswith("(")


def _office(words: list[str], i: int) -> str:
    """The office ``words[i]`` names ("minister", or "prime minister" with its rank), or ""."""
    word = fold(words[i])
    if word not in _OFFICES:
        return ""
    rank = fold(words[i - 1]) if i and fold(words[i - 1]) in _RANKS else ""
    return f"{rank} {word}".strip()


def _person(run: list[str]) -> tuple[str, ...]:
    """The name that ends a title's ``run`` of words (after its last "of" or body's name, a country and
    initials left out), folded; () when the run ends in a body's name or holds no name."""
    cut = max((n for n, w in enumerate(run) if fold(w) in _LINKS or fold(w) in _BODIES), default=-1)
    tail = [w for w in run[cut + 1:] if not w.startswith("(")]
    while tail:
        pair = len(tail) > 1 and of_country(fold(tail[0]) + fold(tail[1]))
        if not (pair or of_country(fold(tail[0]))):
            break
        tail = tail[2:] if pair else tail[1:]
    after_link = cut >= 0 and fold(run[cut]) in _LINKS
    if not tail or any(fold(w) in _OFFICES for w in tail) or len(tail) == 1 and after_link:
        return ()  # one word after "of" is a place or a body: "Prime Minister of Eastland"
    return tuple(fold(w) for w in tail)


def _before_names(words: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(office, holder) for each title written before its holder's name."""
    out: list[tuple[str, tuple[str, ...]]] = []
    waiting: list[str] = []  # titles joined by "and" whose runs named no one yet
    bridge, i = False, 0
    while i < len(words):
        office = _office(words, i) if _capital(words[i]) else ""
        if not office:
            if not (bridge and _capital(words[i])):  # "… Committee and Chinese President Xi"
                waiting, bridge = [], False
            i += 1
            continue
        j = i + 1
        while j < len(words) and (_capital(words[j]) or fold(words[j]) in _LINKS) and not _office(words, j):
            j += 1
        holder = _person(words[i + 1 : j])
        waiting.append(office)
        if holder:
            out += [(o, holder) for o in waiting]
        bridge = not holder and j < len(words) and fold(words[j]) == "and"
        if not bridge:
            waiting = []
        i = j + 1 if bridge else j
    return out


def _after_names(words: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(office, holder) for each title set after its holder's name: "X, general secretary of … and Chinese
    president," or "X is the President of …"."""
    out = []
    for k in range(len(words) - 2):
        nxt = fold(words[k + 1])
        if not _capital(words[k]) or nxt not in (",", "is", "was"):
            continue
        m = k + 2 + (fold(words[k + 2]) == "the")
        end = next((n for n in range(m, len(words)) if words[n] in _STOPS or fold(words[n]) in _CLAUSE), len(words))
        at = next((n for n in range(m, min(m + 3, end)) if _office(words, n)), None)
        if at is None or any(fold(w) in ("and", "or") for w in words[m:at]):
            continue  # no title opens the phrase: ", and President Lương Cường" titles someone else
        j = at + 1
        while j < end and (_capital(words[j]) or fold(words[j]) in _LINKS):
            j += 1
        if _person(words[at + 1 : j]):
            continue  # the title of the name after it: "In April, Prime Minister Phạm Minh Chính met …"
        start = k
        while start > 0 and k - start < 3 and _capital(words[start - 1]):
            start -= 1
        run = words[start : k + 1]
        holder = () if any(_office(run, n) for n in range(len(run))) else _person(run)
        if holder:
            out += [(o, holder) for n in range(at, end) if (o := _office(words, n))]
    return out


def holders(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """``(office, holder's name words, folded)`` for each title ``text`` gives a person, in order."""
    words = _words(text)
    return list(dict.fromkeys(_before_names(words) + _after_names(words)))


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return set(a) <= set(b) or set(b) <= set(a)


def _fits(office: str, theirs: set[str]) -> bool:
    """Whether ``office`` is among ``theirs``: "minister" is any minister, "prime minister" only that one."""
    return any(office == o or " " not in office and o.endswith(" " + office) for o in theirs)


def reassigned(claim: str, evidence: str) -> str | None:
    """The first office ``claim`` gives a person whom ``evidence`` titles, but never with that office; or None."""
    given = holders(evidence)
    for office, holder in holders(claim):
        theirs = {o for o, h in given if _same(h, holder)}
        if theirs and not _fits(office, theirs):
            return office
    return None
