"""The entities of the wiki while they are being decided: claiming a name for an entity, merging
one entity into another (a variant spelling, a version), and the keys names are compared by."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from wiki.compile.entities import thresholds as T
from wiki.compile.entities.classify import CONCEPT, ORG, PERSON, PRODUCT, Agg, FirstMention, Kind

KIND_FOLDERS = {PERSON: "people", ORG: "organizations", PRODUCT: "products", CONCEPT: "concepts"}


@dataclass(slots=True)
class Entity:
    key: str
    title: str
    kind: Kind
    aliases: list[str] = field(default_factory=list)
    desc: str = ""
    mentions: dict[str, FirstMention] = field(default_factory=dict)  # by source id
    weight: int = 0
    lead_text: str = ""
    weak_kind: str = ""
    counts: Counter[str] = field(default_factory=Counter)  # source id -> mentions there


def name_key(name: str) -> str:
    key = " ".join(name.casefold().split())
    return key[4:] if key.startswith("the ") and len(key) > 4 else key


@functools.lru_cache(maxsize=1 << 17)
def phrase_key(phrase: str) -> str:
    words = phrase.casefold().replace("-", " ").split()
    last = words[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        words[-1] = last[:-1]
    return " ".join(words)


@dataclass(slots=True)
class EntityTable:
    """Entities by key; which entity owns each name or phrase key; where merged keys went."""

    entities: dict[str, Entity] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)  # name or phrase key -> entity key
    redirect: dict[str, str] = field(default_factory=dict)  # merged entity key -> its new key

    def claim(self, key: str, title: str, kind: Kind, agg: Agg) -> str:
        """The name or phrase ``key`` (with what ``agg`` knows of it) is the entity ``title``."""
        if kind == CONCEPT and title[:1].islower():
            title = title[:1].upper() + title[1:]
        ent_key = name_key(title)
        ent = self.entities.get(ent_key)
        if ent is None:
            ent = self.entities[ent_key] = Entity(ent_key, title, kind)
        self.merge_into(ent, agg, key)
        return ent_key

    def merge_into(self, ent: Entity, agg: Agg, key: str) -> None:
        self.owner[key] = ent.key
        ent.weight += agg.count
        ent.counts.update(agg.count_by_source)
        if agg.desc and not ent.desc:
            ent.desc = agg.desc
        if agg.lead_text and not ent.lead_text:
            ent.lead_text = agg.lead_text
        if agg.weak_kind and not ent.weak_kind:
            ent.weak_kind = agg.weak_kind
        for sid, where in agg.first_mention.items():
            add_mention(ent, sid, where)

    def absorb(self, src: str, dst: str) -> None:
        """Merge entity ``src`` into ``dst`` (a variant spelling or a version of it)."""
        a, b = self.entities.pop(src), self.entities[dst]
        for sid, where in a.mentions.items():
            add_mention(b, sid, where)
        b.weight += a.weight
        b.counts.update(a.counts)
        b.aliases.extend(x for x in [a.title, *a.aliases] if x not in b.aliases)
        b.desc = b.desc or a.desc
        b.lead_text = b.lead_text or a.lead_text
        b.weak_kind = b.weak_kind or a.weak_kind
        for k, v in self.owner.items():
            if v == src:
                self.owner[k] = dst
        self.redirect[src] = dst

    def final_key(self, key: str) -> str:
        while key in self.redirect:
            key = self.redirect[key]
        return key


def add_mention(ent: Entity, sid: str, where: FirstMention) -> None:
    if sid not in ent.mentions or where.sentence < ent.mentions[sid].sentence:
        ent.mentions[sid] = FirstMention(*where)


def merge_spellings(table: EntityTable) -> None:
    """"Ashley Vance" and "Ashlee Vance": same last name, first names one or two letters apart."""
    from rapidfuzz.distance import Levenshtein

    ents = table.entities
    by_last: dict[str, list[Entity]] = {}
    for e in ents.values():
        words = e.title.split()
        if e.kind == PERSON and len(words) == 2:
            by_last.setdefault(words[1], []).append(e)
    for group in by_last.values():
        people = sorted(group, key=lambda e: (-e.weight, e.key))
        for i, big in enumerate(people):
            if big.key not in ents:
                continue
            for small in people[i + 1:]:
                if small.key not in ents:
                    continue
                a, b = big.title.split()[0], small.title.split()[0]
                if a[0] == b[0] and min(len(a), len(b)) >= T.SPELLING_MIN_LENGTH \
                        and Levenshtein.distance(a.casefold(), b.casefold()) \
                        <= T.SPELLING_MAX_EDITS:
                    table.absorb(small.key, big.key)


def merge_versions(table: EntityTable) -> None:
    """"Opus 4.5" joins "Opus", "Rust 1.78" joins "Rust", when the wiki has a page for the base
    name (a year is an edition, a name of its own: "Rust 2018")."""
    ents = table.entities
    for ent in sorted(ents.values(), key=lambda e: e.key):
        m = re.fullmatch(r"(.+?)[ -]v?(\d+(?:\.\d+)*)[A-Za-z]?", ent.title)
        if not m or ent.kind not in (PRODUCT, CONCEPT) or ent.key not in ents \
                or re.fullmatch(r"(?:19|20)\d\d", m.group(2)):
            continue
        base = ents.get(name_key(m.group(1)))
        if base is not None and base.kind != PERSON \
                and (ent.kind == PRODUCT or "." in m.group(2)):  # "Type 2" is no version
            table.absorb(ent.key, base.key)


def handle_target(handle: str, name: str, table: EntityTable) -> str | None:
    """The entity an ``@handle`` names: the name written next to it, else a matching title."""
    if name and name_key(name) in table.owner:
        return table.owner[name_key(name)]
    bare = handle.lstrip("@").casefold().strip("_")
    stems = {bare, re.sub(r"(ai|hq|app|inc|labs|_)+$", "", bare)}
    for ent in sorted(table.entities.values(), key=lambda e: e.key):
        if ent.kind == CONCEPT:
            continue
        squashed = re.sub(r"[\W_]+", "", ent.title.casefold())
        toks = ent.title.casefold().split()
        if squashed in stems or (ent.kind == PERSON and toks[-1] in stems and len(bare) > 4):
            return ent.key
    return None


def merge_truncations(table: EntityTable) -> None:
    """"Core Team" in the article that says "Rust Core Team", "Lean body" beside "Lean body
    mass": a name that is the end (or, for an idea, the start) of a longer name of the same kind
    found in the same source is that longer name."""
    ents = table.entities
    by_kind: dict[Kind, list[Entity]] = {}
    for e in ents.values():
        by_kind.setdefault(e.kind, []).append(e)
    for kind, group in by_kind.items():
        if kind == PERSON:
            continue  # first and last names are handled with the sources' single words
        longest_first = sorted(group, key=lambda e: (-len(e.title.split()), e.key))
        for short in sorted(group, key=lambda e: (len(e.title.split()), e.key)):
            words = short.key.split()
            if len(words) < 2 or short.key not in ents:
                continue
            for long in longest_first:
                lw = long.key.split()
                if len(lw) <= len(words) or long.key not in ents \
                        or not set(short.mentions) <= set(long.mentions):
                    continue
                if lw[-len(words):] == words or (kind == CONCEPT and lw[:len(words)] == words):
                    table.absorb(short.key, long.key)
                    break
