"""Kinds and thresholds: is a name a person, an organisation, a product or a concept, and does
it matter enough for a page of its own?"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from wiki.compile.entities import lexicon as L
from wiki.compile.entities import thresholds as T
from wiki.compile.entities.facts import Cue

_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[’'\-])+|[^\W\d_]\.")  # "Björn", "O'Neil", "K."


_SITE = re.compile(r"[a-z][a-z0-9\-]*\.[a-z]{2,4}")
_PARTICLES = frozenset("de van von der den da di du le la del della bin ibn al".split())


class Kind(StrEnum):
    PERSON = "person"
    ORG = "organization"
    PRODUCT = "product"
    CONCEPT = "concept"


PERSON, ORG, PRODUCT, CONCEPT = Kind.PERSON, Kind.ORG, Kind.PRODUCT, Kind.CONCEPT


class FirstMention(NamedTuple):
    """Where a source first mentions something: the sentence number and the sentence."""

    sentence: int
    context: str


@dataclass(slots=True)
class Agg:
    """Everything the sources say about one name or phrase (all its spellings)."""

    count: int = 0
    mid_sentence: int = 0
    forms: Counter[str] = field(default_factory=Counter)  # spelling -> mentions
    cues: Counter[str] = field(default_factory=Counter)  # by Cue
    desc: str = ""
    lead_text: str = ""  # the first sentence that starts with it ("Composer represents ...")
    weak_kind: str = ""  # "book" from "a book titled X"
    first_mention: dict[str, FirstMention] = field(default_factory=dict)  # by source id
    forms_by_source: dict[str, list[str]] = field(default_factory=dict)
    count_by_source: Counter[str] = field(default_factory=Counter)


def best_form(agg: Agg) -> str:
    the = [f for f in agg.forms if f.startswith("The ")]  # keep the article of a title
    if the:
        return sorted(the, key=lambda f: (-agg.forms[f], f))[0]
    return sorted(agg.forms.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]


def cohesive(key: str, n: int, heads: dict, tails: dict) -> bool:
    """A term, not a chance pairing: its first word mostly starts it, or its last word mostly ends
    it ("reinforcement learning", "data center"), unlike "said progress" or "numbers steady"."""
    words = key.split()
    size = len(words)
    return n >= T.PHRASE_COHESION * heads[(size, words[0])] \
        or n >= T.PHRASE_COHESION * tails[(size, words[-1])]


def recurs(sources: int, mentions: int) -> bool:
    """Often enough for a concept: in several sources, or many times in one."""
    across = sources >= T.CONCEPT_MIN_SOURCES \
        and mentions >= T.CONCEPT_MIN_MENTIONS_ACROSS_SOURCES
    return across or mentions >= T.CONCEPT_MIN_MENTIONS_ONE_SOURCE


def select_concepts(phrases: dict[str, Agg]) -> list[str]:
    chosen = {k for k, a in phrases.items() if recurs(len(a.first_mention), a.count)}
    drop = set()
    for k in chosen:
        words = k.split()
        if len(words) == 3:
            for sub in (" ".join(words[:2]), " ".join(words[1:])):
                if sub in chosen and phrases[sub].count <= phrases[k].count:
                    drop.add(sub)
    return sorted(chosen - drop)


def classify(name: str, agg: Agg) -> Kind | None:
    words = name.split()
    first, last = words[0], words[-1]
    if name in L.PLACES or first in L.PLACES and len(words) == 2 and last in L.PLACES:
        return None
    if name in L.KNOWN_ORGS:
        return ORG
    if name in L.KNOWN_PRODUCTS or first in L.KNOWN_PRODUCTS or any(c.isdigit() for c in name):
        return PRODUCT
    if first in L.ORG_PREFIXES and ("of" in words or "for" in words) or any(
            w in L.ORG_PREFIXES and words[i + 1] in ("of", "for")
            for i, w in enumerate(words[:-1])):
        return ORG  # "University of Texas", "London School of Economics", "Department for X"
    if (last in L.ORG_SUFFIXES or last == "AI" or last.casefold() == "team") \
            and "of" not in words:
        return ORG
    if last.casefold() in L.PRODUCT_WORDS or last in ("Bench", "Podcast"):
        return PRODUCT
    name_words = sum(1 for w in words if not re.fullmatch(r"[A-Z]\.", w))  # "Mary K. Donovan": 2
    alpha = all(_NAME_WORD.fullmatch(w) and (w[0].isupper() or 0 < i < len(words) - 1
                                             and w in _PARTICLES)
                for i, w in enumerate(words))
    if alpha and name_words <= T.PERSON_MAX_WORDS and first.casefold() in L.FIRST_NAMES:
        return PERSON
    if agg.cues[Cue.PRODUCT] > agg.cues[Cue.ORG] and agg.cues[Cue.PRODUCT]:
        return PRODUCT
    if agg.cues[Cue.ORG]:
        return ORG
    if alpha and name_words <= T.PERSON_MAX_WORDS and any(
            agg.cues[c] for c in (Cue.VERB, Cue.ROLE, Cue.SUBJECT, Cue.OWNER, Cue.SURNAME,
                                  Cue.AUTHOR, Cue.PROFILE)):
        return PERSON
    if first in L.KNOWN_ORGS:
        return ORG
    if agg.count >= T.CAPITALISED_CONCEPT_MIN_MENTIONS and alpha \
            and not any(f.startswith("The ") for f in agg.forms):
        return CONCEPT if len(agg.first_mention) >= T.CONCEPT_MIN_SOURCES else None
    if any(f.startswith("The ") for f in agg.forms):
        return PRODUCT  # a titled work: "The Scaling Era"
    return None


def classify_single(form: str, agg: Agg, also_lower: bool,
                    lower_anywhere: bool = False) -> Kind | None:
    """``also_lower``: most sources naming it also write it in lower case (an ordinary word);
    ``lower_anywhere``: some source does ("Agent" in the docs, "agent" in a paper)."""
    if form in L.KNOWN_ORGS:
        return ORG
    if form in L.KNOWN_PRODUCTS:
        return PRODUCT
    if agg.cues[Cue.AUTHOR] or agg.cues[Cue.PROFILE]:
        return PERSON  # a byline of one name, a link to one's profile: "Kobzol"
    if _SITE.fullmatch(form):  # "crates.io" named again: a site
        return PRODUCT if agg.count >= T.SHORT_NAME_MIN_MENTIONS else None
    if agg.mid_sentence == 0 or form in L.PLACES or form in L.NATIONALITIES or len(form) < 2:
        return None
    if re.fullmatch(r"[A-Z][A-Z0-9]{1,6}", form):  # an acronym without a long form
        if form in L.GENERIC_ACRONYMS or agg.count < T.SHORT_NAME_MIN_MENTIONS or also_lower:
            return None  # "BUILD files" where the text also says "build": emphasis
        return ORG if agg.cues[Cue.ORG] > agg.cues[Cue.PRODUCT] else CONCEPT  # "grid operator RTE"
    if re.fullmatch(r"[A-Z][a-z]?[A-Z][A-Z0-9]*", form):  # MoE
        return CONCEPT if agg.count >= T.SHORT_NAME_MIN_MENTIONS else None
    if any(c.isdigit() for c in form) or re.search(r"[a-z][A-Z]|^[a-z]+[A-Z]", form):
        return PRODUCT if agg.count >= T.SHORT_NAME_MIN_MENTIONS else None
    cues = {k: v for k, v in agg.cues.items()
            if v and k not in (Cue.TITLE, Cue.OPENING, Cue.POSSESSIVE)}
    if also_lower or agg.count < T.SINGLE_WORD_MIN_MENTIONS and not (
            agg.count >= T.SHORT_NAME_MIN_MENTIONS
            and (cues or agg.cues[Cue.POSSESSIVE] >= T.SHORT_NAME_MIN_MENTIONS)):
        return None  # a word said twice needs the words around it to say what it is
    if not cues and agg.cues[Cue.POSSESSIVE] >= T.SHORT_NAME_MIN_MENTIONS:
        return ORG  # "Sustain’s campaign", "Sustain’s view": someone who holds views
    if not cues:
        # named in its article's title and again and again in the text: what it is about;
        # or named again and again, never in lower case: a name ("Melodie")
        if agg.cues[Cue.TITLE] and agg.mid_sentence >= T.TITLE_SUBJECT_MIN_MID_MENTIONS:
            return PRODUCT
        if agg.count >= T.PROPER_NAME_MIN_MENTIONS and not lower_anywhere \
                and agg.mid_sentence >= T.SINGLE_WORD_MIN_MENTIONS:
            return PRODUCT
        return None
    top = max(sorted(cues), key=lambda k: cues[k])
    kinds: dict[str, Kind] = {Cue.VERB: PERSON, Cue.ROLE: PERSON, Cue.ORG: ORG,
                              Cue.PRODUCT: PRODUCT}
    return kinds.get(top)


def matters(agg: Agg, kind: Kind, extra: int) -> bool:
    strong = any(agg.cues[c] for c in (Cue.SUBJECT, Cue.OWNER, Cue.TITLE, Cue.ROLE, Cue.AUTHOR,
                                       Cue.PROFILE)) \
        or bool(agg.desc) \
        or (kind == ORG and agg.cues[Cue.ORG]) \
        or (kind == PERSON and agg.cues[Cue.OPENING] > 0 and agg.mid_sentence > 0) \
        or (kind == ORG and agg.cues[Cue.OPENING] > 0)  # "From: Department for Transport."
    return agg.count + extra >= T.NAME_MIN_MENTIONS or bool(strong)
