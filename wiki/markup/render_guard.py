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

And every inline pattern that matches rebuilds the paragraph's whole string, so a paragraph with
``k`` links costs ``k`` times its length. ``ChunkedParagraphs`` hands a paragraph longer than
``CHUNK`` characters to the inline patterns in pieces (cut at whitespace where brackets, code
ticks and emphasis marks are balanced), joined again into the one paragraph.
"""

from __future__ import annotations

import re
import types

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor

MAX_LINK_TEXT = 20_000  # characters between "[" and its "]"
MAX_NESTING = 64  # "]" looked at for one "["
MAX_TAG = 2_000  # characters from "<" to the ">" of a tag worth handing to the HTML parser
GUARD_FROM = 32_000  # pages shorter than this render fast whatever they hold
LT = "\ue000"  # a "<" that cannot begin a tag (private use: no page text means it)
BRACKET_PROCESSORS = ("reference", "link", "image_link", "image_reference", "short_reference",
                      "short_image_ref")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
CHUNK = 16_000  # characters of one paragraph the inline patterns see at once
CHUNK_TAG = "cpchunk"  # a wrapper no page uses; dropped from the finished HTML
_PAIRED = ("`", "$", "**", "==", "~~", "%%")
_CUT_TRIES = 24


def bracket_end(data: str, index: int) -> int:
    """Where the ``]`` closing a ``[`` just before ``index`` is, or -1 (none near enough)."""
    limit = min(len(data), index + MAX_LINK_TEXT)
    depth = 1
    pos = index
    for _ in range(MAX_NESTING):
        close = data.find("]", pos, limit)
        if close < 0:
            return -1
        depth += data.count("[", pos, close) - 1
        if depth == 0:
            return close
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
                proc.getText = types.MethodType(_get_text, proc)  # type: ignore[method-assign]


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


def balanced(text: str) -> bool:
    """No bracket, code tick or emphasis mark of ``text`` waits for its partner."""
    return text.count("[") == text.count("]") and \
        all(text.count(mark) % 2 == 0 for mark in _PAIRED)


def chunks(text: str, size: int = CHUNK) -> list[str]:
    """``text`` cut into pieces of about ``size`` characters, each ending in whitespace, at a
    cut that leaves the piece balanced where one is found near the end."""
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = -1
        pos = end
        for _ in range(_CUT_TRIES):
            pos = max(text.rfind(" ", start, pos), text.rfind("\n", start, pos))
            if pos <= start + size // 2:
                break
            if cut < 0:
                cut = pos  # at worst the last whitespace
            if balanced(text[start:pos + 1]):
                cut = pos
                break
            pos -= size // (2 * _CUT_TRIES)
        if cut < 0:  # no whitespace at all: cut where it is
            cut = end - 1
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


def install_guards(md: Markdown) -> None:
    """Every guard of this module on one converter."""
    fast_brackets(md)
    md.parser.blockprocessors.register(ChunkedParagraphs(md.parser), "chunked_paragraph", 10.5)
