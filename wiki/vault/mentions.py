"""Unlinked mentions: pages whose text names a page (title or alias) without linking to it.

The search index narrows the candidates with a phrase query, then each candidate's text is
checked with a whole-word regex outside code and outside existing links, so the cost depends on
how often the name occurs, not on the size of the vault.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from wiki.core.model import Mention, Page, PageInfo
from wiki.core.scripts import has_no_space_script
from wiki.markup.links import mask_code

MIN_NAME_LENGTH = 3
MIN_CJK_NAME_LENGTH = 2  # 北京, 東京, 서울: two characters make a name
_LINKISH = re.compile(r"!?\[\[[^\]\n]*\]\]|\[[^\]\n]*\]\([^)\n]*\)")
_WS = re.compile(r"\s+")


def _names(info: PageInfo) -> list[str]:
    """Title, file name and aliases, each in both Unicode forms: a file name from macOS is
    decomposed (NFD) while text typed elsewhere is usually composed (NFC)."""
    names = [unicodedata.normalize(form, n) for n in (info.title, info.name, *info.aliases)
             for form in ("NFC", "NFD")]
    seen: dict[str, str] = {}
    for name in names:
        name = name.strip()
        shortest = MIN_CJK_NAME_LENGTH if has_no_space_script(name) else MIN_NAME_LENGTH
        if len(name) >= shortest and name.lower() not in seen:
            seen[name.lower()] = name
    return sorted(seen.values(), key=len, reverse=True)


def _name_pattern(name: str) -> str:
    """A name as a whole word; Chinese, Japanese, Thai... have no spaces between words, so a
    name in those scripts is found inside a sentence (机器学习 in 强化学习是机器学习的一个分支)."""
    before = "" if has_no_space_script(name[0]) else r"(?<![\w#@/])"
    after = "" if has_no_space_script(name[-1]) else r"(?![\w])"
    return before + re.escape(name) + after


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _context(text: str, start: int, end: int, width: int = 240) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    lo = max(line_start, start - width // 2)
    hi = min(line_end, end + width // 2)
    snippet = _WS.sub(" ", text[lo:hi]).strip()
    return ("…" if lo > line_start else "") + snippet + ("…" if hi < line_end else "")


def find_unlinked_mentions(info: PageInfo, *, phrase_candidates: Callable[[str], list[str]],
                           read_page: Callable[[str], Page], exclude: set[str],
                           limit: int = 50,
                           label: Callable[[str], str] | None = None) -> list[Mention]:
    """Pages (not in ``exclude``) whose text names ``info`` without linking to it.
    ``phrase_candidates(name)`` narrows the search (the index's phrase query); ``read_page``
    reads a candidate fresh from disk; ``label(path)`` names it (default: its title)."""
    names = _names(info)
    if not names:
        return []
    pattern = re.compile("|".join(_name_pattern(n) for n in names), re.IGNORECASE)
    candidates: list[str] = []
    for name in names:
        try:
            found_in = phrase_candidates(name)
        except NotImplementedError:  # Whoosh's reader of an empty index (during a rebuild)
            return []
        for path in found_in:
            if path not in exclude and path not in candidates:
                candidates.append(path)
    found: list[Mention] = []
    for path in sorted(candidates):
        page = read_page(path)
        searchable = _LINKISH.sub(_blank, mask_code(page.body))
        match = pattern.search(searchable)
        if match is None:
            continue
        line = page.body.count("\n", 0, match.start()) + 1
        context = _context(page.body, match.start(), match.end())
        found.append(Mention(path, label(path) if label else page.title, context, line))
        if len(found) >= limit:
            break
    return found
