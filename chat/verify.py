"""Does the cited evidence state what a claim says?  Checks by kind of fact, not by overall similarity.

A sentence that changes one number, name or polarity of its source is still very similar to it, so
similarity alone shows such a claim as cited fact.  ``check`` compares what the claim asserts with
the evidence it cites, and names the first thing that is not stated there:

- **numbers** (quantities, years, days, ordinals; "$2 trillion" is not "$200 billion", "two decades"
  is "twenty years"): every number of the claim must be a number of the evidence, with its hedge
  ("more than 40" is not "40", ``chat.hedges``), and at its end of a span: the start of "from 2021 to 2025"
  is no target year, nor is "after 2030" said by "by 2030" (``chat.ranges``);
- **names** (capitalised words: people, places, organisations, months): each must occur in the
  evidence, accents and spacing folded ("Viet Nam" = "Việt Nam", "Hà Nội" = "Hanoi"), but "Vietnam" is not
  "Vietnamese" (``chat.naming``);
- **possessives** ("China's largest trading partner"): "X's Y" needs "X's Y" in the evidence;
- **parts**: a name the claim makes the doer (or the place) must not be only the place (or the doer) in the
  evidence: "the center in China will be hosted by Hà Nội" is not "centers in Hà Nội and Beijing"
  (``chat.roles``), and a verb the evidence uses must not get another doer or undergoer ("China reaffirmed
  its view of Việt Nam" is not "Việt Nam reaffirmed its view of China"), and what the evidence calls
  one name ("the Front—a key political coalition—") must not be said of another, and a noun's classifier
  must not take the place of the evidence's ("financial" for "technical" assistance, ``chat.modifiers``), nor
  a "former president" be said to be the president, nor one titled person's office be given to another
  ("General Secretary … Tô Lâm and President Lương Cường", ``chat.offices``);
- **polarity**: a negation ("not", "never", "no") that bears on the claim's words must be in both or
  neither, a word whose opposite the evidence uses instead ("rejected" for "approved") fails, and so does
  a verb that undoes what happened or turns it down ("cancelled", "rejected") where the evidence uses none;
- **things named** (words that can only be nouns, words no lexicon knows, and words the claim uses as
  nouns though they may be verbs) must occur in the evidence or be near-synonyms of an evidence word
  (MiniLM cosine of the two words at least ``chat.words.NEAR_MIN``; for a word that may be a verb, also
  a WordNet relative, ``chat.wordnet``), so a paraphrase ("deals" for "agreements") passes and an
  invented attribute or a swapped thing ("rice" for "chili", "loans" for "scholarships") does not;
  verbs and adjectives may paraphrase;
- **ties**: a noun the claim ties to a name ("the *director* of *The Godfather*") must be tied to it in the
  evidence when the evidence has both, not kept in another clause ("Director Kubrick believed that The
  Godfather was …", ``chat.ties``).

>>> check("Trade passed $2 trillion.", ["Trade passed $200 billion in 2024."], None)
'number 2000000000000 is not in the evidence'
>>> check("Trade passed $200 billion.", ["Trade passed $200 billion in 2024."], None) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from chat.hedges import hedge_dropped
from chat.lexicon import lemmas
from chat.modifiers import bygone, reclassified
from chat.naming import names, unnamed, written_apart
from chat.offices import reassigned
from chat.parse import parse
from chat.pronouns import acts_written, possessors_written
from chat.roles import moved, redescribed, swapped
from chat.ranges import flipped, switched
from chat.ties import loosened
from chat.whose import owned_elsewhere
from chat.wordnet import is_noun, related
from chat.words import (LIGHT_VERBS, NEGATION, WORD, content_words, fold, is_thing, near, numbers,
                        only_in_bodies, tokens)
from vectorstore.text import STOPWORDS, language, stem

__all__ = ["check", "contradicts"]

_ADDITIVE = ("not only", "not merely", "not just")
# Time bounds written with a negation that negate nothing: "to start no later than the end of 2025" is "by"
# it.  ("No more than 40" stays a negation: it is not the evidence's "more than 40".)
_BOUNDS = re.compile(r"\b(?:no|not) (?:later|earlier|sooner) than\b")
# Verbs that undo, stop or turn down what they are said of: a claim may not bring one in that its passage does
# not use ("40 agreements were *cancelled*" under "were signed", "they *rejected* QR payments" under "QR payments
# were on the agenda"), however close the rest of its words are.
_UNDOING = re.compile(r"\b(?:cancel(?:l?ed|l?ing|s|lation)?|postpon(?:e|ed|es|ing|ement)|suspen(?:d|ded|ds|ding|sion)|"
                      r"delay(?:ed|s|ing)?|halt(?:ed|s|ing)?|scrap(?:ped|s|ping)?|abandon(?:ed|s|ing)?|"
                      r"revok(?:e|ed|es|ing)|terminat(?:e|ed|es|ing|ion)|withdr(?:aw|ew|awn|aws|awing|awal)|"
                      r"veto(?:ed|es|ing)?|stall(?:ed|s|ing)?|froze|frozen|freez(?:e|es|ing)|boycott(?:ed|s|ing)?|"
                      r"breach(?:ed|es|ing)?|violat(?:e|ed|es|ing|ion)|collaps(?:e|ed|es|ing)|derail(?:ed|s|ing)?|"
                      r"shelv(?:e|ed|es|ing)|reject(?:ed|s|ing|ion)?|refus(?:e|ed|es|ing|al)|den(?:y|ied|ies|ying|ial)|"
                      r"oppos(?:e|ed|es|ing|ition)|prohibit(?:ed|s|ing|ion)?|forb(?:id|ids|idden|idding|ade)|"
                      r"ban(?:ned|s|ning)?|condemn(?:ed|s|ing|ation)?)\b", re.I)
# Opposites that news prose swaps, as lemmas ("large" is "larger" and "largest" too), both ways.
_OPPOSITES = [("approve", "reject"), ("agree", "refuse"), ("accept", "decline"), ("support", "oppose"),
              ("expand", "decline"), ("expand", "shrink"), ("expand", "contract"), ("expand", "collapse"),
              ("increase", "decrease"), ("rise", "fall"), ("grow", "decline"), ("grow", "shrink"), ("grow", "collapse"),
              ("strengthen", "weaken"), ("large", "small"), ("more", "fewer"), ("more", "less"), ("allow", "ban"),
              ("allow", "forbid"), ("license", "ban"), ("open", "close"), ("begin", "end"), ("start", "finish"),
              ("deepen", "weaken"), ("win", "lose"), ("succeed", "fail"), ("import", "export"), ("high", "low"),
              ("first", "last")]
# The nouns of those verbs, which no lemma reaches ("the Assembly's *rejection*" of what it approved).
_NOUNS_OF = {"approve": "approval", "reject": "rejection", "agree": "agreement", "refuse": "refusal",
             "accept": "acceptance", "oppose": "opposition", "expand": "expansion", "contract": "contraction",
             "grow": "growth", "close": "closure", "succeed": "success", "fail": "failure", "license": "licence"}
_FORMS = {w: frozenset({w, _NOUNS_OF.get(w, w)}) for pair in _OPPOSITES for w in pair}
# Pairs that tell one event from either side (China imports what Vietnam exports): opposites in a claim,
# whose sentence fixes who does it, but not in a question's premise ("What will China import from Vietnam?").
_CONVERSE = frozenset({("import", "export")})
# "last July", "next year": a time, not the opposite of "first".
_TIME = re.compile(r"\b(?:last|next|past) (?=(?:week|month|year|decade|century|night|time|spring|summer|autumn|fall|"
                   r"winter|january|february|march|april|may|june|july|august|september|october|november|"
                   r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)", re.I)
# "first" and "last" are opposite places in an order only as adjectives: after an article or an owner.
_ORDER = frozenset({"first", "last"})
_ORDER_OWNERS = frozenset("the this that a its his her their our my your".split())
_CLAUSE = re.compile(r"[,;:.!?()\[\]—–]")


# "The first article" says which piece, not a number the passage must state.
_NTH_ARTICLE = re.compile(r"\b(?:the )?(?:first|second|third|former|latter) (?:article|piece|story|report|text)\b",
                          re.I)


def _negated(text: str) -> set[str]:
    """Stems of the words that negations in ``text`` bear on: the next four words of the same clause."""
    out: set[str] = set()
    for clause in _CLAUSE.split(_BOUNDS.sub(" ", fold(text))):
        for add in _ADDITIVE:
            clause = clause.replace(add, " ")
        words = WORD.findall(clause)
        for i, w in enumerate(words):
            if w in NEGATION or w.endswith("n't"):
                out |= {stem(x) for x in words[i + 1 : i + 5] if x not in STOPWORDS}
    return out


def contradicts(claim: str, evidence: str, converse: bool = True) -> str | None:
    """The first word of ``claim`` whose opposite ``evidence`` uses in its place, or None; ``converse``:
    whether a pair that tells one event from either side (import/export) counts.

    >>> contradicts("The Assembly rejected the project.", "The Assembly has approved the project.")
    'rejected'
    >>> contradicts("When will the dialogue first meet?", "The meeting, held last July, adopted a plan.")
    >>> contradicts("What will China import?", "It is the top export market.", converse=False)
    >>> contradicts("When did Xi last visit?", "It was his first trip."), contradicts("Was it his last?", "first")
    (None, 'last')
    """
    # Matched by lemma, not by stem: "grew" is "grow", and "importance" no "import".
    ev = set().union(*map(lemmas, tokens(_TIME.sub(" ", evidence))))
    words = tokens(_TIME.sub(" ", claim))
    for before, word in zip(["", *words], words):
        if word in _ORDER and not (before in _ORDER_OWNERS or before.endswith(("'s", "’s"))):
            continue  # "When did Xi *last* visit …?" asks for the latest; "his last visit" is one of an order
        forms = lemmas(word)
        for a, b in _OPPOSITES:
            if not converse and (a, b) in _CONVERSE:
                continue
            for mine, other in ((_FORMS[a], _FORMS[b]), (_FORMS[b], _FORMS[a])):
                if forms & mine and not mine & ev and other & ev:
                    return word
    return None


def _polarity(claim: str, evidence: str) -> str | None:
    c_stems, e_stems = {stem(t) for t in tokens(claim)}, {stem(t) for t in tokens(evidence)}
    mine = {s for s in _negated(claim) if s in e_stems}
    theirs = {s for s in _negated(evidence) if s in c_stems}
    if mine - theirs:
        return f"the claim negates {sorted(mine - theirs)[0]!r}, the evidence does not"
    if theirs - mine:
        return f"the evidence negates {sorted(theirs - mine)[0]!r}, the claim does not"
    return None


def _possessives(claim: str, evidence: str, embedder: Any) -> str | None:
    """``X's Y`` in the claim needs the evidence to say ``X's Y`` (or ``Y of/for X``, or ``X's`` + a near-synonym
    of Y), or at least to use ``X's`` and ``Y`` both: "China's largest partner" is not "Vietnam's largest"."""
    # "its policy" and "X undertook a visit" written out: "China's policy", "X's visit"
    ev = " ".join(tokens(f"{evidence}\n{possessors_written(evidence)}\n{acts_written(evidence)}"))
    words = tokens(claim)
    for owner, thing in zip(words, words[1:]):
        if not owner.endswith("'s") or thing in STOPWORDS:
            continue
        bare = owner[:-2]
        if f"{owner} {thing}" in ev or re.search(rf"\b{re.escape(thing)}(?: \w+)? (?:of|for) (?:\w+ ){{0,7}}?"
                                                 rf"{re.escape(bare)}\b", ev):
            continue  # "the railway's feasibility study" is "the feasibility study for the Lào Cai – … railway"
        theirs = re.findall(rf"\b{re.escape(owner)} (\w+)", ev)
        if theirs and (re.search(rf"\b{re.escape(thing)}\b", ev) or near(thing, theirs, embedder)):
            continue
        return f"“{owner} {thing}” is not what the evidence says"
    return None


def _unstated_words(claim: str, evidence: str, embedder: Any, english: bool) -> list[str]:
    """Words naming things that the evidence neither uses nor has a near-synonym for.

    Words that can be nothing but nouns, and words no lexicon knows, must be stated: they carry the
    facts ("rice", "passengers", "cryptocurrency").  So must a word that may be a verb when the claim
    uses it as a noun ("more *loans*"), though such a word may also be a WordNet relative of an evidence
    word (``chat.wordnet``: "deals" for "agreements", "contact" for "communication").  Words used as
    verbs or adjectives carry the paraphrase ("set up", "wrap up"); their polarity is checked apart.
    Only an ``english`` claim is parsed for the words it uses as nouns.
    """
    ev_words = sorted(set(content_words(evidence)))
    ev_stems = {stem(w) for w in ev_words}
    claim = LIGHT_VERBS.sub(" ", claim)  # "the meeting *took place* in Beijing" says it was held there
    as_nouns = _used_as_nouns(claim) if english else set()
    apart = written_apart(claim, set(ev_words))
    novel = [w for w in dict.fromkeys(content_words(claim))
             if stem(w) not in ev_stems and w not in apart and (is_thing(w) or w in as_nouns)]
    return [w for w in novel if not near(w, ev_words, embedder)
            and (is_thing(w) or not any(related(w, e) for e in ev_words))]


def _used_as_nouns(claim: str) -> set[str]:
    """The folded words English ``claim`` uses as nouns (by its parse) that WordNet knows as nouns."""
    return {fold(t.text) for t in parse(claim) if t.pos_ == "NOUN" and is_noun(fold(t.text))}


def check(claim: str, evidence: Sequence[str], embedder: Any) -> str | None:
    """Why ``claim`` is not stated by ``evidence`` (the texts it cites), or None when it is.

    ``embedder`` (MiniLM) judges near-synonyms; with None, every new thing-word counts as unstated.
    """
    ev = " ".join(evidence)
    ev_numbers = set().union(*numbers(ev))
    for values in numbers(_NTH_ARTICLE.sub(" ", claim)):
        if not values & ev_numbers:
            value = min(values)
            return f"number {int(value) if value.is_integer() else value} is not in the evidence"
    english = language(claim) == "en"
    hedged = hedge_dropped(claim, ev) if english else None
    if hedged:
        return f"the evidence hedges {hedged!r} (more than, under, about …); the claim does not say so"
    end = switched(claim, ev)
    if end is not None:
        return f"the evidence has {end} at the other end of its span (a start for an end, or an end for a start)"
    bound = flipped(claim, ev)
    if bound is not None:
        return f"the evidence bounds {bound} the other way (by or before it, against after or since it)"
    name = unnamed(claim, ev)
    if name:
        return f"name {name!r} is not in the evidence"
    for name in names(claim):
        bare = (name.removesuffix("'s"),)
        if only_in_bodies(bare, ev) and not only_in_bodies(bare, claim):
            return f"the evidence names {name!r} only within another body's name"
    word = contradicts(claim, ev)
    if word:
        return f"{word!r} contradicts the evidence"
    undone = _UNDOING.search(claim)
    if undone and not _UNDOING.search(ev):
        return f"{undone.group(0)!r} undoes or turns down what the evidence says happened"
    why = _polarity(claim, ev) or _possessives(claim, ev, embedder)
    if why:
        return why
    if english:
        name = moved(claim, ev)
        if name:
            return f"the claim gives {name!r} another part (doer or place) than the evidence does"
        verb = swapped(claim, ev)
        if verb:
            return f"the claim has another doer or undergoer of {verb!r} than the evidence"
        noun = redescribed(claim, ev)
        if noun:
            return f"the evidence calls another name {noun!r}, not this one"
        office = reassigned(claim, ev)
        if office:
            return f"the evidence gives the office {office!r} to another name"
        past = bygone(claim, ev)
        if past:
            return f"the evidence says {past!r}"
        word = reclassified(claim, ev, embedder)
        if word:
            return f"{word!r} takes the place of what the evidence calls it"
    unstated = _unstated_words(claim, ev, embedder, english)
    if unstated:
        return f"{', '.join(repr(w) for w in unstated)} not stated in the evidence"
    tie = (loosened(claim, ev) or owned_elsewhere(claim, ev)) if english else None
    return f"the evidence does not say {tie!r}" if tie else None
