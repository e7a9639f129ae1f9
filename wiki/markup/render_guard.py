"""Keeps Python-Markdown linear on hostile pages (issue 14, item 9).

Two of its scans start again at every candidate and run to the end of the page when nothing
closes them, so a long paragraph costs time in the square of its length:

* the link, image and reference processors look for the ``]`` that closes each ``[``, one
  character at a time, to the end of the paragraph (a 200 KB paragraph with stray ``[`` took
  270 s);
* the raw-HTML pass (the standard library's ``html.parser``) reads every ``<x`` as a start tag
  whose attributes run on to the next ``>``: a page of ``a <b`` and no ``>`` took 57 s for 200 KB.

``fast_brackets`` gives the first set an exact bracket search done by ``str.find`` and
``str.count`` (C speed) that gives up past ``MAX_LINK_TEXT`` characters or ``MAX_NESTING`` nested
brackets: no link text is that long. ``hide_open_tags`` stands in for a ``<`` that no ``>`` follows
within ``MAX_TAG`` characters (so it cannot begin a tag) with a private character, which
``restore_html`` turns back into ``&lt;`` in the finished HTML, in code as in text.

Lists and quotes nested hundreds deep cost Python-Markdown time in the cube of their depth (400
levels: 14 s, 3,000: minutes) before it gives up: ``too_deep`` finds them first, and the page is
shown as plain text, as it is when Python-Markdown gives up.

And every inline pattern that matches rebuilds the paragraph's whole string, so a paragraph with
``k`` links costs ``k`` times its length. ``ChunkedParagraphs`` hands a paragraph longer than
``CHUNK`` characters to the inline patterns in pieces (cut at whitespace where brackets, code
ticks and emphasis marks are balanced), joined again into the one paragraph.

Last, Python-Markdown tries each of its two dozen inline patterns on every piece of text, even a
table cell of plain words: ``QuickInline`` tries only the patterns whose characters the text
holds (``PATTERN_NEEDS``): a table of plain cells renders 2.4 times as fast.
"""

from __future__ import annotations

import re
import types

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

MAX_LINK_TEXT = 20_000  # characters between "[" and its "]"
MAX_NESTING = 64  # "]" looked at for one "["
MAX_TAG = 2_000  # characters from "<" to the ">" of a tag worth handing to the HTML parser
GUARD_FROM = 4_000  # shorter pages render fast whatever they hold
LT = "\ue000"  # a "<" that cannot begin a tag (private use: no page text means it)
BRACKET_PROCESSORS = ("reference", "link", "image_link", "image_reference", "short_reference",
                      "short_image_ref")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
MAX_INDENT = 100  # columns before a list item: 50 levels of two spaces, 25 of four
MAX_QUOTES = 40  # ">" before a line: quotes (and callouts) nested this deep
_DEEP_ITEM = re.compile(rf"^([ \t]{{{MAX_INDENT + 1},}})(?:[-*+]|\d{{1,9}}[.)])[ \t]",
                        re.MULTILINE)
_DEEP_QUOTE = re.compile(rf"^[ \t]*(?:>[ \t]*){{{MAX_QUOTES + 1},}}", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.MULTILINE)
# Each inline pattern of the page renderer, and the characters of which a text must hold one
# for it to match; a pattern not listed is always tried. tests/engine/test_render_hostile.py
# checks every registered pattern against it.
PATTERN_NEEDS = {
    "backtick": "`", "obsidian_task": "\x1a", "display_math_inline": "$", "inline_math": "$",
    "wikilink": "[", "escape": "\\", "footnote": "[", "reference": "[", "link": "[",
    "short_reference": "[", "image_link": "!", "image_reference": "!", "short_image_ref": "!",
    "autolink": "<", "automail": "<", "html": "<", "linebreak": "\n", "obsidian_tag": "#",
    "entity": "&", "em_strong": "*_", "delimiter": "=~", "block_id": "^",
}
INLINE_TRIGGERS = "".join(sorted(set("".join(PATTERN_NEEDS.values()))))
_TRIGGER = re.compile("[" + re.escape(INLINE_TRIGGERS) + "]")
CHUNK = 16_000  # characters of one paragraph the inline patterns see at once
CHUNK_TAG = "cpchunk"  # a wrapper no page uses; dropped from the finished HTML
_PAIRED = ("`", "$", "**", "==", "~~", "%%")
_CUT_TRIES = 4_000  # words looked back over for a balanced cut


def bracket_end(data: str, index: int) -> int:
    """Where the ``]`` closing a ``[`` just before ``index`` is, or -1 (none near enough)."""
    limit = min(len(data), index + MAX_LINK_TEXT)
    depth = 1
    pos = index
    for left in range(MAX_NESTING - 1, -1, -1):
        close = data.find("]", pos, limit)
        if close < 0:
            return -1
        depth += data.count("[", pos, close) - 1
        if depth == 0:
            return close
        if depth > left:  # each "]" closes one: too deep to close within MAX_NESTING
            return -1
        pos = close + 1
    return -1


def _get_text(self, data: str, index: int) -> tuple[str, int, bool]:
    """``LinkInlineProcessor.getText`` with the same answers, in linear time."""
    close = bracket_end(data, index)
    if close < 0:
        return data[index:], len(data), False
    return data[index:close], close + 1, True


def fast_brackets(md: Markdown) -> None:
    """Give this converter's bracket-matching processors the linear bracket search."""
    for name in BRACKET_PROCESSORS:
        if name in md.inlinePatterns:
            proc = md.inlinePatterns[name]
            if hasattr(proc, "getText"):
                proc.getText = types.MethodType(_get_text, proc)


def too_deep(text: str) -> str | None:
    """Why the page cannot be formatted in reasonable time, or None: a list item indented past
    ``MAX_INDENT`` columns or a line quoted more than ``MAX_QUOTES`` times (outside code
    fences; a tab counts as four columns)."""
    for pattern in (_DEEP_ITEM, _DEEP_QUOTE):
        for m in pattern.finditer(text):
            if pattern is _DEEP_ITEM and len(m.group(1).expandtabs(4)) <= MAX_INDENT:
                continue
            if len(_FENCE.findall(text, 0, m.start())) % 2:
                continue  # inside a fenced code block
            what = "Lists" if pattern is _DEEP_ITEM else "Quotes"
            return f"{what} nest too deeply on this page; it is shown as plain text."
    return None


def hide_open_tags(text: str) -> str:
    """``text`` with each ``<`` that looks like a tag but has no ``>`` within ``MAX_TAG``
    characters (before the next ``<``) replaced by ``LT``. Short pages, and pages that already
    hold ``LT``, are returned as they are."""
    if len(text) < GUARD_FROM or LT in text or "<" not in text:
        return text
    out: list[str] = []
    last = 0
    for m in _TAG_START.finditer(text):
        start = m.start()
        end = text.find(">", start, start + MAX_TAG)
        nxt = text.find("<", start + 1, end if end >= 0 else start + MAX_TAG)
        if end >= 0 and nxt < 0:
            continue  # a tag (or at worst a short scan): left to the parser
        out.append(text[last:start])
        out.append(LT)
        last = start + 1
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def restore_html(html: str) -> str:
    """The rendered HTML with every hidden ``<`` shown again (as ``&lt;``) and the paragraph
    pieces of ``ChunkedParagraphs`` joined."""
    if LT in html:
        html = html.replace(LT, "&lt;")
    if CHUNK_TAG in html:
        html = html.replace(f"<{CHUNK_TAG}>", "").replace(f"</{CHUNK_TAG}>", "")
    return html


def restore_text(text: str) -> str:
    """Source text (a formula, say) with every hidden ``<`` back as ``<``."""
    return text.replace(LT, "<") if LT in text else text


def _marks(text: str, start: int, end: int) -> list[int]:
    """How many of each mark ``text[start:end]`` holds: "[", "]", then each of ``_PAIRED``."""
    return [text.count("[", start, end), text.count("]", start, end),
            *(text.count(mark, start, end) for mark in _PAIRED)]


def _even(marks: list[int]) -> bool:
    return marks[0] == marks[1] and all(n % 2 == 0 for n in marks[2:])


def balanced(text: str) -> bool:
    """No bracket, code tick or emphasis mark of ``text`` waits for its partner."""
    return _even(_marks(text, 0, len(text)))


def _cut(text: str, start: int, end: int) -> int:
    """The last whitespace in the second half of ``text[start:end]`` before which the piece
    is balanced; else the last whitespace; else ``end - 1``. Linear: each step back takes the
    marks of the words it passes off the piece's counts."""
    floor = start + (end - start) // 2
    pos = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
    if pos <= floor:
        return pos if pos > start else end - 1
    last = pos
    marks = _marks(text, start, pos + 1)
    for _ in range(_CUT_TRIES):
        if _even(marks):
            return pos
        prev = max(text.rfind(" ", start, pos), text.rfind("\n", start, pos))
        if prev <= floor:
            break
        marks = [a - b for a, b in zip(marks, _marks(text, prev + 1, pos + 1), strict=True)]
        pos = prev
    return last


def chunks(text: str, size: int = CHUNK) -> list[str]:
    """``text`` cut into pieces of about ``size`` characters, each ending in whitespace, at a
    cut that leaves the piece balanced where one is found in its second half."""
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        cut = _cut(text, start, start + size)
        out.append(text[start:cut + 1])
        start = cut + 1
    out.append(text[start:])
    return out


class ChunkedParagraphs(BlockProcessor):
    """A paragraph past ``CHUNK`` characters: one ``<p>`` whose text sits in ``CHUNK_TAG``
    pieces, so each inline pass rebuilds one piece rather than the whole paragraph."""

    def test(self, parent, block: str) -> bool:  # noqa: D102 (Markdown API)
        return len(block) > CHUNK and not self.parser.state.isstate("list")

    def run(self, parent, blocks: list[str]) -> None:  # noqa: D102 (Markdown API)
        from xml.etree import ElementTree as etree

        p = etree.SubElement(parent, "p")
        for piece in chunks(blocks.pop(0).lstrip()):
            etree.SubElement(p, CHUNK_TAG).text = piece


class QuickInline(InlineProcessor):
    """Python-Markdown's inline pass, trying on each text only the patterns it can match."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self._needs: list[frozenset[str] | None] | None = None

    def _pattern_needs(self) -> list[frozenset[str] | None]:
        if self._needs is None or len(self._needs) != len(self.inlinePatterns):
            names = [item.name for item in self.inlinePatterns._priority]  # noqa: SLF001
            self._needs = [frozenset(PATTERN_NEEDS[n]) if n in PATTERN_NEEDS else None
                           for n in names]
        return self._needs

    # Python-Markdown calls this private method for every piece of text (name mangled: the
    # override is found by that name), as below but for the patterns skipped; if it is
    # renamed, this is never called and nothing but the speed changes.
    def _InlineProcessor__handleInline(self, data: str, pattern_index: int = 0) -> str:  # noqa: N802
        if isinstance(data, AtomicString) or not _TRIGGER.search(data):
            return data
        needs = self._pattern_needs()
        held = set(data)  # a match only takes characters away: what is absent stays absent
        apply = self._InlineProcessor__applyPattern
        start = 0
        count = len(self.inlinePatterns)
        while pattern_index < count:
            need = needs[pattern_index]
            if need is not None and need.isdisjoint(held):
                pattern_index += 1
                continue
            data, matched, start = apply(self.inlinePatterns[pattern_index], data,
                                         pattern_index, start)
            if not matched:
                pattern_index += 1
        return data


def install_guards(md: Markdown) -> None:
    """Every guard of this module on one converter."""
    fast_brackets(md)
    if "inline" in md.treeprocessors:
        priority = next(p.priority for p in md.treeprocessors._priority  # noqa: SLF001
                        if p.name == "inline")
        md.treeprocessors.register(QuickInline(md), "inline", priority)
    md.parser.blockprocessors.register(ChunkedParagraphs(md.parser), "chunked_paragraph", 10.5)
