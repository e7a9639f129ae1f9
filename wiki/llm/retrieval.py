"""What the model reads before it answers: pages of the vault chosen within a token budget.

Three sources, in this order of trust: our own full-text search (the question's words, any of
them, ranked by BM25F), the pages those hits link to or are linked from (the link graph: entity
pages of a source, the sources of an entity), and the lines of ``index.md`` that name the
question's words (the catalogue: one line per page). Filed answers (``type: answer``) are never
context, so an answer can never cite an earlier answer as its evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from wiki.core.model import Page, PageInfo, ResolvedLink, SearchResults
from wiki.core.rules import AGENTS_PAGE, ANSWER_TYPE, SPECIAL_PAGES
from wiki.llm.client import estimate_tokens

SPECIAL = {*SPECIAL_PAGES, AGENTS_PAGE}
MAX_HITS = 8
MAX_NEIGHBOURS = 4
PAGE_TOKENS = 900  # one page's share of the budget at most (the start of a page says most)
CATALOGUE_SHARE = 0.15
_WORD = re.compile(r"[^\W_][\w'’-]*[^\W_]|[^\W_]")
_LINK = re.compile(r"!?\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")
_FRONTMATTER_GAP = re.compile(r"\n{3,}")
STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves tell know explain describe say said
does did many much also give list please
""".split())


class ReadableVault(Protocol):
    """The parts of :class:`wiki.vault.facade.Vault` retrieval reads (any thread)."""

    def search(self, query: str, limit: int = 20) -> SearchResults: ...
    def page_info(self, path: str) -> PageInfo | None: ...
    def read_page(self, path: str) -> Page: ...
    def outgoing(self, path: str) -> list[ResolvedLink]: ...
    def backlinks(self, path: str) -> list: ...


@dataclass(slots=True)
class Passage:
    number: int  # as the model cites it: [1], [2], …
    path: str
    title: str
    text: str
    why: str  # "search" or "link"


@dataclass(slots=True)
class Context:
    question: str
    passages: list[Passage] = field(default_factory=list)
    catalogue: list[str] = field(default_factory=list)  # lines of index.md
    tokens: int = 0

    def by_number(self, number: int) -> Passage | None:
        return next((p for p in self.passages if p.number == number), None)


def keywords(question: str) -> list[str]:
    """The question's content words, lower-cased, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(question):
        low = word.casefold().strip("'’-")
        if len(low) > 1 and low not in STOP_WORDS and low not in seen:
            seen[low] = None
    return list(seen)


def search_query(words: list[str]) -> str:
    """Any of the words (our search ANDs words by default; a question rarely has them all)."""
    return " OR ".join(f'"{w}"' if not w.isalnum() else w for w in words)


def plain_text(body: str) -> str:
    """A page body for the model: links as their text (the model should not copy link
    syntax, and cites by number instead)."""
    text = _LINK.sub(lambda m: (m.group(2) or m.group(1).rpartition("/")[2]).strip(), body)
    return _FRONTMATTER_GAP.sub("\n\n", text).strip()


def clip_to_tokens(text: str, tokens: int) -> str:
    if estimate_tokens(text) <= tokens:
        return text
    limit = max(0, int(tokens * 3.5) - 2)
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.8 else cut).rstrip() + " …"


def retrieve(vault: ReadableVault, question: str, budget: int) -> Context:
    """Pages for ``question`` within ``budget`` tokens (estimated on the high side)."""
    ctx = Context(question)
    words = keywords(question)
    if not words:
        return ctx
    ranked = _search(vault, words)
    ranked += [p for p in _neighbours(vault, ranked[:3]) if p not in ranked]
    catalogue_budget = int(budget * CATALOGUE_SHARE)
    ctx.catalogue = _catalogue(vault, words, catalogue_budget)
    used = sum(estimate_tokens(line) for line in ctx.catalogue)
    search_hits = set(ranked[:MAX_HITS])
    for path in ranked:
        room = budget - used
        if room < 80:
            break
        page = vault.read_page(path)
        if page.problem and not page.body.strip():
            continue
        text = clip_to_tokens(plain_text(page.body), min(PAGE_TOKENS, room - 20))
        if not text:
            continue
        number = len(ctx.passages) + 1
        ctx.passages.append(Passage(number, path, page.title, text,
                                    "search" if path in search_hits else "link"))
        used += estimate_tokens(text) + estimate_tokens(page.title + path) + 4
    ctx.tokens = used
    return ctx


def _usable(vault: ReadableVault, path: str) -> bool:
    info = vault.page_info(path)
    return info is not None and path not in SPECIAL and (info.type or "") != ANSWER_TYPE


def _search(vault: ReadableVault, words: list[str]) -> list[str]:
    results = vault.search(search_query(words), limit=MAX_HITS * 3)
    if results.error:
        return []
    out: list[str] = []
    for hit in results.hits:
        if _usable(vault, hit.path) and hit.path not in out:
            out.append(hit.path)
        if len(out) >= MAX_HITS:
            break
    return out


def _neighbours(vault: ReadableVault, top: list[str]) -> list[str]:
    """Pages linked to or from the best hits, most connected first."""
    score: dict[str, int] = {}
    for rank, path in enumerate(top):
        weight = len(top) - rank
        linked = [r.path for r in vault.outgoing(path) if r.path]
        linked += [m.path for m in vault.backlinks(path)]
        for other in dict.fromkeys(linked):
            if other != path and other not in top and _usable(vault, other):
                score[other] = score.get(other, 0) + weight
    return sorted(score, key=lambda p: (-score[p], p))[:MAX_NEIGHBOURS]


def _catalogue(vault: ReadableVault, words: list[str], budget: int) -> list[str]:
    """Lines of index.md that name one of the words (one line per page, with its summary)."""
    if vault.page_info("index.md") is None or budget <= 0:
        return []
    page = vault.read_page("index.md")
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")",
                         re.IGNORECASE)
    lines: list[str] = []
    used = 0
    for line in page.body.splitlines():
        if not line.startswith("- ") or not pattern.search(line):
            continue
        text = plain_text(line)
        cost = estimate_tokens(text)
        if used + cost > budget:
            break
        lines.append(text)
        used += cost
    return lines
