"""Unlinked mentions: pages whose text names a page (title or alias) without linking to it.

The search index narrows the candidates with a phrase query, then each candidate's text is
checked with a whole-word regex outside code and outside existing links, so the cost depends on
how often the name occurs, not on the size of the vault. Every candidate is checked, so the
count is the real total; only the first ``limit`` mentions carry their context.

Names that are everyday words ("Default", "Index", "Todo", "Example") would list every page
that uses the word. No dictionary is needed to tell them: the vault itself says so. A one-word
name is *common* when the candidate pages write it in lower case ("the default value") on at
least ``COMMON_WORD_PAGES`` pages. For a common name only occurrences written exactly as the
name (same capitals) and not at the start of a sentence, a list item or a heading count: "see
the Index for more" is the page; "Index the files." and "an index" are the word. A name
written in lower case itself ("todo") that is common is never listed: nothing tells the page
from the word. Names of several words, and rare one-word names, match case-insensitively.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from wiki.core.model import Mention, Page, PageInfo
from wiki.core.scripts import has_no_space_script
from wiki.markup.context_text import readable
from wiki.markup.links import mask_code

MIN_NAME_LENGTH = 3
MIN_CJK_NAME_LENGTH = 2  # 北京, 東京, 서울: two characters make a name
_LINKISH = re.compile(r"!?\[\[[^\]\n]*\]\]|\[[^\]\n]*\]\([^)\n]*\)")
_WS = re.compile(r"\s+")
COMMON_WORD_PAGES = 2
_OPENERS = " \t*_\"'“‘(["  # what may stand between a sentence start and its first word
_MARKER = re.compile(r"\s*(?:[-*+>#]+|\d+[.)])")  # list item, quote, heading


@dataclass(frozen=True, slots=True)
class MentionList:
    """The first mentions (with their context) and how many pages mention the page in all."""

    mentions: list[Mention] = field(default_factory=list)
    total: int = 0


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
    return readable(("…" if lo > line_start else "") + snippet + ("…" if hi < line_end else ""))


def searchable_text(body: str) -> str:
    """The body with code and existing links blanked out (same length, same offsets)."""
    return _LINKISH.sub(_blank, mask_code(body))


def _one_word(name: str) -> bool:
    return name.isalpha() and not has_no_space_script(name)


def starts_sentence(text: str, at: int) -> bool:
    """Whether ``text[at]`` begins a sentence, a line, a list item or a heading."""
    line_start = text.rfind("\n", 0, at) + 1
    before = text[line_start:at].rstrip(_OPENERS)
    return not before or before.endswith((".", "!", "?", "…", ":", ";")) \
        or _MARKER.fullmatch(before) is not None


class NameMatcher:
    """Finds the unlinked occurrences of a page's names in a text (see the module docstring)."""

    def __init__(self, names: list[str], common: set[str]) -> None:
        loose = [n for n in names if not (_one_word(n) and n.lower() in common)]
        strict = [n for n in names if _one_word(n) and n.lower() in common and not n.islower()]
        self._loose = (re.compile("|".join(_name_pattern(n) for n in loose), re.IGNORECASE)
                       if loose else None)
        self._strict = (re.compile("|".join(_name_pattern(n) for n in strict))
                        if strict else None)

    def first(self, text: str) -> re.Match[str] | None:
        best: re.Match[str] | None = None
        if self._loose is not None:
            best = self._loose.search(text)
        if self._strict is not None:
            for m in self._strict.finditer(text, 0, best.start() if best else len(text)):
                if not starts_sentence(text, m.start()):
                    return m
        return best


def common_names(names: list[str], bodies: list[str]) -> set[str]:
    """The one-word names (lower-cased) that these texts use as ordinary lower-case words on at
    least ``COMMON_WORD_PAGES`` of them."""
    out: set[str] = set()
    for name in {n.lower() for n in names if _one_word(n)}:
        word = re.compile(rf"(?<![\w#@/]){re.escape(name)}(?!\w)")
        if sum(1 for body in bodies if word.search(body)) >= COMMON_WORD_PAGES:
            out.add(name)
    return out


def unlinked_mentions(info: PageInfo, *, phrase_candidates: Callable[[str], list[str]],
                      read_page: Callable[[str], Page], exclude: set[str], limit: int = 50,
                      label: Callable[[str], str] | None = None) -> MentionList:
    """Pages (not in ``exclude``) whose text names ``info`` without linking to it: the first
    ``limit`` (by path) and the total. ``phrase_candidates(name)`` narrows the search (the
    index's phrase query, case-insensitive); ``read_page`` reads a candidate fresh from disk;
    ``label(path)`` names it (default: its title)."""
    names = _names(info)
    if not names:
        return MentionList()
    candidates: list[str] = []
    for name in names:
        try:
            found_in = phrase_candidates(name)
        except NotImplementedError:  # Whoosh's reader of an empty index (during a rebuild)
            return MentionList()
        for path in found_in:
            if path not in exclude and path not in candidates:
                candidates.append(path)
    pages = [read_page(path) for path in sorted(candidates)]
    texts = [searchable_text(page.body) for page in pages]
    matcher = NameMatcher(names, common_names(names, texts))
    found: list[Mention] = []
    total = 0
    for page, searchable in zip(pages, texts, strict=True):
        match = matcher.first(searchable)
        if match is None:
            continue
        total += 1
        if len(found) < limit:
            line = page.body.count("\n", 0, match.start()) + 1
            context = _context(page.body, match.start(), match.end())
            found.append(Mention(page.path, label(page.path) if label else page.title,
                                 context, line, match.start(), match.group(0)))
    return MentionList(found, total)


def find_unlinked_mentions(info: PageInfo, *, phrase_candidates: Callable[[str], list[str]],
                           read_page: Callable[[str], Page], exclude: set[str],
                           limit: int = 50,
                           label: Callable[[str], str] | None = None) -> list[Mention]:
    """The first ``limit`` unlinked mentions (see ``unlinked_mentions``)."""
    return unlinked_mentions(info, phrase_candidates=phrase_candidates, read_page=read_page,
                             exclude=exclude, limit=limit, label=label).mentions
