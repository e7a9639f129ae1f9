"""Find links and #tags in a page body (Obsidian syntax), never inside code.

Code regions are blanked out first (``mask_code``, same length, newlines kept) so every later
regex can run on the masked text and report positions valid in the original body.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from urllib.parse import unquote

from wiki.core.model import Link
from wiki.markup.syntax import URL_SCHEME, WIKILINK

CONTEXT_CHARS = 300

_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_INDENTED = re.compile(r"^(?: {4}|\t| {0,3}\t)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_NEEDS_LINES = re.compile(r"^[ \t]*(?:```|~~~)|^(?: {4}|\t)", re.MULTILINE)
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|$)")
_NON_NL = re.compile(r"[^\n]")

_LINK = re.compile(
    r"\[(?:\[(?P<inner>[^\[\]\n]+)\]\]"
    r"|(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\(\s*(?P<dest><[^<>\n]*>|[^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\))"
)
_SCHEME = URL_SCHEME
_WIKI_ONLY = re.compile(r"\[\[[^\[\]\n]*\]\]")
_TAG = re.compile(r"#(\w[\w/\-]*)")
_TAG_AFTER = frozenset(" \t\r\n(,;")
_NOT_TAG = re.compile(r"[\d/]+")
_BREAK = r"[ \t]*(?:\r?$|(?:[-*+]|\d{1,9}[.)])(?:[ \t]|\r?$)|#)"
_BREAK_LINE = re.compile(_BREAK, re.MULTILINE)
# The same lines found after their newline: a pattern that starts with a character is looked
# for with a fast scan, one that starts with ^ is tried at every position of the page.
_BREAK_AFTER_NL = re.compile(r"\n(?=" + _BREAK + ")", re.MULTILINE)
_MARKER = re.compile(
    r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?|[ \t]*#{1,6}[ \t]+|[ \t]*>[ \t]?"
)


def _blank(segment: str) -> str:
    return _NON_NL.sub(" ", segment)


def _block_ranges(body: str) -> list[tuple[int, int]]:
    """Character ranges of fenced and indented code blocks."""
    ranges: list[tuple[int, int]] = []
    pos = 0
    fence: str | None = None  # the opening fence run while inside a fenced block
    fence_start = 0
    in_indented = False
    prev_blank = True
    list_context = False  # the last non-blank line belonged to a list
    for line in body.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        text = line.rstrip("\r\n")
        if fence is not None:
            stripped = text.strip()
            if stripped and stripped == fence[0] * len(stripped) and len(stripped) >= len(fence):
                ranges.append((fence_start, start + len(text)))
                fence = None
                prev_blank = False
            continue
        is_blank = not text.strip()
        if in_indented:
            if is_blank or _INDENTED.match(text):
                if not is_blank:
                    ranges.append((start, start + len(text)))
                prev_blank = is_blank
                continue
            in_indented = False
        m = _FENCE_OPEN.match(text)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence, fence_start = m.group(1), start
            list_context = False
            continue
        if is_blank:
            prev_blank = True
            continue
        if _INDENTED.match(text):
            if prev_blank and not list_context:
                in_indented = True
                ranges.append((start, start + len(text)))
                prev_blank = False
                continue
        else:
            list_context = bool(_LIST_ITEM.match(text))
        prev_blank = False
    if fence is not None:  # an unclosed fence runs to the end of the page
        ranges.append((fence_start, len(body)))
    return ranges


def _span_ranges(text: str, lo: int, hi: int, out: list[tuple[int, int]]) -> None:
    """Inline code spans between ``lo`` and ``hi`` (a stretch with no code blocks).

    A run of n backticks opens a span closed by the next run of exactly n backticks in the same
    paragraph. Lookups use bisect, so thousands of stray backticks stay fast.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text, lo, hi)]
    if len(runs) < 2:
        return
    by_len: dict[int, list[int]] = {}
    for k, (s, e) in enumerate(runs):
        by_len.setdefault(e - s, []).append(k)
    blanks = [m.start() for m in _BLANK_LINE.finditer(text, runs[0][1], hi)]
    i = 0
    while i < len(runs):
        s, e = runs[i]
        if s > 0 and text[s - 1] == "\\" and _escaped(text, s):
            s += 1  # an escaped backtick is literal; the rest of the run may still open a span
            if s == e:
                i += 1
                continue
        b = bisect_left(blanks, e)
        limit = blanks[b] if b < len(blanks) else hi
        same = by_len.get(e - s, [])
        k = bisect_right(same, i)
        if k < len(same) and runs[same[k]][0] < limit:
            close = same[k]
            out.append((s, runs[close][1]))
            i = close + 1
        else:
            i += 1


def _escaped(text: str, pos: int) -> bool:
    """True when the character at ``pos`` follows an odd number of backslashes."""
    k = pos - 1
    while k >= 0 and text[k] == "\\":
        k -= 1
    return (pos - 1 - k) % 2 == 1


def _may_have_blocks(body: str) -> bool:
    """A line opens a fence or is indented (``_NEEDS_LINES``), asked only of pages with one of
    the strings such a line needs: most pages have none, and the pattern scans every position."""
    return ("```" in body or "~~~" in body or "\n    " in body or "\n\t" in body
            or body.startswith(("    ", "\t"))) and _NEEDS_LINES.search(body) is not None


def _break_lines(body: str) -> list[int]:
    """Where the lines that end a paragraph start (blank lines, list items, headings)."""
    breaks = [m.start() + 1 for m in _BREAK_AFTER_NL.finditer(body)]
    if _BREAK_LINE.match(body):
        breaks.insert(0, 0)
    return breaks


def mask_code(body: str) -> str:
    """``body`` with code blocks and inline code replaced by spaces (same length, same lines)."""
    has_ticks = "`" in body
    blocks = _block_ranges(body) if _may_have_blocks(body) else []
    if not blocks and not has_ticks:
        return body
    ranges: list[tuple[int, int]] = []
    pos = 0
    for s, e in blocks:
        if has_ticks and s > pos:
            _span_ranges(body, pos, s, ranges)
        ranges.append((s, e))
        pos = e
    if has_ticks and pos < len(body):
        _span_ranges(body, pos, len(body), ranges)
    if not ranges:
        return body
    parts: list[str] = []
    pos = 0
    for s, e in sorted(ranges):
        if s < pos:
            s = pos
        parts.append(body[pos:s])
        parts.append(_blank(body[s:e]))
        pos = max(pos, e)
    parts.append(body[pos:])
    return "".join(parts)


def _split_wiki(inner: str) -> tuple[str, str | None, str | None]:
    """``Page#Heading|text`` -> (target, heading, text)."""
    left, bar, text = inner.partition("|")
    if bar and left.endswith("\\"):  # [[Page\|text]] inside a table
        left = left[:-1]
    target, hash_, heading = left.partition("#")
    return (target.strip(), heading.strip() if hash_ else None,
            text.strip() if bar else None)


def _markdown_target(dest: str) -> tuple[str, str | None] | None:
    """The page part and fragment of a Markdown link destination, or None if not a page."""
    if dest.startswith("<") and dest.endswith(">"):
        dest = dest[1:-1].strip()
    if not dest or _SCHEME.match(dest):
        return None
    path, hash_, frag = dest.partition("#")
    path = unquote(path.partition("?")[0])
    if not path.lower().endswith(".md"):
        return None
    return path, (unquote(frag) if hash_ else None)


def extract_links(body: str, *, masked: str | None = None) -> list[Link]:
    """Every wiki link, embed and Markdown link to a ``.md`` file, in order of appearance.

    ``masked`` may pass ``mask_code(body)`` when the caller already has it.
    """
    if "[" not in body:
        return []
    if masked is None:
        masked = mask_code(body)
    found: list[tuple[int, int, str, str | None, str | None, bool, str]] = []
    for m in _LINK.finditer(masked):
        bracket = m.start()
        if bracket and masked[bracket - 1] == "\\" and _escaped(masked, bracket):
            continue
        embed = bracket > 0 and masked[bracket - 1] == "!"
        if embed and bracket > 1 and masked[bracket - 2] == "\\" and _escaped(masked, bracket - 1):
            embed = False
        start = bracket - 1 if embed else bracket
        if m.group("inner") is not None:
            target, heading, text = _split_wiki(m.group("inner"))
            if not target and heading is None:
                continue
            found.append((start, m.end(), target, heading, text, embed, "wiki"))
        else:
            parsed = _markdown_target(m.group("dest"))
            if parsed is None:
                continue
            text = m.group("text").strip() or None
            found.append((start, m.end(), parsed[0], parsed[1], text, embed, "markdown"))
    if not found:
        return []
    starts = _line_starts(body)
    breaks = _break_lines(body)
    cache: dict[tuple[int, int], str] = {}
    return [
        Link(target=target, heading=heading, text=text, embed=embed, kind=kind,
             line=bisect_right(starts, s), context=_context(body, starts, breaks, s, e, cache))
        for s, e, target, heading, text, embed, kind in found
    ]


def _line_starts(body: str) -> list[int]:
    starts = [0]
    find = body.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def _collapsed(text: str, *, lead: bool = True, trail: bool = True) -> str:
    """Each run of whitespace in ``text`` as one space (``re.sub(r"\\s+", " ")``, whose ``\\s``
    is ``str.isspace``), that at its start only if ``lead``, at its end only if ``trail``.
    ``split`` and ``join`` do it in a quarter of the regular expression's time, and a page's
    link contexts were most of the time its links took to read."""
    words = text.split()
    if not words:
        return " " if text and lead and trail else ""
    out = " ".join(words)
    if lead and text[0].isspace():
        out = " " + out
    if trail and text[-1].isspace():
        out += " "
    return out


def _context(body: str, starts: list[int], breaks: list[int], s: int, e: int,
             cache: dict[tuple[int, int], str]) -> str:
    """The paragraph (or list item, heading, table row) around body[s:e], trimmed.

    ``breaks`` are the start offsets of lines that end paragraphs (blank, list item, heading);
    ``cache`` holds short paragraphs already collapsed, shared by the links they contain.
    """
    reach = 2 * CONTEXT_CHARS  # never look further than this: long paragraphs stay linear
    ls = starts[bisect_right(starts, s) - 1]
    le = body.find("\n", s)
    le = len(body) if le == -1 else le
    k = bisect_left(breaks, ls)
    line_start = body[ls:ls + 12].lstrip()
    if (k < len(breaks) and breaks[k] == ls) or line_start.startswith(("|", ">")):
        ps, pe = ls, le
    else:
        ps = body.find("\n", breaks[k - 1]) + 1 if k else 0
        pe = breaks[k] - 1 if k < len(breaks) else len(body)
    marker = _MARKER.match(body, ls) if ps == ls else None
    if marker and marker.end() <= s:
        ps = marker.end()
    if pe - ps <= CONTEXT_CHARS:
        text = cache.get((ps, pe))
        if text is None:
            text = cache[ps, pe] = " ".join(body[ps:pe].split())
        return text
    clipped_lo, clipped_hi = s - ps > reach, pe - e > reach
    ps, pe = max(ps, s - reach), min(pe, e + reach)
    before = _collapsed(body[ps:s], lead=False)
    link = _collapsed(body[s:e])
    after = _collapsed(body[e:pe], trail=False)
    text = before + link + after
    lo, hi = 0, len(text)
    if len(text) > CONTEXT_CHARS:
        centre = len(before) + len(link) // 2
        lo = max(0, centre - CONTEXT_CHARS // 2)
        hi = min(len(text), lo + CONTEXT_CHARS)
        lo = max(0, hi - CONTEXT_CHARS)
        if lo > 0:
            cut = text.find(" ", lo, min(lo + 30, len(before)))
            lo = cut + 1 if cut != -1 else lo
        if hi < len(text):
            cut = text.rfind(" ", max(hi - 30, len(before) + len(link)), hi)
            hi = cut if cut != -1 else hi
    return (("…" if lo > 0 or clipped_lo else "") + text[lo:hi].strip()
            + ("…" if hi < len(text) or clipped_hi else ""))


def inline_tags(body: str, *, masked: str | None = None) -> list[str]:
    """Obsidian #tags in the body (not in code, headings, links or URLs), deduplicated."""
    if "#" not in body:
        return []
    if masked is None:
        masked = mask_code(body)
    in_links: list[int] = []  # start, end, start, end ... of wiki links
    if "[[" in masked:
        for m in _WIKI_ONLY.finditer(masked):
            in_links += m.span()
    out: list[str] = []
    seen: set[str] = set()
    for m in _TAG.finditer(masked):
        start = m.start()
        if start and (masked[start - 1] not in _TAG_AFTER
                      or masked[start - 2:start] == "]("):  # [text](#heading)
            continue
        if in_links and bisect_right(in_links, start) % 2:
            continue
        tag = m.group(1).rstrip("/")
        if not tag or _NOT_TAG.fullmatch(tag):
            continue
        key = tag.lower()
        if key not in seen:
            seen.add(key)
            out.append(tag)
    return out


_PROPERTY_LINK = WIKILINK


def property_links(text: str, body_offset: int) -> list[Link]:
    """Wiki links in the frontmatter (``up: "[[Parent]]"``, ``tags: ['[[Topic]]']``), which
    Obsidian counts as links. ``text`` is the whole page, ``body_offset`` the number of lines
    before the body; a link's ``line`` is then ``file line - body_offset`` (0 or less)."""
    if body_offset <= 1 or "[[" not in text:
        return []
    found: list[Link] = []
    for n, line in enumerate(text.splitlines()[1:body_offset - 1], start=2):
        for m in _PROPERTY_LINK.finditer(line):
            target, heading, shown = _split_wiki(m.group(2))
            if target or heading is not None:
                found.append(Link(target, heading, shown, embed=bool(m.group(1)), kind="wiki",
                                  line=n - body_offset, context=line.strip()[:CONTEXT_CHARS]))
    return found
