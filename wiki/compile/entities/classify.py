"""Kinds and thresholds: is a name a person, an organisation, a product or a concept, and does
it matter enough for a page of its own?"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from wiki.compile.entities import lexicon as L

COHESION = 0.3
PERSON, ORG, PRODUCT, CONCEPT = "person", "organization", "product", "concept"


@dataclass(slots=True)
class Agg:
    """Everything the sources say about one name or phrase (all its spellings)."""

    n: int = 0
    mid: int = 0
    forms: defaultdict = field(default_factory=lambda: defaultdict(int))
    cues: defaultdict = field(default_factory=lambda: defaultdict(int))
    desc: str = ""
    lead: str = ""  # the first sentence that starts with it ("Composer represents ...")
    weak: str = ""  # "book" from "a book titled X"
    where: dict[str, tuple[int, str]] = field(default_factory=dict)
    sids_forms: dict[str, list[str]] = field(default_factory=dict)
    sid_n: defaultdict = field(default_factory=lambda: defaultdict(int))


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
    return n >= COHESION * heads[(size, words[0])] or n >= COHESION * tails[(size, words[-1])]


def select_concepts(phrases: dict[str, Agg]) -> list[str]:
    chosen = {k for k, a in phrases.items()
              if (len(a.where) >= 2 and a.n >= 3) or a.n >= 5}
    drop = set()
    for k in chosen:
        words = k.split()
        if len(words) == 3:
            for sub in (" ".join(words[:2]), " ".join(words[1:])):
                if sub in chosen and phrases[sub].n <= phrases[k].n:
                    drop.add(sub)
    return sorted(chosen - drop)


def classify(name: str, agg: Agg) -> str | None:
    words = name.split()
    first, last = words[0], words[-1]
    if name in L.PLACES or first in L.PLACES and len(words) == 2 and last in L.PLACES:
        return None
    if name in L.KNOWN_ORGS:
        return ORG
    if name in L.KNOWN_PRODUCTS or first in L.KNOWN_PRODUCTS or any(c.isdigit() for c in name):
        return PRODUCT
    if first in L.ORG_PREFIXES and "of" in words or any(
            w in L.ORG_PREFIXES and words[i + 1] == "of" for i, w in enumerate(words[:-1])):
        return ORG  # "University of Texas", "London School of Economics"
    if (last in L.ORG_SUFFIXES or last == "AI") and "of" not in words:
        return ORG
    if last.casefold() in L.PRODUCT_WORDS or last in ("Bench", "Podcast"):
        return PRODUCT
    alpha = all(re.fullmatch(r"[A-Z][a-zA-Z’'\-]+|[A-Z]\.", w) for w in words)
    if alpha and len(words) <= 3 and first.casefold() in L.FIRST_NAMES:
        return PERSON
    if agg.cues["product"] > agg.cues["org"] and agg.cues["product"]:
        return PRODUCT
    if agg.cues["org"]:
        return ORG
    if alpha and len(words) <= 3 and (agg.cues["verb"] or agg.cues["role"] or agg.cues["subject"]
                                      or agg.cues["owner"] or agg.cues["surname"]):
        return PERSON
    if first in L.KNOWN_ORGS:
        return ORG
    if agg.n >= 3 and alpha and not any(f.startswith("The ") for f in agg.forms):
        return CONCEPT if len(agg.where) >= 2 else None
    if any(f.startswith("The ") for f in agg.forms):
        return PRODUCT  # a titled work: "The Scaling Era"
    return None


def classify_single(form: str, agg: Agg, also_lower: bool) -> str | None:
    if form in L.KNOWN_ORGS:
        return ORG
    if form in L.KNOWN_PRODUCTS:
        return PRODUCT
    if agg.mid == 0 or form in L.PLACES or form in L.NATIONALITIES or len(form) < 2:
        return None
    if re.fullmatch(r"[A-Z][A-Z0-9]{1,6}", form):  # an acronym without a long form
        if form in L.GENERIC_ACRONYMS or agg.n < 2 or also_lower:
            return None  # "BUILD files" where the text also says "build": emphasis
        return ORG if agg.cues["org"] > agg.cues["product"] else CONCEPT  # "grid operator RTE"
    if re.fullmatch(r"[A-Z][a-z]?[A-Z][A-Z0-9]*", form):  # MoE
        return CONCEPT if agg.n >= 2 else None
    if any(c.isdigit() for c in form) or re.search(r"[a-z][A-Z]|^[a-z]+[A-Z]", form):
        return PRODUCT if agg.n >= 2 else None
    if also_lower or agg.n < 3:
        return None
    cues = {k: v for k, v in agg.cues.items() if v and k != "title"}
    if not cues:
        # named in its article's title and again and again in the text: what it is about
        return PRODUCT if agg.cues["title"] and agg.mid >= 3 else None
    top = max(sorted(cues), key=lambda k: cues[k])
    return {"verb": PERSON, "role": PERSON, "org": ORG, "product": PRODUCT}.get(top)


def matters(agg: Agg, kind: str, extra: int) -> bool:
    strong = agg.cues["subject"] or agg.cues["owner"] or agg.cues["title"] or agg.cues["role"] \
        or bool(agg.desc) \
        or (kind == ORG and agg.cues["org"])
    return agg.n + extra >= 2 or bool(strong)
