"""Decide the entities of the whole wiki from every source's :class:`Facts`.

``resolve`` runs these passes, in order (each a function below):

1. ``gather``: every spelling of every name, and how often each lower-case phrase occurs;
2. ``concept_phrases``: recurring, cohesive lower-case phrases become concepts, and capitalised
   names equal to one ("Vibe Coding") join it;
3. ``acronyms``: acronyms join their long form ("MSL" -> Meta Superintelligence Labs, "RL" ->
   reinforcement learning);
4. ``multi_word_names``: names of several words are classified (person, organisation, product)
   from suffixes, first names, known names and cues; then variant spellings of a person merge;
5. ``single_words``: a word that is the first or last word of a known person ("Dwarkesh",
   "Wang") is that person, the first word of an organisation is it, else it is classified alone;
   then versions of a product join it ("Opus 4.5" -> Opus), and truncated names the longer
   name found in the same sources ("Core Team" -> Rust Core Team);
6. ``handles``: ``@handles`` join the entity they name;
7. ``surfaces``: per source, each spelling as written -> its entity (for links in the text);
8. ``descriptions``: definitions, lead sentences and weak kinds fill empty descriptions.

Only entities that matter get a page: mentioned twice, or with a strong cue (a description, the
subject of a title, a profile owner). The numbers are in ``thresholds``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from wiki.compile.entities import lexicon as L
from wiki.compile.entities import thresholds as T
from wiki.compile.entities.classify import (
    CONCEPT,
    ORG,
    PERSON,
    PRODUCT,
    Agg,
    FirstMention,
    best_form,
    classify,
    classify_single,
    cohesive,
    matters,
    recurs,
    select_concepts,
)
from wiki.compile.entities.context import first_at, window
from wiki.compile.entities.facts import Cue, Facts, NameFacts
from wiki.compile.entities.table import (
    KIND_FOLDERS,
    Entity,
    EntityTable,
    add_mention,
    handle_target,
    merge_spellings,
    merge_truncations,
    merge_versions,
    name_key,
    phrase_key,
)

__all__ = ["KIND_FOLDERS", "Entity", "Resolution", "SourceFacts", "name_key", "phrase_key",
           "resolve"]


@dataclass(slots=True)
class SourceFacts:
    sid: str  # "raw/file.txt#0"
    title: str
    facts: Facts


@dataclass(slots=True)
class Resolution:
    entities: dict[str, Entity]
    surfaces: dict[str, dict[str, str]]  # sid -> {surface as written: entity key}


@dataclass(slots=True)
class _Work:
    """What the passes share."""

    sources: list[SourceFacts]
    names: dict[str, Agg] = field(default_factory=dict)  # by name key
    phrases: dict[str, Agg] = field(default_factory=dict)  # by phrase key (concept candidates)
    acronyms: dict[str, str] = field(default_factory=dict)  # acronym -> long form
    lower_words: set[str] = field(default_factory=set)
    lower_by_sid: dict[str, set[str]] = field(default_factory=dict)
    table: EntityTable = field(default_factory=EntityTable)
    surfaces: dict[str, dict[str, str]] = field(default_factory=dict)
    code_names: set[str] = field(default_factory=set)  # identifiers in any source's code


def resolve(sources: list[SourceFacts]) -> Resolution:
    work = _Work(sources)
    gather(work)
    concept_phrases(work)
    acronyms(work)
    multi_word_names(work)
    merge_spellings(work.table)
    single_words(work)
    merge_versions(work.table)
    merge_truncations(work.table)
    handles(work)
    surfaces(work)
    descriptions(work)
    return Resolution(work.table.entities, work.surfaces)


@functools.lru_cache(maxsize=1 << 17)
def _phrase_info(phrase: str) -> tuple[str, tuple[int, str], tuple[int, str]]:
    key = phrase_key(phrase)
    words = key.split()
    return key, (len(words), words[0]), (len(words), words[-1])


def gather(work: _Work) -> None:
    """Names by key with all their spellings; the phrases that recur enough to be concepts."""
    totals: dict[str, int] = {}
    spread: dict[str, int] = {}
    heads: dict[tuple[int, str], int] = {}  # (words, first word) -> occurrences of such phrases
    tails: dict[tuple[int, str], int] = {}
    contexts: dict[str, set[str]] = {}
    as_prose = {name_key(n) for src in work.sources for n in src.facts.names
                if n not in src.facts.code_only}
    for src in work.sources:
        f = src.facts
        code_only = {n for n in f.code_only if name_key(n) not in as_prose}
        work.lower_words.update(f.lower_words)
        work.lower_by_sid[src.sid] = set(f.lower_words)
        work.surfaces[src.sid] = {}
        for surface, rec in f.names.items():
            if surface in code_only:
                continue
            key = name_key(surface)
            agg = work.names.get(key)
            if agg is None:
                agg = work.names[key] = Agg()
            _add(agg, src.sid, surface, rec, f)
        for phrase, ph in f.phrases.items():
            key, head, tail = _phrase_info(phrase)
            # the same sentence saved twice (a paper as PDF and as Markdown) is one use
            context = f.sentence(ph.first_sentence)
            if context in contexts.setdefault(key, set()):
                continue
            contexts[key].add(context)
            totals[key] = totals.get(key, 0) + ph.count
            spread[key] = spread.get(key, 0) + 1
            heads[head] = heads.get(head, 0) + ph.count
            tails[tail] = tails.get(tail, 0) + ph.count
        for acro, long in f.acronyms.items():
            work.acronyms.setdefault(acro, long)
        work.code_names.update(f.code_names)
    wanted = {k for k, n in totals.items() if recurs(spread[k], n) and cohesive(k, n, heads, tails)}
    for src in work.sources:  # only phrases that can be concepts get the full treatment
        for phrase, ph in src.facts.phrases.items():
            key = phrase_key(phrase)
            if key in wanted:
                agg = work.phrases.get(key)
                if agg is None:
                    agg = work.phrases[key] = Agg()
                _add(agg, src.sid, phrase, NameFacts(ph.count, ph.count, ph.first_sentence),
                     src.facts)


def concept_phrases(work: _Work) -> None:
    table = work.table
    for key in select_concepts(work.phrases):
        form = best_form(work.phrases[key])
        table.claim(key, form[:1].upper() + form[1:], CONCEPT, work.phrases[key])
    # capitalised names equal to a concept phrase are that concept
    for key, agg in work.names.items():
        if phrase_key(key) in table.owner:
            table.merge_into(table.entities[table.owner[phrase_key(key)]], agg, key)


def acronyms(work: _Work) -> None:
    table, names = work.table, work.names
    for acro, long in sorted(work.acronyms.items()):
        akey, lkey = name_key(acro), name_key(long)
        target = table.owner.get(phrase_key(long)) or table.owner.get(lkey)
        if target is None:
            agg = names.get(lkey) or Agg(desc="")
            if lkey not in names:
                names[lkey] = agg
                agg.forms[long] += 0
            kind = classify(long, agg) or (
                ORG if acro in L.KNOWN_ORGS or any(  # "Electricite de France (EDF)"
                    w in L.PLACES or w in L.NATIONALITIES for w in long.split()) else CONCEPT)
            if names.get(akey) is None and agg.count == 0:
                continue
            target = table.claim(lkey, long, kind, agg)
        ent = table.entities[target]
        if akey in names and akey not in table.owner:
            table.merge_into(ent, names[akey], akey)
        for key, agg in names.items():  # "Applied Research" of "Product and Applied Research"
            if key not in table.owner and key != lkey and f" {key} " in f" {lkey} " \
                    and set(agg.first_mention) <= set(ent.mentions):
                table.merge_into(ent, agg, key)
        if acro not in ent.aliases:
            ent.aliases.append(acro)


def multi_word_names(work: _Work) -> None:
    names, table = work.names, work.table
    for key in sorted(names, key=lambda k: (-len(k.split()), k)):
        agg = names[key]
        if key in table.owner or len(key.split()) < 2 or agg.count == 0:
            continue
        form = best_form(agg)
        last = names.get(key.split()[-1])
        if last is not None and last.cues[Cue.VERB] and set(last.first_mention) \
                & set(agg.first_mention):
            agg.cues[Cue.VERB] += 1  # "Lindqvist says": the surname alone acts like a person
        if last is not None and not agg.cues[Cue.SURNAME] and not _thing(last) \
                and not work.lower_words & set(key.split()) \
                and re.fullmatch(r"[A-Z][a-z][\w’'\-]*", form.split()[-1]) \
                and sum(last.count_by_source[s] for s in agg.first_mention) \
                >= T.SURNAME_MIN_MENTIONS and last.mid_sentence >= T.SURNAME_MIN_MENTIONS:
            agg.cues[Cue.SURNAME] += 1  # "Jean-Luc Fournier" ... "Fournier, who ...": a person
        kind = classify(form, agg)
        if kind == PRODUCT and key.split()[0] in work.lower_words \
                and any(c.isdigit() for c in key):
            # "Software 3.0" said again and again is an idea; "Type 2" once is a fragment
            kind = CONCEPT if agg.count >= T.NAME_MIN_MENTIONS else None
        if kind == PRODUCT and (agg.count < T.NAME_MIN_MENTIONS or agg.mid_sentence == 0) \
                and not agg.cues[Cue.TITLE] and not agg.cues[Cue.PRODUCT] \
                and any(c.isdigit() for c in key):
            continue  # "Spawns 8": a word and a number, said once or only as a label
        if kind is None:
            continue
        toks = key.split()
        short = {toks[0], toks[-1]} if kind == PERSON else {toks[0]} if kind == ORG else set()
        extra = sum(names[t].count_by_source[sid] for t in short if t in names
                    for sid in agg.first_mention)
        if matters(agg, kind, extra):
            table.claim(key, form, kind, agg)


def single_words(work: _Work) -> None:
    names, table = work.names, work.table
    by_token: dict[str, list[Entity]] = {}
    for e in table.entities.values():
        if e.kind == PERSON and " " in e.title:
            toks = e.title.split()
            for tok in {toks[0], toks[-1]}:
                by_token.setdefault(tok.casefold(), []).append(e)
    orgs_by_first = {e.title.split()[0].casefold(): e for e in table.entities.values()
                     if e.kind == ORG and " " in e.title
                     and all(w in L.ORG_SUFFIXES or w == "AI" for w in e.title.split()[1:])}
    for key in sorted(names):
        agg = names[key]
        if key in table.owner or " " in key or agg.count == 0:
            continue
        form = best_form(agg)
        if form in work.code_names and not agg.cues[Cue.TITLE]:
            continue  # "CovidModel": a class of the code shown in another article
        people = by_token.get(key, [])
        if people and form not in L.KNOWN_ORGS and form not in L.KNOWN_PRODUCTS \
                and not _thing(agg):
            _person_by_one_name(work, key, form, agg, people)
            continue
        if key in orgs_by_first and form not in L.KNOWN_ORGS \
                and 2 * len(set(agg.first_mention) & set(orgs_by_first[key].mentions)) \
                >= len(agg.first_mention):
            # "Lumora" beside Lumora Robotics; but "Rust", named in many sources that never
            # say "Rust Project", is a name of its own
            org = orgs_by_first[key]
            table.merge_into(org, agg, key)
            if form not in org.aliases:
                org.aliases.append(form)
            continue
        # an ordinary word where most of the sources naming it also write it in lower case
        lower = sum(1 for s in agg.first_mention if key in work.lower_by_sid.get(s, ()))
        kind = classify_single(form, agg, lower * 2 > len(agg.first_mention),
                               key in work.lower_words)
        if kind and matters(agg, kind, 0):
            table.claim(key, form, kind, agg)


def _thing(agg: Agg) -> bool:
    """The words around it say it is an organisation or a product, never a person."""
    return agg.cues[Cue.ORG] + agg.cues[Cue.PRODUCT] >= 2 and agg.count >= 5 \
        and not (agg.cues[Cue.VERB] or agg.cues[Cue.ROLE])


def _person_by_one_name(work: _Work, key: str, form: str, agg: Agg,
                        people: list[Entity]) -> None:
    """"Wang" is Alexandr Wang in the sources that name him (or the only Wang of the wiki)."""
    for sid, forms in agg.forms_by_source.items():
        here = [p for p in people if sid in p.mentions]
        pick = here if len(here) == 1 else []
        if not here and len(people) == 1 and key not in work.lower_by_sid[sid] \
                and key not in L.STOPWORDS:
            pick = people
        if not pick:
            continue
        ent = pick[0]
        for surface in forms:
            work.surfaces[sid][surface] = ent.key
        add_mention(ent, sid, agg.first_mention[sid])
        ent.weight += agg.count_by_source[sid]
        ent.counts[sid] += agg.count_by_source[sid]
        if form not in ent.aliases:
            ent.aliases.append(form)
        if agg.desc and not ent.desc:  # "co-author Leech"
            ent.desc = agg.desc


def handles(work: _Work) -> None:
    table = work.table
    for src in work.sources:
        for handle, rec in src.facts.handles.items():
            target = handle_target(handle, rec.name, table)
            if not target:
                continue
            ent = table.entities[target]
            if handle not in ent.aliases:
                ent.aliases.append(handle)
            work.surfaces[src.sid][handle] = target
            if rec.count and src.sid not in ent.mentions:
                add_mention(ent, src.sid, FirstMention(
                    rec.first_sentence, src.facts.sentence(rec.first_sentence)))


def surfaces(work: _Work) -> None:
    """Every spelling of every claimed name or phrase, per source, to its (final) entity."""
    table = work.table
    for key, ent_key in table.owner.items():
        agg = work.names.get(key) or work.phrases.get(key)
        if agg is None or ent_key not in table.entities:
            continue
        for sid, forms in agg.forms_by_source.items():
            for surface in forms:
                work.surfaces[sid].setdefault(surface, ent_key)
    for sid_map in work.surfaces.values():
        for surface, k in list(sid_map.items()):
            sid_map[surface] = table.final_key(k)


def descriptions(work: _Work) -> None:
    table = work.table
    defs: dict[str, str] = {}
    for src in work.sources:
        for phrase, text in src.facts.definitions.items():
            defs.setdefault(phrase_key(phrase), text)
    for key, ent_key in table.owner.items():  # "Vibe coding is about access." when nothing better
        ent = table.entities.get(ent_key)
        if ent is not None and ent.kind == CONCEPT and not ent.desc and key in defs:
            ent.desc = defs[key]
    forms: dict[str, dict[str, list[str]]] = {}  # entity -> source -> its spellings there
    for sid, by_surface in work.surfaces.items():
        for surface, k in by_surface.items():
            forms.setdefault(k, {}).setdefault(sid, []).append(surface)
    for ent in table.entities.values():
        # each mention quoted around the entity's own name (a long sentence names many)
        for sid, where in list(ent.mentions.items()):
            if len(where.context) <= T.MAX_CONTEXT_CHARS:
                continue
            names = [*sorted(forms.get(ent.key, {}).get(sid, []), key=len, reverse=True),
                     ent.title, *ent.aliases]
            ent.mentions[sid] = FirstMention(where.sentence, window(
                where.context, names, T.MAX_CONTEXT_CHARS))
    for ent in table.entities.values():
        if not ent.desc and ent.lead_text and ent.kind != PERSON:
            ent.desc = _clause(ent.lead_text, [ent.title, *ent.aliases])
        if not ent.desc and ent.weak_kind:
            ent.desc = ent.weak_kind
        if not ent.desc:
            spelt = sorted({f for fs in forms.get(ent.key, {}).values() for f in fs},
                           key=lambda f: (-len(f), f))
            ent.desc = _best_context(ent, spelt) or _any_context(ent, spelt)
        ent.aliases = sorted({a for a in ent.aliases if a != ent.title}, key=str.casefold)


# "X is a ...", "X, the ...", "X refers to": what a definition looks like after the name
_DEFINING = re.compile(r"(?:(?:is|are|was|were)\s+(?:a|an|the|one of)\b|refers to\b|means\b"
                       r"|,\s+(?:a|an|the)\s)", re.IGNORECASE)
_RELATION = re.compile(r"\b(?:my|our|his|her|their)\s+(?:\w+\s+)?(?:colleague|friend|wife|husband|"
                       r"boss|partner|co-?author|brother|sister|mother|father|son|daughter)s?\s*$",
                       re.IGNORECASE)


def _best_context(ent: Entity, spelt: list[str]) -> str:
    """The sentence that best says what the entity is, from those that first mention it: one
    that reads like a definition ("X is", "X, the ...", "X (...)"), else the shortest that
    starts with it (it is the subject); as its first clause. Empty when there is none."""
    names = [ent.title, *ent.aliases, *spelt]
    best: tuple[int, int, str] | None = None
    for sid in sorted(ent.mentions):
        text = ent.mentions[sid].context
        if not text or text.startswith(("**", "#", "|")) or "Author of this article" in text:
            continue
        folded = text.casefold()
        hit = next((n for n in names if n and n.casefold() in folded), None)
        if hit is None or not 40 <= len(text) <= 400 or len(text.split()) < 6 \
                or not text.rstrip("”’\"')").endswith((".", "!", "?")):
            continue
        at = folded.index(hit.casefold())
        if _RELATION.search(text[:at]):
            continue  # "my colleague Rafael Ortiz": how the writer knows them, not who they are
        after = text[at + len(hit):].lstrip()
        subject = at <= 4  # the sentence is about it: "Melodie is ...", "The GA converts ..."
        defining = bool(_DEFINING.match(after)) or (subject and after.startswith("("))
        if not (defining or subject):
            continue  # "Kuhn was trained at Harvard" says nothing of Harvard
        rank = (0 if defining else 1, len(text), text)
        if best is None or rank < best:
            best = rank
    return _clause(best[2], names) if best else ""


_KIN = re.compile(r"\b(?:colleague|friend|wife|husband|boss|partner|co-?author|brother|sister"
                  r"|mother|father|son|daughter)s?\s*$", re.IGNORECASE)
_MARKUP = re.compile(r"<!--.*?-->|<[^<>\n]{1,200}>")


def _any_context(ent: Entity, spelt: list[str]) -> str:
    """When no sentence says what it is: the clearest sentence that names it (it named early,
    a whole sentence, not too long), as its first clause; else the first sentence it is in."""
    names = [n.casefold() for n in (ent.title, *ent.aliases, *spelt) if n]
    best: tuple[int, int, int, int, str, str] | None = None
    fallback = ""
    for sid in sorted(ent.mentions)[:T.DESCRIPTION_MAX_SOURCES]:
        text = ent.mentions[sid].context
        if "<" in text:
            text = " ".join(_MARKUP.sub(" ", text).split())
        if not text or "Author of this article" in text or re.match(r"#{1,6}\s|\|", text):
            continue
        fallback = fallback or text
        folded = text.removeprefix("… ").casefold()
        at = min((folded.find(n) for n in names if n in folded), default=-1)
        if at < 0 or len(text.split()) < 4:
            continue
        if _KIN.search(text.removeprefix("… ")[:at]):
            # "My colleague Rafael Ortiz at Stanford has ...": how the writer knows them is not
            # who they are; the sentence from the name on is
            text = text.removeprefix("… ")[at:]
            text, at = text[:1].upper() + text[1:], 0
        whole = text.rstrip("”’\"')").endswith((".", "!", "?"))
        label = bool(re.match(r"[^:]{1,40}:\s", text))  # "Jerod Santo: Hey, Chris."
        rank = (0 if whole and len(text) <= 300 and not label else 1 if not label else 2,
                0 if at <= 4 else 1, len(text) // 80, at, text, sid)  # about it, short
        if best is None or rank < best:
            best = rank
    return _clause(best[4] if best else fallback, names) if best or fallback else ""


def _clause(sentence: str, names: list[str] | tuple[str, ...] = (),
            limit: int = T.DESCRIPTION_CLAUSE_CHARS) -> str:
    """A sentence as a description: its first clause when it is long (or, when the entity is
    named further on, the part of it that names the entity)."""
    text = sentence.rstrip(" …")
    at, end = first_at(text, list(names))
    if len(text) > limit and end > min(limit, max(text.find(", ", 60), 60)):
        text = window(text, list(names), limit).rstrip(" …")
        return text.rstrip(",;:— ") + ("" if text.endswith((".", "!", "?")) else " …")
    if len(text) > limit:
        cut = text.find(", ", 60)
        if cut < 0 or cut > 240:
            return text[:limit].rsplit(" ", 1)[0].rstrip(",;:— ") + " …"
        text = text[:cut]
    return text.rstrip(",;:— ") + ("" if text.endswith((".", "!", "?")) else ".")


def _add(agg: Agg, sid: str, surface: str, rec: NameFacts, facts: Facts) -> None:
    n = rec.count
    agg.count += n
    agg.mid_sentence += rec.mid_sentence
    agg.forms[surface] += n
    if rec.cues:
        agg.cues.update(rec.cues)
    if rec.desc and not agg.desc:
        agg.desc = rec.desc
    if rec.lead_sentence is not None and not agg.lead_text:
        agg.lead_text = facts.sentence(rec.lead_sentence)
    if rec.weak_kind and not agg.weak_kind:
        agg.weak_kind = rec.weak_kind
    pos = rec.first_sentence
    where = agg.first_mention.get(sid)
    if where is None or pos < where.sentence:
        agg.first_mention[sid] = FirstMention(pos, facts.sentence(pos))
    agg.forms_by_source.setdefault(sid, []).append(surface)
    agg.count_by_source[sid] += n
