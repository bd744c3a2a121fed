"""Which name answers *who*, *where* or *which city*: a name of the kind asked for, not one asked about.

"Who directed The Godfather?" is not answered by "As the director of such films as The Godfather and
Apocalypse Now, he enjoyed success": every name there is a title, and a director is a person.  spaCy's
small English pipeline (the parse ``chat.roles`` reads) tags each name with its kind; a sentence answers
when it holds a name of a kind the question asks for that the question does not hold ("Vietnamese" holds
Vietnam, "China" Beijing).  The small model leaves many names untagged and mistags others ("Hai Phong" a
person): an untagged name may be of any kind, and a name's part in the sentence vouches for it too (after
"in" it is a place; doing the verb, a person or a body).

>>> wanted("Who directed Titanic?", []) == PEOPLE, wanted("Which city hosted it?", ["city"]) == PLACES
(True, True)
>>> named("Who directed The Godfather?", "As the director of such films as The Godfather, he enjoyed success.",
...       PEOPLE)
False
>>> named("Which Vietnamese city will host it?", "A center will open in Hai Phong.", PLACES)
True
>>> named("Which Vietnamese city will host it?", "The Vietnamese side will host it.", PLACES)
False
>>> named("Which city will host it?", "China will host it.", PLACES, ["city"])
False
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from chat.parse import PLACES as SEATED, parse  # countries and capitals we know
from chat.roles import DOER, PLACE, parts
from chat.words import COUNTRIES, FUNCTION, SEATS, fold, noun_lemmas, same_name, tokens

__all__ = ["wanted", "named", "PEOPLE", "PLACES", "WORKS", "NAMES"]

# A doer: a person, a body, a people, or a country acting as one ("Vietnam will co-chair …").
PEOPLE = frozenset({"PERSON", "ORG", "NORP", "GPE"})
PLACES = frozenset({"GPE", "LOC", "FAC"})
# A title (the small model leaves most untagged: "Soul", "Parasite", which count as any kind, below).
WORKS = frozenset({"WORK_OF_ART", "PRODUCT", "EVENT"})
# "What is the name of X?" asks for X's own name: a person, a body, a work or a product; not a country, a
# people, or the place where X is ("centers in *Hà Nội*" gives no center a name).
NAMES = frozenset({"PERSON", "ORG", "FAC", "LAW"}) | WORKS
_NAME_OF = re.compile(r"what(?:'s|’s|\s+is|\s+was)\s+the\s+names?\s+of\b")
_BODY = frozenset({"ORG", "PERSON"})  # a business or a school (the small model takes "Tesla" for a person)
# Words that say what kind of body a name is ("the *Institute* of Southeast Asian Studies"), and those that
# fit each kind of body asked for: a "which company" is no "National *Assembly*".
_FIRMS = frozenset("company corporation group firm holdings enterprise inc ltd corp airlines airways".split())
_HEADS = {**dict.fromkeys("company firm corporation manufacturer developer publisher airline".split(), _FIRMS),
          "university": frozenset({"university", "college"}), "bank": frozenset({"bank"}),
          "agency": frozenset("agency office administration bureau department service".split())}
_ORG_HEADS = frozenset().union(*_HEADS.values(), """association foundation council committee commission federation
    union league institute academy society museum school trust assembly parliament congress ministry party front
    army navy court fund conference forum""".split())
_KINDS = {
    **dict.fromkeys("""person people official officials minister ministers president leader leaders director
        directors ceo author writer actor actress player winner""".split(), frozenset({"PERSON"})),
    # A business or school is a body, or a name the small model takes for a person ("Tesla"); never a place.
    **dict.fromkeys("""company companies firm firms corporation corporations manufacturer developer publisher
        university universities newspaper agency bank banks airline""".split(), _BODY),
    # A team, club, party or member may be a country ("France won", "members of ASEAN").
    **dict.fromkeys("team teams club party member members".split(), frozenset({"ORG", "PERSON", "GPE"})),
    **dict.fromkeys("""city cities town towns village country countries nation nations province provinces state
        states region county district capital river island airport""".split(), PLACES),
    **dict.fromkeys("""movie movies film films song songs album book books novel show series game games play
        painting""".split(), WORKS),
}

# A city is a place, but no country, sea or building: "Which city will host it?" is not answered by "China
# will host it" nor by "talks in the East Sea".
_CITIES = frozenset("city cities town towns village villages capital capitals".split())
_COUNTRIES = COUNTRIES - set(SEATS)  # Singapore is a city too
# Words that stand before a name as its title, capitalised but naming no one ("President Lương Cường").
_TITLES = frozenset("""president vice general secretary minister prime premier chairman chairwoman chair chief
    executive officer director governor mayor senator ambassador king queen prince princess emperor pope sir
    lord lady dame dr mr mrs ms madam judge justice speaker commander marshal admiral colonel captain deputy
    central committee""".split())


def wanted(question: str, kind: list[str]) -> frozenset[str] | None:
    """The kinds of name (spaCy entity labels) that answer ``question``, whose asked-for noun phrase is
    ``kind`` ("which Chinese *company*"), or None when it asks for no name."""
    start = question.lower().lstrip()
    if re.match(r"(who|whom)\b", start):
        return PEOPLE
    if re.match(r"where\b", start):
        return PLACES | {"ORG"}
    if _NAME_OF.match(start):
        return NAMES
    return next((_KINDS[n] for w in reversed(kind) for n in noun_lemmas(w) if n in _KINDS), None)


def named(question: str, text: str, labels: frozenset[str], kind: Sequence[str] = ()) -> bool:
    """Whether English ``text`` names something of a kind in ``labels`` that ``question`` does not name
    (as itself, its people or its capital: "Vietnamese" and "Hà Nội" name Vietnam); a country we know, or a
    name tagged a location or facility, answers no question whose asked-for ``kind`` ("which *city*") is a
    city or town."""
    asked = [w.removesuffix("'s") for w in tokens(question)]
    asked += ["".join(pair) for pair in zip(asked, asked[1:])]  # "Hai Phong" is "haiphong"
    # The question's own names, word by word: "Xi Jinping" is the "Xi" asked about, not an answer.
    own = {fold(w).removesuffix("'s") for w in re.findall(r"(?<=\s)[A-Z][\w'’]*", question)} - FUNCTION - _TITLES
    city = bool(_CITIES & set(kind))
    countries, not_cities = (_COUNTRIES, {"LOC", "FAC"}) if city else (frozenset(), set())

    bodies = [n for w in kind for n in noun_lemmas(w) if _KINDS.get(n) == _BODY]

    def of_kind(words: list[str]) -> bool:
        # A body's name may say what it is: the "National Assembly" is no company, the "Guangxi Academy" no
        # university; "Tesla" or "Apple" may be either.
        heads = {w for w in map(fold, words) if w in _ORG_HEADS}
        return not bodies or not heads or any(heads & _HEADS.get(b, {b}) for b in bodies)

    def new(words: list[str]) -> bool:
        # A name is read whole, and a hyphen joins two ("Viet Nam-China" names Vietnam and China).
        for part in re.split(r"[-–—]", " ".join(words)):
            parts = [fold(w) for w in part.split() if fold(w) not in FUNCTION]
            name = "".join(parts)
            if name and name not in countries and not any(same_name(name, a) for a in asked) \
                    and not own & set(parts):
                return True
        return False

    doc = parse(text)
    roles = parts(text)
    # A country answers *who* as a doer ("Vietnam will co-chair"), not as where something happens ("in Denmark");
    # nor is any name only where a thing is that thing's name ("centers *in Hà Nội*").
    placed = {"GPE", "NORP"} | (labels if labels == NAMES else set()) if "LOC" not in labels else set()

    def answers(ent) -> bool:
        part = set().union(*(roles.get(fold(t.text), set()) for t in ent))
        # A person's name answers *which company* only as a doer ("Tesla will build"), not "Xi's visit".
        person_idle = bool(bodies) and ent.label_ == "PERSON" and DOER not in part
        return ent.label_ in labels - not_cities and not (ent.label_ in placed and part == {PLACE}) \
            and not person_idle and of_kind([t.text for t in ent]) \
            and new([t.text for t in ent if t.text[:1].isupper() or t.text in "-–—"])

    if any(answers(ent) for ent in doc.ents):
        return True
    # The small model tags few names outside the West, and some wrongly ("Hai Phong" a person, "Ines
    # Okafor" a place): a name it leaves untagged may be of any kind; one after "in", "at" … is a place,
    # and the doer of a verb ("composed by Ines Okafor", "Hai Phong will host", "Soul has won") may be a
    # person, a body or a title.
    # Adjacent such words are one name ("Xi Jinping"), read without the titles before it ("President").
    fits = ({PLACE} if "LOC" in labels else set()) | ({DOER} if labels & (WORKS | {"PERSON"}) else set())
    runs: list[list] = []
    for t in doc:
        role = roles.get(fold(t.text), set())
        untagged = not t.ent_type_ and (PLACE not in role or "LOC" in labels)  # "in Hà Nội" names no person
        country = fold(t.text) in SEATED and "GPE" not in labels  # "China agreeing …" names no company
        if t.pos_ == "PROPN" and t.i > 0 and t.text[:1].isupper() and fold(t.text) not in _TITLES \
                and t.ent_type_ not in not_cities \
                and not country and (untagged or role & fits):
            if runs and runs[-1][-1].i == t.i - 1:
                runs[-1].append(t)
            else:
                runs.append([t])
    return any(new([t.text for t in run]) and of_kind([t.text for t in run]) for run in runs)
