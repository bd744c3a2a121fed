"""What a noun is said of: "the director of The Godfather" ties *director* to *The Godfather*; a sentence that
has both words in two clauses ("Director Stanley Kubrick believed that The Godfather was the greatest film")
does not.

A dependency parse (``chat.parse``) ties a noun to a name when one governs the other without a verb between
them ("Google CEO Sundar Pichai", "The Godfather, directed by Coppola"), when one is part of the head that
governs the other ("the founder and CEO of Tesla"), when a copula joins them ("To Lam is the general
secretary"), when a participle describes the name's noun ("the X railway project, slated to begin
construction"), and when the name does what the noun names ("Xi undertook a state visit" is "Xi's visit").
Names are matched folded; the noun also by its stem ("directed" for "director").  A claim is held to the
names of each noun's own phrase ("the director *of The Godfather*"); the evidence may also say it with the
two words close together and no verb between (the small parser misreads some long titles).

>>> loosened("Stanley Kubrick is the director of The Godfather.",
...          "Director Stanley Kubrick believed that The Godfather was the greatest film.")
'director of godfather'
>>> loosened("Xi's state visit to Vietnam was on April 14.", "Xi undertook a state visit to Vietnam on April 14.")
>>> stated("director", "godfather", parse("The Godfather (1972), directed by Francis Coppola."))
True
"""

from __future__ import annotations

from typing import Any

from chat.parse import parse
from chat.pronouns import name_of, possessor
from chat.wordnet import related
from chat.words import FUNCTION, fold
from vectorstore.text import stem

__all__ = ["joined", "loosened", "meeting", "stated"]

_VERBAL = frozenset({"VERB", "AUX"})
_SAME = frozenset({"conj", "appos", "compound", "flat"})  # links that keep a word the head's own
_DESCRIBING = frozenset({"acl", "xcomp", "conj"})  # a participle and the verbs it leads to ("slated to begin")
_NEAR = 10  # tokens apart, at most, for two words to be read together without the parse


def meeting(a: Any, b: Any) -> tuple[Any, list[Any], list[Any]] | None:
    """Where the parse joins tokens ``a`` and ``b``: their nearest common head, and the way up to it from each,
    from the token itself to just below the head (empty for the head itself); None in two sentences."""
    up, path = [a, *a.ancestors], [b, *b.ancestors]
    above = {t.i: n for n, t in enumerate(up)}
    at = next((n for n, t in enumerate(path) if t.i in above), None)
    return None if at is None else (path[at], up[: above[path[at].i]], path[:at])


def joined(noun: Any, name: Any) -> bool:
    """Whether the parse ties token ``noun`` to token ``name`` (see the module's docstring)."""
    met = meeting(noun, name)
    if met is None:
        return False  # two sentences
    common, mine, theirs = met
    if any(t.pos_ in _VERBAL for t in mine[1:] + theirs[1:]) and not _described(common, mine, theirs):
        return False  # a clause between them: "Kubrick believed that The Godfather was …"
    if common.i in (noun.i, name.i):
        return True
    if common.pos_ in ("NOUN", "PROPN"):
        # One phrase, if one side is the head's own part: "the founder and *CEO* of Tesla", "Google CEO *Pichai*";
        # not two dependents of a third noun ("the *Director*'s Cut of *Pretty Woman*").
        return any(all(t.dep_ in _SAME for t in side) for side in (mine, theirs))
    if common.pos_ not in _VERBAL:
        return False
    deps = (mine[-1].dep_, theirs[-1].dep_)
    return (common.lemma_ == "be" and set(deps) == {"nsubj", "attr"}) or deps == ("dobj", "nsubj")


def _described(common: Any, *sides: list[Any]) -> bool:
    """Whether the only verbs between two words are a participle clause describing the noun ``common`` heads,
    on one side: "the … railway *project*, slated to begin *construction*" is the project's construction."""
    return common.pos_ in ("NOUN", "PROPN") and any(
        side[1:] and side[-1].dep_ == "acl" and all(t.dep_ in _DESCRIBING for t in side[1:] if t.pos_ in _VERBAL)
        and not any(t.pos_ in _VERBAL for t in other[1:])
        for side, other in ((sides[0], sides[1]), (sides[1], sides[0])))


def _names_noun(noun: str, token: Any, relatives: bool) -> bool:
    """Whether ``token`` names what the folded lemma ``noun`` does: the word in any form, or (if ``relatives``)
    a noun WordNet relates to it."""
    word = fold(token.lemma_)
    return stem(word) == stem(noun) or (relatives and token.pos_ == "NOUN" and related(noun, word))


def stated(noun: str, name: str, doc: Any, relatives: bool = False) -> bool | None:
    """Whether ``doc`` ties ``noun`` (or, if ``relatives``, a WordNet relative) to the folded ``name``: None
    when it lacks either word."""
    nouns = [t for t in doc if _names_noun(noun, t, relatives)]
    # "its" for the name its clause's subject is ("China highlighted … a focus of *its* diplomacy")
    names = [t for t in doc if fold(t.text) == name
             or (p := possessor(t)) is not None and name in {fold(w.text) for w in name_of(p)}]
    if not nouns or not names:
        return None
    return any(joined(a, b) or _near(a, b) for a in nouns for b in names)


def _near(a: Any, b: Any) -> bool:
    """Whether tokens ``a`` and ``b`` stand close with no verb or new clause between them: the small parser
    misreads long titles ("Season 3 of Netflix series The Crown premiered" makes The Crown the subject)."""
    if a.sent != b.sent or abs(a.i - b.i) > _NEAR:
        return False
    between = a.doc[min(a.i, b.i) + 1: max(a.i, b.i)]
    return not any(t.pos_ in _VERBAL or t.text == ";" or (t.text == "," and t.nbor().pos_ == "CCONJ") for t in between)


def _phrases(doc: Any) -> list[tuple[str, str]]:
    """``(noun lemma, name)`` pairs, folded, for each noun and each name of its own phrase ("the *director* of
    *The Godfather*", "*scholarships* for students in *Beijing*")."""
    nouns = [t for t in doc if t.pos_ == "NOUN" and fold(t.lemma_) not in FUNCTION]
    names = [t for t in doc if t.pos_ == "PROPN" and t.text[:1].isupper() and fold(t.text) not in FUNCTION]
    return list(dict.fromkeys((fold(a.lemma_), fold(b.text)) for a in nouns for b in names
                              if a.is_ancestor(b) and joined(a, b)))


def loosened(claim: str, evidence: str) -> str | None:
    """The first noun the English ``claim`` ties to a name of its phrase ("the *director* of *The Godfather*")
    that ``evidence`` has, with that name, but never tied to it, as "noun of name"; or None."""
    doc = parse(evidence)
    for noun, name in _phrases(parse(claim)):
        if stated(noun, name, doc) is False:
            return f"{noun} of {name}"
    return None
