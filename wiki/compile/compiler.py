"""The compiler seam: a ``Compiler`` turns articles into pages; ``RuleCompiler`` does it offline.

An LLM-backed compiler can implement the same :class:`Compiler` protocol: it receives the new or
changed articles and a :class:`WikiView` (everything compiled before, and a way to load an old
article again), and returns the pages to write. Reading raw files, writing pages safely, the
state, ``index.md`` and ``log.md`` are shared (``wiki/compile/build.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from wiki.compile.entities import thresholds as limits
from wiki.compile.entities.extract import extract
from wiki.compile.entities.facts import Facts
from wiki.compile.entities.resolve import KIND_FOLDERS, Entity, Resolution, SourceFacts, resolve
from wiki.compile.state import CompileState, PageKind, SourceRecord
from wiki.compile.types import Article
from wiki.compile.writing import render
from wiki.compile.writing.writer import PageRecord, sha
from wiki.core.rules import safe_page_name


@dataclass(slots=True)
class PageOut:
    rel: str  # vault-relative path
    text: str
    kind: PageKind
    title: str
    summary: str  # one line for index.md
    fingerprint: str  # hash of what the page was rendered from
    keep_lines: list[str] = field(default_factory=list)  # lines to add to a user-edited page
    made_by: str = ""  # who wrote the prose ("" the rules; else the compiler's ``variant``)


@dataclass(slots=True)
class CompiledPages:
    pages: dict[str, PageOut] = field(default_factory=dict)  # pages whose content may have changed
    keep: set[str] = field(default_factory=set)  # every page the wiki should have now
    source_pages: dict[str, str] = field(default_factory=dict)  # article id -> page path
    touched_by: dict[str, list[str]] = field(default_factory=dict)  # article id -> pages about it


@dataclass(slots=True)
class WikiView:
    """What a compiler may know about the wiki: the state, and old articles on demand."""

    state: CompileState
    load_article: Callable[[str], Article | None]
    removed: dict[str, SourceRecord] = field(default_factory=dict)  # article id -> old record


class Compiler(Protocol):
    def compile_articles(self, articles: list[Article], wiki: WikiView) -> CompiledPages:
        """Pages for the wiki after adding ``articles`` (new or changed) to what it holds.

        Article records (``wiki.state.sources[sid]``, a :class:`SourceRecord`) already exist
        for every article.
        """
        ...


def sid_of(article: Article) -> str:
    return f"{article.raw}#{article.index}"


def _sid_order(sid: str) -> tuple[str, int]:
    raw, _, idx = sid.rpartition("#")
    return raw, int(idx) if idx.isdigit() else 0


class RuleCompiler:
    """Offline, deterministic heuristics (``entities.extract`` per article, ``entities.resolve``
    across the wiki)."""

    variant = ""

    def stale(self, record: PageRecord) -> bool:
        """Should this already written page be written again by this compiler?"""
        return False

    def source_text(self, sid: str, article: Article, title: str, summary: str,
                    points: tuple[list[str], int], linked: list[str]
                    ) -> tuple[str, tuple[list[str], int], str]:
        """(summary, (key points, how many in all), made_by) of a source page.
        ``linked``: the names of the pages the source page links to."""
        return summary, points, ""

    def entity_text(self, key: str, title: str, kind: str, description: str,
                    mentions: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]], str]:
        """(description, [(source page name, what it says)], made_by) of an entity page.
        ``mentions``: (source page name, the context it is mentioned in)."""
        return description, [], ""

    def compile_articles(self, articles: list[Article], wiki: WikiView) -> CompiledPages:
        state = wiki.state
        fresh = {sid_of(a): a for a in articles}
        for sid, article in fresh.items():
            state.set_facts(sid, extract(article))
        order = sorted(state.sources, key=lambda s: (state.sources[s].ingested, _sid_order(s)))
        res = resolve([SourceFacts(s, state.sources[s].title, state.facts.get(s) or Facts())
                       for s in sorted(state.sources, key=_sid_order)])
        order_idx = {s: i for i, s in enumerate(order)}
        ent_names = _entity_names(res)
        src_names = _source_names(state, ent_names)
        out = CompiledPages()
        by_sid: dict[str, list[Entity]] = {s: [] for s in state.sources}
        for ent in res.entities.values():
            for s in ent.mentions:
                by_sid[s].append(ent)
        ent_rels = {k: f"{KIND_FOLDERS[e.kind]}/{ent_names[k]}.md" for k, e in res.entities.items()}
        # A page can only change when one of its sources changed, or when the entities found in
        # one of its sources changed (added, renamed, merged): the source's "roster".
        dirty = set(fresh)
        dirty_rels: set[str] = set()
        for rec in wiki.removed.values():
            dirty_rels.update(rec.entity_pages)
        for sid, ents in by_sid.items():
            roster = sha("\x1f".join([src_names[sid], *sorted(
                f"{ent_names[e.key]}\x1e{e.title}\x1e{e.counts[sid]}" for e in ents)]))
            src = state.sources[sid]
            if src.entities_hash != roster:
                dirty.add(sid)
                dirty_rels.update(src.entity_pages)
                src.entities_hash = roster
                src.entity_pages = sorted(ent_rels[e.key] for e in ents)
        for ent in sorted(res.entities.values(), key=lambda e: e.key):
            rel = ent_rels[ent.key]
            out.keep.add(rel)
            for s in ent.mentions:
                out.touched_by.setdefault(s, []).append(rel)
            if rel in state.pages and rel not in dirty_rels and dirty.isdisjoint(ent.mentions) \
                    and not self.stale(state.pages[rel]):
                continue
            self._entity(ent, res, by_sid, order_idx, ent_names, src_names, state, out)
        for sid in order:
            rel = f"sources/{src_names[sid]}.md"
            out.keep.add(rel)
            out.source_pages[sid] = rel
            out.touched_by.setdefault(sid, []).insert(0, rel)
            if rel in state.pages and sid not in dirty and not self.stale(state.pages[rel]):
                continue
            self._source(sid, res, by_sid[sid], ent_names, src_names, state, fresh, wiki, out)
        return out

    def _entity(self, ent: Entity, res: Resolution, by_sid: dict[str, list[Entity]],
                order: dict[str, int], ent_names: dict[str, str], src_names: dict[str, str],
                state: CompileState, out: CompiledPages) -> None:
        name = ent_names[ent.key]
        rel = f"{KIND_FOLDERS[ent.kind]}/{name}.md"
        sids = sorted(ent.mentions, key=order.__getitem__)
        mentions = [(src_names[s], ent.mentions[s].context) for s in sids]
        co: dict[str, int] = {}
        for s in sids[-limits.RELATED_WINDOW:]:  # the latest sources are enough to find companions
            for e in by_sid[s]:
                # each shared source counts most, then how often the other is named there
                co[e.key] = co.get(e.key, 0) + limits.RELATED_SHARED_SOURCE \
                    + min(e.counts[s] or 1, limits.RELATED_MAX_PER_SOURCE)
        co.pop(ent.key, None)
        related = sorted(co, key=lambda k: (-co[k], k))[:limits.MAX_RELATED]
        rel_pairs = [(ent_names[k], res.entities[k].title) for k in related]
        desc, says, made_by = self.entity_text(ent.key, ent.title, ent.kind,
                                               render.describe(ent, len(mentions)), mentions)
        text = render.entity_page(ent, mentions, rel_pairs, description=desc, sources_say=says)
        fp = sha(text)
        out.pages[rel] = PageOut(rel, text, PageKind(ent.kind.value), ent.title, desc, fp,
                                 [render.mention_line(n, c) for n, c in mentions], made_by)

    def _source(self, sid: str, res: Resolution, ents: list[Entity], ent_names: dict[str, str],
                src_names: dict[str, str], state: CompileState, fresh: dict[str, Article],
                wiki: WikiView, out: CompiledPages) -> None:
        rec = state.sources[sid]
        name = src_names[sid]
        rel = f"sources/{name}.md"
        ents = sorted(ents, key=lambda e: (e.mentions[sid].sentence, e.key))
        linked = [(e, ent_names[e.key]) for e in ents]
        surfaces = {s: (ent_names[k], res.entities[k].title)
                    for s, k in sorted(res.surfaces.get(sid, {}).items()) if k in res.entities}
        raw_rec = state.raw.get(rec.raw)
        raw_sha = raw_rec.sha if raw_rec else ""
        fp = sha(json.dumps([rec.title, rec.raw, rec.ingested, raw_sha, sid,
                             [(e.key, n) for e, n in linked], sorted(surfaces.items())],
                            ensure_ascii=False))
        old = state.pages.get(rel)
        if old is not None and old.fingerprint == fp and not self.stale(old):
            return
        article = fresh.get(sid) or wiki.load_article(sid)
        if article is None:
            return
        summary = render.summary_of(article)
        pts, total = render.key_points(article, lambda s: sum(1 for x in surfaces if x in s))
        points = render.without_repeats((pts, total), summary)  # none repeats the summary
        summary, points, made_by = self.source_text(sid, article, rec.title, summary, points,
                                                    [n for _, n in linked])
        text = render.source_page(article, title=rec.title, raw=rec.raw,
                                  ingested=rec.ingested, summary=summary,
                                  points=points, linked=linked, surfaces=surfaces)
        out.pages[rel] = PageOut(rel, text, PageKind.SOURCE, rec.title, summary, fp, [], made_by)


def _entity_names(res: Resolution) -> dict[str, str]:
    names: dict[str, str] = {}
    used: set[str] = set()
    for ent in sorted(res.entities.values(), key=lambda e: (-e.weight, e.key)):
        name = safe_page_name(ent.title)
        if name.casefold() in used:
            name = f"{name} ({ent.kind})"
        n = 2
        base = name
        while name.casefold() in used:
            name = f"{base} {n}"
            n += 1
        used.add(name.casefold())
        names[ent.key] = name
    return names


def _source_names(state: CompileState, ent_names: dict[str, str]) -> dict[str, str]:
    taken = {n.casefold() for n in ent_names.values()}
    used = set(taken)
    names: dict[str, str] = {}
    for sid in sorted(state.sources, key=lambda s: (state.sources[s].ingested, _sid_order(s))):
        base = safe_page_name(state.sources[sid].title)
        if base.casefold() in taken:
            base = f"{base} (source)"
        name = base
        n = 2
        while name.casefold() in used:
            name = f"{base} ({n})"
            n += 1
        used.add(name.casefold())
        names[sid] = name
    return names
