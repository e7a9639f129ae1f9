"""Obsidian's inline syntax for Python-Markdown: ``#tags``, task boxes, ``^block-ids`` and math.

``==highlight==`` and ``~~strike~~`` come from pymdown-extensions (``mark``, ``tilde``), fenced
code colours from Pygments (``codehilite``); footnotes from Python-Markdown's own extension.
Math is drawn to SVG by ziamath (pure Python, no LaTeX install), cached, and handed to the page
view as an image resource: QTextBrowser cannot run MathJax.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from urllib.parse import quote

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from wiki.markup.math_svg import math_url
from wiki.markup.obsidian_blocks import TASK_MARK_RE, FoldState
from wiki.markup.obsidian_blocks import register as register_blocks
from wiki.markup.render_guard import restore_text

# A tag: '#' at the start or after a space or ( , ; then letters, digits, _ - / (not only digits).
TAG_RE = r"(?<![^\s(,;])#([\w\-/]*[^\W\d][\w\-/]*|[\w\-/]*[A-Za-z_\-][\w\-/]*)"
BLOCK_ID_RE = r"(?:(?<=\s)|^)\^([A-Za-z0-9][A-Za-z0-9\-]*)\s*$"
INLINE_MATH_RE = r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)"
DISPLAY_MATH_RE = r"(?<!\\)\$\$([^$]+?)\$\$"


def tag_href(tag: str) -> str:
    return "tag:" + quote(tag, safe="/")


def task_href(line: int) -> str:
    return f"task:{line}"


class TagProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 (Markdown API)
        tag = m.group(1).rstrip("/")
        if not tag or tag.replace("/", "").isdigit():
            return None, None, None
        el = etree.Element("a", {"href": tag_href(tag), "class": "tag"})
        el.text = AtomicString("#" + tag)
        return el, m.start(0), m.start(1) + len(tag)


class TaskProcessor(InlineProcessor):
    """The marker ``obsidian_blocks.mark_tasks`` left: a clickable box for that source line."""

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 (Markdown API)
        done = m.group(2) == "x"
        el = etree.Element("a", {"href": task_href(int(m.group(1))),
                                 "class": "task done" if done else "task"})
        el.text = AtomicString("☑" if done else "☐")
        el.tail = ""
        return el, m.start(0), m.end(0)


class BlockIdProcessor(InlineProcessor):
    """``text ^abc-1`` at the end of a block: an anchor ``^abc-1``, the marker hidden."""

    def __init__(self, pattern: str, md: Markdown, on_block: Callable[[str], None]) -> None:
        super().__init__(pattern, md)
        self.on_block = on_block

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 (Markdown API)
        self.on_block(m.group(1))
        return etree.Element("a", {"name": "^" + m.group(1)}), m.start(0), m.end(0)


class MathProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, display: bool,
                 store: Callable[[str, bytes], None]) -> None:
        super().__init__(pattern, md)
        self.display = display
        self.store = store

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 (Markdown API)
        return math_element(m.group(1), self.display, self.store), m.start(0), m.end(0)


def math_element(tex: str, display: bool, store: Callable[[str, bytes], None]) -> etree.Element:
    """An ``<img>`` of the formula, or the TeX in a code span when it cannot be drawn."""
    tex = restore_text(tex)  # a "<" hidden from the HTML parser (wiki.markup.render_guard)
    found = math_url(tex, display)
    if found is None:
        el = etree.Element("code", {"class": "math-error", "title": "could not draw this formula"})
        el.text = AtomicString(tex.strip())
        return el
    url, svg = found
    store(url, svg)
    return etree.Element("img", {"src": url, "alt": tex.strip(), "class": "math"})


class DisplayMathBlock(BlockProcessor):
    """``$$`` … ``$$`` on lines of their own (one or more blocks): a centred formula."""

    def __init__(self, parser, store: Callable[[str, bytes], None]) -> None:
        super().__init__(parser)
        self.store = store

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.lstrip().startswith("$$")

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        parts = [blocks.pop(0).lstrip()[2:]]
        while not parts[-1].rstrip().endswith("$$") and blocks:
            parts.append(blocks.pop(0))
        text = "\n\n".join(parts).rstrip()
        if text.endswith("$$"):
            text, after = text[:-2], ""
        else:  # never closed: keep it as text
            p = etree.SubElement(parent, "p")
            p.text = "$$" + text
            return True
        p = etree.SubElement(parent, "p", {"class": "math-block", "align": "center"})
        p.append(math_element(text, True, self.store))
        if after:
            p[-1].tail = after
        return True


class ObsidianExtension(Extension):
    """Registers everything above and in ``obsidian_blocks``. Per document it collects the
    drawn formulas (``resources``: URL -> SVG bytes) and the block ids (``blocks``)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.resources: dict[str, bytes] = {}
        self.blocks: list[str] = []
        self.folds = FoldState()

    def reset(self) -> None:
        self.resources = {}
        self.blocks = []
        self.folds.count = 0

    def _store(self, url: str, svg: bytes) -> None:
        self.resources[url] = svg

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        register_blocks(md, self.folds)
        md.parser.blockprocessors.register(DisplayMathBlock(md.parser, self._store),
                                           "display_math", 85)
        md.inlinePatterns.register(TaskProcessor(TASK_MARK_RE, md), "obsidian_task", 189)
        md.inlinePatterns.register(MathProcessor(DISPLAY_MATH_RE, md, True, self._store),
                                   "display_math_inline", 187)
        md.inlinePatterns.register(MathProcessor(INLINE_MATH_RE, md, False, self._store),
                                   "inline_math", 186)
        md.inlinePatterns.register(TagProcessor(TAG_RE, md), "obsidian_tag", 100)
        md.inlinePatterns.register(BlockIdProcessor(BLOCK_ID_RE, md, self.blocks_append),
                                   "block_id", 30)

    def blocks_append(self, block: str) -> None:
        self.blocks.append(block)
