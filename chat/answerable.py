"""Is the question answered by some evidence sentence?  Decided from what the sentences state.

A similarity bar cannot tell a paraphrase ("Which crops will Beijing allow in?") from a question about a
detail the articles never give ("How many passengers will the railway carry?"): both come close to the
same passage; what separates them is whether the things asked about are there.  A sentence, read with its
neighbours and its article's title, answers when:

- every *thing* the question names — a word that can only be a noun ("passengers", "company"), a
  name ("Taiwan", matched whole; a title of three words or more may lack one common word), a number
  written in digits ("2021") — occurs there, a noun also as a near-synonym or WordNet relative ("crops"
  ~ "agricultural", "leader" ~ "president");
- it holds the kind of answer asked for (``chat.kinds``: a date for *when*; ``chat.counts``: a number of
  the things *how many* counts), a name the question lacks, of the kind asked for (``chat.slots``),
  an office asked about with the body it is asked of (``chat.whose``), and states something.

A noun used as a noun that the corpus never uses and no evidence word is near ("the *weather*") means
the articles do not cover the question.  Verbs and adjectives ("penned", "allow") only paraphrase; they
need not match, nor need "the two *countries*", which points back.  ``answering`` returns the evidence
reordered with the answering sentences first, or [] to refuse.

>>> from chat.evidence import Evidence
>>> ev = [Evidence("a", 0, 40, "The tram opens in 2026 in Northgate.", 1, 1, 1)]
>>> [e.text for e in answering("When does the tram open?", ev, None)]
['The tram opens in 2026 in Northgate.']
>>> answering("How many passengers will the tram carry?", ev, None)
[]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence, Set
from typing import Any

from chat.counts import counts
from chat.evidence import Evidence
from chat.kinds import asks, author_asked, holds, keywords, unasked
from chat.multilingual import setting_apart, states
from chat.parse import PLACES
from chat.sentences import states_nothing, undated
from chat.slots import named, wanted
from chat.whose import may_name, of_country, unsaid
from chat.wordnet import related
from chat.words import (AUXILIARIES, FUNCTION, WORD, codes_written, content_words, digits_written, ends_noun_phrase,
                        fold, is_thing, near, numbers, only_in_bodies, same_name, spelled_out, tokens, word_classes)
from vectorstore.text import language, stem

__all__ = ["answering", "things", "CROSS", "CANDIDATES"]

CANDIDATES = 8  # sentences looked at, best supported first
# Ranking bonus for a sentence that names the kind of thing a which/what question asks for ("which
# *crops*" ~ "agricultural products"): the answer is usually introduced by its kind.  Chosen on dev.
CATEGORY_BONUS = 0.5
_ASKING = frozenset("""what which who whom whose when where why how many much long kind type sort article articles
    say says said tell describe described mention mentioned according compare each both two piece pieces story
    stories report reports text texts author written wrote commentary commentaries opinion op-ed column editorial
    writer date dates number numbers figure figures amount name names status progress purpose significance""".split())
# "the two nations" points back at parties already named; it counts nothing a "how many" question asks.
_ANAPHORIC = re.compile(r"\b(the|both|these|those) (two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
# Nor does it name a thing the answer must repeat: "the QR payments *the two countries* are looking at" is
# answered by "retail payment systems using QR codes", which names no countries.
_PARTIES = re.compile(rf"(?:{_ANAPHORIC.pattern}|\bboth) (?P<noun>[a-z][\w’'-]*)", re.I)
_POINTING = re.compile(r"\b(?:this|that|these|those) (?P<noun>[a-z][\w’'-]*)", re.I)
CROSS = re.compile(r"\b(each|both|the two|two) (article|articles|pieces|stories|reports|texts)\b|\bcompare\b", re.I)


def things(question: str) -> list[str]:
    """The words of ``question`` that name things, folded; a name of several words is written as one. The
    noun a *which/what* question asks for is left out ("which *body* approved …" is answered by a body).

    >>> things("Which Chinese company will build the railway to Hai Phong?")
    ['chinese', 'railway', 'haiphong']
    """
    return list(_things(question))


def _things(question: str, follow_up: bool = False) -> dict[str, tuple[str, ...]]:
    """``{thing: the folded words of the name it is, or () for a noun}`` in question order (see ``things``);
    in a ``follow_up``, "that *body*", "this *project*" points back at what was named: no thing to find."""
    out: dict[str, tuple[str, ...]] = {}
    matches = list(WORD.finditer(question))
    category = _category([m.group(0) for m in matches])
    parties = {m.start("noun") for m in _PARTIES.finditer(question)}
    if follow_up:
        parties |= {m.start("noun") for m in _POINTING.finditer(question)}
    author = author_asked(question)  # a byline answers "the author's *job*" without the word
    byline = range(*author.span()) if author else range(0)
    # In keywords ("smart port opening date") a word that may be a noun is one, but a last one naming the kind
    nouns = len(matches) - (1 if asks(question) else 0) if keywords(question) else 0
    last, last_end = "", -1
    for i, m in enumerate(matches):
        word = m.group(0)
        if (m.start() in parties and word[:1].islower()) or m.start() in byline:
            last = ""
            continue
        folded = fold(word).removesuffix("'s")
        name = (word[:1].isupper() and i > 0 and folded not in FUNCTION) or _acronym(word)
        possessive = question[last_end - 2:last_end] in ("'s", "’s")  # "Vietnam's Two Corridors": two names
        two = last in PLACES and folded in PLACES  # "Is *China Vietnam's* partner?": two countries, not one name
        if name and last and out.get(last) and not possessive and not two and not question[last_end:m.start()].strip():
            parts = out.pop(last)
            last += folded  # "Hai Phong" → "haiphong", matched against "Hai Phong" and "HaiPhong" alike
            out[last], last_end = (*parts, folded), m.end()
            continue
        last = ""
        if i not in category and (_acronym(word) or content_words(folded) == [folded]) and folded not in _ASKING \
                and (name or is_thing(folded) or (i < nouns and "NOUN" in word_classes(folded))):
            out[folded] = (folded,) if name else ()
            last, last_end = folded, m.end()
    role = _role([m.group(0) for m in matches])
    if role and role not in out:
        out[role] = ()
    return out


def _role(words: list[str]) -> str | None:
    """The role a *who is/was* question asks the holder of ("Who was Northland's *minister*?", "What is the
    name of the *ambassador*?"), folded.

    A role word may also be a verb ("minister", "host"), so the noun rule alone would let it go; but a
    passage that never names the role cannot say who holds it.
    """
    folded = [fold(w) for w in words[:6]]
    name_of = ["what", "is", "the", "name", "of"], ["what's", "the", "name", "of"]  # who holds it, by another name
    start = next((len(p) for p in name_of if folded[:len(p)] == p), 2 if folded[:1] == ["who"] else 0)
    if not start or len(words) <= start or (start == 2 and folded[1] not in ("is", "was", "are", "were")):
        return None
    head = None
    for word in words[start:]:
        w = fold(word)
        if word.endswith(("'s", "’s")) or (head is None and (w in ("the", "a", "an") or of_country(w))):
            continue  # "Who was *Northland's* …", "Who is *the* …", "the *Chinese* ambassador"
        if w in FUNCTION or w in AUXILIARIES or word[:1].isupper() or not word_classes(w) & {"NOUN", "ADJ"}:
            break
        head = w
    return head if head and head not in _ASKING and "NOUN" in word_classes(head) else None


def _category(words: list[str]) -> set[int]:
    """Indexes of the noun phrase a which/what question asks for ("which *lawmaking body*"), if any.

    Capitalised words inside it ("which *Chinese* province") stay things to match: they are not the category.
    """
    for i, word in enumerate(words[:-1]):
        if fold(word) not in ("which", "what"):
            continue
        out: set[int] = set()
        for j in range(i + 1, min(i + 7, len(words))):
            w = fold(words[j])
            if (words[j][:1].isupper() and w not in FUNCTION) or _acronym(words[j]):
                continue
            if w == "of" and out and j + 1 < len(words) and fold(words[j + 1]) not in FUNCTION:
                continue  # "what *body of water*", "what *kind of payments*": one kind of answer
            if ends_noun_phrase(w):
                break
            out.add(j)
        return out
    return set()


def _kind(question: str) -> list[str]:
    """The words, folded, of the kind of answer ``question`` asks for (``_category``), in order."""
    words = [m.group(0) for m in WORD.finditer(question)]
    return [fold(words[i]) for i in sorted(_category(words))]


def _acronym(word: str) -> bool:
    """"US", "EU", "ASEAN": a name even where the same letters in lower case are a function word ("us")."""
    return len(word) >= 2 and word.isupper()


def _type_ok(question: str, text: str, embedder: Any) -> bool:
    kind = asks(question)
    if kind is not None:
        text = _ANAPHORIC.sub("the", unasked(question, text))  # "the two nations" counts nothing
        return holds(kind, text) and (kind != "number" or counts(question, text, embedder))
    kind = _kind(question)
    labels = wanted(question, kind)
    return labels is None or named(question, undated(text), labels, kind)


def _partly(name: tuple[str, ...], words: list[str]) -> bool:
    """Whether a title of three words or more is there but for one common word ("Best Animated *Film*" in
    "won Best Animated Feature", "the 92nd Academy Awards *Ceremony*"); its own words ("Mario") must be."""
    if len(name) < 3:
        return False
    have = set(words)
    missing = [w for w in name if w not in have]
    return len(missing) <= 1 and all(word_classes(w) - {"PROPN"} for w in missing)


def _coverage(question: str, ev: Evidence, embedder: Any, required: dict[str, tuple[str, ...]], title: str,
              follow_up: str | None = None, role: str | None = None, acronyms: Set[str] = frozenset()) -> float | None:
    """The share of the question's words the sentence has (plus ``CATEGORY_BONUS`` if it names the kind
    asked for), or None when it (with its neighbours and title) misses a thing the question names, or the
    kind of answer asked for (by ``follow_up``, a follow-up's own words, if given: "When was it set up?"
    wants a date).  Names match whole ("haiphong" is "Hai Phong", not "hai…"), and so do numbers the
    question writes in digits ("Super Bowl 2021" is no passage on 2024's) and codes ("G20"); an acronym in
    ``acronyms`` may be spelled out.  ``role``: the office asked about (``_role``), named only by a noun."""
    around = f"{title} {ev.context} {ev.text}"
    stated = set().union(*numbers(around))
    if any(not values & stated for values in digits_written(question)) or not codes_written(question, around):
        return None
    words = [w.removesuffix("'s") for w in content_words(around)]
    grams = set(words) | {"".join(words[i:i + n]) for n in (2, 3, 4) for i in range(len(words) - n + 1)}
    have = {stem(w) for w in words}
    vocab = sorted(set(words))  # "leader" is said by "President" (WordNet), "crops" by "agricultural" (MiniLM)
    for thing, name in required.items():
        if name:
            if only_in_bodies(name, around) or (thing not in grams and not any(same_name(thing, w) for w in words)
                                                and not _partly(name, words)
                                                and not (thing in acronyms and spelled_out(thing, around))):
                return None
        elif stem(thing) not in have and (thing == role or not any(related(thing, w) for w in vocab)) \
                and not near(thing, [w for w in vocab if thing != role or may_name(thing, w)], embedder):
            return None
    said = follow_up or question
    if not _type_ok(said, ev.text, embedder) or (role and unsaid(said, role, ev.text)):
        return None  # "Chinese President Xi" does not say who Vietnam's president is
    own = content_words(ev.text)
    own_stems = {stem(w) for w in own}
    # A follow-up is answered by what its own words ask; the earlier turn's words found the passages.
    asked = [w for w in dict.fromkeys(content_words(said)) if w not in _ASKING]
    hits = sum(stem(w) in own_stems or near(w, sorted(set(own)), embedder) for w in asked)
    kinds = [w for w in _kind(said) if w in asked]
    named = any(stem(w) in own_stems or near(w, sorted(set(own)), embedder) for w in kinds)
    return (hits / len(asked) if asked else 1.0) + (CATEGORY_BONUS if named else 0.0)


_DETERMINERS = frozenset("""the a an of in per any some this that these those his her its their our my your what which
    whose""".split())
# Set phrases whose noun names nothing asked about ("for how many years *in a row*").
_IDIOMS = re.compile(r"\b(?:in a row|at a time|at the time|in the end|in the meantime|at the moment|for a while|"
                     r"in a way|by the way|on the whole|at least|at most|on time|in time|at once)\b", re.I)


def _foreign(question: str, pool: Sequence[Evidence], embedder: Any, vocabulary: Set[str]) -> str | None:
    """A noun of the question that the corpus never uses and the evidence has no near-synonym for.

    A word counts as a noun here when it can be one and follows a determiner or preposition ("the
    *weather*", "in *kilometres*"): "what areas does it *cover*" asks nothing foreign.
    """
    words = sorted({w for ev in pool for w in content_words(f"{ev.context} {ev.text}")})
    toks = tokens(_IDIOMS.sub(" ", question))
    author = author_asked(question)  # "what body of *water*", "the author's *job*" name no subject
    kind = _kind(question) + (tokens(author.group(0)) if author else [])
    for prev, w, after in zip(toks, toks[1:], toks[2:] + [""]):
        if "NOUN" in word_classes(after) and after not in FUNCTION and after not in AUXILIARIES:
            continue  # "the *lead* actress": a noun before a noun modifies it; the head says what is asked
        if prev in _DETERMINERS and w not in _ASKING and w not in kind and content_words(w) == [w] \
                and "NOUN" in word_classes(w) and stem(w) not in vocabulary and not near(w, words, embedder):
            return w
    return None


def answering(question: str, evidence: Sequence[Evidence], embedder: Any, asked: str | None = None,
              titles: Mapping[str, str] | None = None, vocabulary: Set[str] | None = None,
              e5: Any = None) -> list[Evidence]:
    """``evidence`` with the sentences that answer ``question`` first, or [] when none does.

    ``asked`` is the user's own words when ``question`` was rewritten from a follow-up: only the things
    they name must be in the sentence (the earlier turns' words only help find it).  ``titles`` (per
    source) count as part of every sentence.  ``vocabulary`` (the corpus's word stems): a question word
    the corpus never uses ("weather") and no evidence word is a near-synonym of ("crops" ~ "agricultural"
    is) is about something its English passages do not cover.  A question about *each* or *both* articles
    needs an answering sentence from two documents.  A question and a sentence not both in English are
    judged by ``chat.multilingual.states`` with ``e5`` (these rules, and those words, read English only).
    """
    required = _things(asked, follow_up=True) if asked is not None else _things(question)
    # What every sentence is held against, read once from the question, not once per sentence.
    role = _role([m.group(0) for m in WORD.finditer(asked or question)])
    acronyms = {fold(w) for w in WORD.findall(f"{question} {asked or ''}") if _acronym(w)}
    english, pool = language(asked or question) == "en", evidence[:CANDIDATES]
    foreign = english and vocabulary is not None and _foreign(asked or question, pool, embedder, vocabulary)
    names = [] if english else setting_apart(asked or question, pool)  # 老街 must be there, as Lao Cai

    def judged(ev: Evidence) -> float | None:
        if states_nothing(ev.text):
            return None
        if e5 is not None and not (english and language(ev.text) == "en"):
            return 1.0 if states(asked or question, ev, names) else None
        if foreign:
            return None
        return _coverage(question, ev, embedder, required, (titles or {}).get(ev.source, ""), asked, role, acronyms)

    scored = [(ev, judged(ev)) for ev in pool]
    # Best first: the sentence that itself says most of what was asked, then the retrieval score.
    ranked = sorted(((ev, c) for ev, c in scored if c is not None), key=lambda p: -(p[1] + p[0].score))
    good = [ev for ev, _ in ranked]
    if not good:
        return []
    if CROSS.search(asked or question):
        best: dict[str, Evidence] = {}
        for ev in good:
            best.setdefault(ev.source, ev)
        firsts = list(best.values())
        if len(firsts) < 2:
            return []
        good = firsts + [ev for ev in good if ev not in firsts]
    return good + [ev for ev in evidence if ev not in good]
