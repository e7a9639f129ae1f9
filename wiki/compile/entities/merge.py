"""Decide the entities of the whole wiki from every source's :class:`Facts`.

Rules, in order: recurring lower-case phrases become concepts; acronyms join their long form
("MSL" -> Meta Superintelligence Labs, "RL" -> reinforcement learning); multi-word names are
classified (person, organisation, product) from suffixes, first names, known names and cues; a
single word that is the first or last word of a known person ("Dwarkesh", "Wang") is that person;
handles join the entity they name. Only entities that matter get a page: mentioned twice, or
with a strong cue (a description, the subject of a title, a profile owner).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from wiki.compile.entities import lexicon as L
from wiki.compile.entities.classify import (
    CONCEPT,
    ORG,
    PERSON,
    PRODUCT,
    Agg,
    best_form,
    classify,
    classify_single,
    cohesive,
    matters,
    select_concepts,
)
from wiki.compile.entities.extract import Facts

KIND_FOLDERS = {PERSON: "people", ORG: "organizations", PRODUCT: "products", CONCEPT: "concepts"}


@dataclass(slots=True)
class SourceFacts:
    sid: str  # "raw/file.txt#0"
    title: str
    facts: Facts


@dataclass(slots=True)
class Entity:
    key: str
    title: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    desc: str = ""
    mentions: dict[str, tuple[int, str]] = field(default_factory=dict)  # sid -> (pos, context)
    weight: int = 0
    lead: str = ""
    weak: str = ""
    counts: Counter = field(default_factory=Counter)  # sid -> mentions in that source


@dataclass(slots=True)
class Resolution:
    entities: dict[str, Entity]
    surfaces: dict[str, dict[str, str]]  # sid -> {surface as written: entity key}


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


@functools.lru_cache(maxsize=1 << 17)
def _phrase_info(phrase: str) -> tuple[str, tuple[int, str], tuple[int, str]]:
    key = phrase_key(phrase)
    words = key.split()
    return key, (len(words), words[0]), (len(words), words[-1])


def resolve(sources: list[SourceFacts]) -> Resolution:
    names: dict[str, Agg] = {}
    phrases: dict[str, Agg] = {}
    acronyms: dict[str, str] = {}
    lower_words: set[str] = set()
    lower_by_sid: dict[str, set[str]] = {}
    totals: dict[str, int] = {}
    spread: dict[str, int] = {}
    heads: dict[tuple[int, str], int] = {}  # (words, first word) -> occurrences of such phrases
    tails: dict[tuple[int, str], int] = {}
    for src in sources:
        f = src.facts
        lower_words.update(f.lower_words)
        lower_by_sid[src.sid] = set(f.lower_words)
        for surface, rec in f.names.items():
            key = name_key(surface)
            agg = names.get(key)
            if agg is None:
                agg = names[key] = Agg()
            _add(agg, src.sid, surface, rec, f.sents)
        for phrase, (n, _pos) in f.phrases.items():
            key, head, tail = _phrase_info(phrase)
            totals[key] = totals.get(key, 0) + n
            spread[key] = spread.get(key, 0) + 1
            heads[head] = heads.get(head, 0) + n
            tails[tail] = tails.get(tail, 0) + n
        for acro, long in f.acronyms.items():
            acronyms.setdefault(acro, long)
    wanted = {k for k, n in totals.items() if ((spread[k] >= 2 and n >= 3) or n >= 5)
              and cohesive(k, n, heads, tails)}
    for src in sources:  # only phrases that can be concepts get the full treatment
        for phrase, (n, pos) in src.facts.phrases.items():
            key = phrase_key(phrase)
            if key in wanted:
                agg = phrases.get(key)
                if agg is None:
                    agg = phrases[key] = Agg()
                _add(agg, src.sid, phrase, {"n": n, "pos": pos}, src.facts.sents)
    ents: dict[str, Entity] = {}
    owner: dict[str, str] = {}  # name or phrase key -> entity key
    concepts = select_concepts(phrases)
    defs: dict[str, str] = {}
    for src in sources:
        for phrase, text in src.facts.defs.items():
            defs.setdefault(phrase_key(phrase), text)
    for key in concepts:
        agg = phrases[key]
        form = best_form(agg)
        _claim(ents, owner, key, form[:1].upper() + form[1:], CONCEPT, agg)
    # capitalised names equal to a concept phrase are that concept
    for key, agg in names.items():
        if phrase_key(key) in owner:
            _merge_into(ents[owner[phrase_key(key)]], agg, owner, key)
    # acronyms with a long form
    for acro, long in sorted(acronyms.items()):
        akey, lkey = name_key(acro), name_key(long)
        target = owner.get(phrase_key(long)) or owner.get(lkey)
        if target is None:
            agg = names.get(lkey) or Agg(desc="")
            if lkey not in names:
                names[lkey] = agg
                agg.forms[long] += 0
            kind = classify(long, agg) or (
                ORG if acro in L.KNOWN_ORGS or any(  # "Electricite de France (EDF)"
                    w in L.PLACES or w in L.NATIONALITIES for w in long.split()) else CONCEPT)
            if names.get(akey) is None and agg.n == 0:
                continue
            target = _claim(ents, owner, lkey, long, kind, agg)
        if akey in names and akey not in owner:
            _merge_into(ents[target], names[akey], owner, akey)
        for key, agg in names.items():  # "Applied Research" of "Product and Applied Research"
            if key not in owner and key != lkey and f" {key} " in f" {lkey} " \
                    and set(agg.where) <= set(ents[target].mentions):
                _merge_into(ents[target], agg, owner, key)
        if acro not in ents[target].aliases:
            ents[target].aliases.append(acro)
    # multi-word names
    for key in sorted(names, key=lambda k: (-len(k.split()), k)):
        agg = names[key]
        if key in owner or len(key.split()) < 2 or agg.n == 0:
            continue
        form = best_form(agg)
        last = names.get(key.split()[-1])
        if last is not None and last.cues["verb"] and set(last.where) & set(agg.where):
            agg.cues["verb"] += 1  # "Lindqvist says": the surname alone acts like a person
        if last is not None and not agg.cues["surname"] and not lower_words & set(key.split()) \
                and re.fullmatch(r"[A-Z][a-z][\w’'\-]*", form.split()[-1]) \
                and sum(last.sid_n[s] for s in agg.where) >= 2 and last.mid >= 2:
            agg.cues["surname"] += 1  # "Jean-Luc Fournier" ... "Fournier, who ...": a person
        kind = classify(form, agg)
        if kind == PRODUCT and key.split()[0] in lower_words and any(c.isdigit() for c in key):
            kind = CONCEPT  # "Software 3.0"
        if kind is None:
            continue
        toks = key.split()
        short = {toks[0], toks[-1]} if kind == PERSON else {toks[0]} if kind == ORG else set()
        extra = sum(names[t].sid_n[sid] for t in short if t in names for sid in agg.where)
        if not matters(agg, kind, extra):
            continue
        _claim(ents, owner, key, form, kind, agg)
    redirect: dict[str, str] = {}
    _merge_spellings(ents, owner, redirect)
    persons = [e for e in ents.values() if e.kind == PERSON and " " in e.title]
    by_token: dict[str, list[Entity]] = {}
    for e in persons:
        toks = e.title.split()
        for tok in {toks[0], toks[-1]}:
            by_token.setdefault(tok.casefold(), []).append(e)
    orgs_by_first = {e.title.split()[0].casefold(): e for e in ents.values()
                     if e.kind == ORG and " " in e.title
                     and all(w in L.ORG_SUFFIXES or w == "AI" for w in e.title.split()[1:])}
    surfaces: dict[str, dict[str, str]] = {s.sid: {} for s in sources}
    # single words
    for key in sorted(names):
        agg = names[key]
        if key in owner or " " in key or agg.n == 0:
            continue
        form = best_form(agg)
        people = by_token.get(key, [])
        if people and form not in L.KNOWN_ORGS and form not in L.KNOWN_PRODUCTS:
            for sid, forms in agg.sids_forms.items():
                here = [p for p in people if sid in p.mentions]
                pick = here if len(here) == 1 else []
                if not here and len(people) == 1 and key not in lower_by_sid[sid] \
                        and key not in L.STOPWORDS:
                    pick = people
                if pick:
                    ent = pick[0]
                    for surface in forms:
                        surfaces[sid][surface] = ent.key
                    _add_mention(ent, sid, agg.where[sid])
                    ent.weight += agg.sid_n[sid]
                    ent.counts[sid] += agg.sid_n[sid]
                    if form not in ent.aliases:
                        ent.aliases.append(form)
                    if agg.desc and not ent.desc:  # "co-author Leech"
                        ent.desc = agg.desc
            continue
        if key in orgs_by_first and form not in L.KNOWN_ORGS:
            _merge_into(orgs_by_first[key], agg, owner, key)
            if form not in orgs_by_first[key].aliases:
                orgs_by_first[key].aliases.append(form)
            continue
        kind = classify_single(form, agg, key in lower_words)
        if kind and matters(agg, kind, 0):
            _claim(ents, owner, key, form, kind, agg)
    _merge_versions(ents, owner, redirect)
    # handles
    for src in sources:
        for handle, rec in src.facts.handles.items():
            target = _handle_target(handle, rec.get("name", ""), ents, owner)
            if target:
                if handle not in ents[target].aliases:
                    ents[target].aliases.append(handle)
                surfaces[src.sid][handle] = target
                if rec.get("n") and src.sid not in ents[target].mentions:
                    _add_mention(ents[target], src.sid,
                                 (rec["pos"], src.facts.sents.get(str(rec["pos"]), "")))
    # surfaces per source for every claimed key
    for key, ent_key in owner.items():
        agg = names.get(key) or phrases.get(key)
        if agg is None or ent_key not in ents:
            continue
        for sid, forms in agg.sids_forms.items():
            for surface in forms:
                surfaces[sid].setdefault(surface, ent_key)
    for sid_map in surfaces.values():
        for surface, k in list(sid_map.items()):
            while k in redirect:
                k = redirect[k]
            sid_map[surface] = k
    for key, ent_key in owner.items():  # "Vibe coding is about access." when nothing better
        ent = ents.get(ent_key)
        if ent is not None and ent.kind == CONCEPT and not ent.desc and key in defs:
            ent.desc = defs[key]
    for ent in ents.values():
        if not ent.desc and ent.lead and ent.kind != PERSON:
            ent.desc = _clause(ent.lead)
        if not ent.desc and ent.weak:
            ent.desc = ent.weak
    for ent in ents.values():
        ent.aliases = sorted({a for a in ent.aliases if a != ent.title}, key=str.casefold)
    return Resolution(ents, surfaces)


def _clause(sentence: str, limit: int = 140) -> str:
    """A sentence as a description: its first clause when it is long."""
    text = sentence.rstrip(" …")
    if len(text) > limit:
        cut = text.find(", ", 60)
        if cut < 0 or cut > 240:
            return text[:limit].rsplit(" ", 1)[0].rstrip(",;:— ") + " …"
        text = text[:cut]
    return text.rstrip(",;:— ") + ("" if text.endswith((".", "!", "?")) else ".")


def _add(agg: Agg, sid: str, surface: str, rec: dict, sents: dict[str, str]) -> None:
    n = rec.get("n", 1)
    agg.n += n
    agg.mid += rec.get("mid", n)
    agg.forms[surface] += n
    cues = rec.get("cues")
    if cues:
        for cue, c in cues.items():
            agg.cues[cue] += c
    desc = rec.get("desc")
    if desc and not agg.desc:
        agg.desc = desc
    lead = rec.get("lead")
    if lead is not None and not agg.lead:
        agg.lead = sents.get(str(lead), "")
    if rec.get("weak") and not agg.weak:
        agg.weak = rec["weak"]
    pos = rec.get("pos", 0)
    where = agg.where.get(sid)
    if where is None or pos < where[0]:
        agg.where[sid] = (pos, sents.get(str(pos), ""))
    agg.sids_forms.setdefault(sid, []).append(surface)
    agg.sid_n[sid] += n


def _claim(ents: dict[str, Entity], owner: dict[str, str], key: str, title: str, kind: str,
           agg: Agg) -> str:
    if kind == CONCEPT and title[:1].islower():
        title = title[:1].upper() + title[1:]
    ent_key = name_key(title)
    ent = ents.get(ent_key)
    if ent is None:
        ent = ents[ent_key] = Entity(ent_key, title, kind)
    _merge_into(ent, agg, owner, key)
    return ent_key


def _merge_into(ent: Entity, agg: Agg, owner: dict[str, str], key: str) -> None:
    owner[key] = ent.key
    ent.weight += agg.n
    ent.counts.update(agg.sid_n)
    if agg.desc and not ent.desc:
        ent.desc = agg.desc
    if agg.lead and not ent.lead:
        ent.lead = agg.lead
    if agg.weak and not ent.weak:
        ent.weak = agg.weak
    for sid, where in agg.where.items():
        _add_mention(ent, sid, where)


def _add_mention(ent: Entity, sid: str, where: tuple[int, str]) -> None:
    if sid not in ent.mentions or where[0] < ent.mentions[sid][0]:
        ent.mentions[sid] = (where[0], where[1])


def _absorb(ents: dict[str, Entity], owner: dict[str, str], redirect: dict[str, str],
            src: str, dst: str) -> None:
    """Merge entity ``src`` into ``dst`` (a variant spelling or a version of it)."""
    a, b = ents.pop(src), ents[dst]
    for sid, where in a.mentions.items():
        _add_mention(b, sid, where)
    b.weight += a.weight
    b.counts.update(a.counts)
    b.aliases.extend(x for x in [a.title, *a.aliases] if x not in b.aliases)
    b.desc, b.lead, b.weak = b.desc or a.desc, b.lead or a.lead, b.weak or a.weak
    for k, v in owner.items():
        if v == src:
            owner[k] = dst
    redirect[src] = dst


def _merge_spellings(ents: dict[str, Entity], owner: dict[str, str],
                     redirect: dict[str, str]) -> None:
    """"Ashley Vance" and "Ashlee Vance": same last name, first names one or two letters apart."""
    from rapidfuzz.distance import Levenshtein

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
                if a[0] == b[0] and min(len(a), len(b)) >= 4 \
                        and Levenshtein.distance(a.casefold(), b.casefold()) <= 2:
                    _absorb(ents, owner, redirect, small.key, big.key)


def _merge_versions(ents: dict[str, Entity], owner: dict[str, str],
                    redirect: dict[str, str]) -> None:
    """"Opus 4.5" joins "Opus" when the wiki has a page for the base name."""
    for ent in sorted(ents.values(), key=lambda e: e.key):
        m = re.fullmatch(r"(.+?)[ -]v?\d+(?:\.\d+)*[A-Za-z]?", ent.title)
        if ent.kind == PRODUCT and m and name_key(m.group(1)) in ents \
                and ents[name_key(m.group(1))].kind == PRODUCT and ent.key in ents:
            _absorb(ents, owner, redirect, ent.key, name_key(m.group(1)))


def _handle_target(handle: str, name: str, ents: dict[str, Entity],
                   owner: dict[str, str]) -> str | None:
    if name and name_key(name) in owner:
        return owner[name_key(name)]
    bare = handle.lstrip("@").casefold().strip("_")
    stems = {bare, re.sub(r"(ai|hq|app|inc|labs|_)+$", "", bare)}
    for ent in sorted(ents.values(), key=lambda e: e.key):
        if ent.kind == CONCEPT:
            continue
        squashed = re.sub(r"[\W_]+", "", ent.title.casefold())
        toks = ent.title.casefold().split()
        if squashed in stems or (ent.kind == PERSON and toks[-1] in stems and len(bare) > 4):
            return ent.key
    return None
