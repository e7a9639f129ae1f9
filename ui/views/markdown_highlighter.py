"""Markdown colouring for the editor: frontmatter, headings, emphasis, code, links, wiki links,
embeds, tags and block ids, in a light and a dark set of colours that follow the palette.

A ``QSyntaxHighlighter`` colours one block (line) at a time; the block state carries "inside
the frontmatter" and "inside a fenced code block" from one line to the next, so typing on a
line re-colours only what it changed.
"""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

NORMAL, FRONTMATTER, CODE = 0, 1, 2

LIGHT = {"heading": "#0b4f9c", "emphasis": "#1f2328", "code": "#953800", "code_bg": "#f1f3f5",
         "link": "#0b62c4", "wikilink": "#6639ba", "tag": "#8250df", "meta": "#57606a",
         "marker": "#8c959f", "quote": "#116329"}
DARK = {"heading": "#79c0ff", "emphasis": "#e6edf3", "code": "#ffa657", "code_bg": "#2a2f36",
        "link": "#58a6ff", "wikilink": "#d2a8ff", "tag": "#d2a8ff", "meta": "#9198a1",
        "marker": "#6e7681", "quote": "#7ee787"}

_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})[ \t]+.*$")
_QUOTE = re.compile(r"^[ \t]{0,3}>.*$")
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?=[ \t])")
INLINE = (  # (name, pattern); later rules paint over earlier ones
    ("emphasis_bold", re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")),
    ("emphasis_italic", re.compile(r"(?<![*_\w])([*_])(?![*_\s])(.+?)(?<![*_\s])\1(?![*_\w])")),
    ("tag", re.compile(r"(?<![\w#&])#[^\s#\d\W][\w/\-]*|(?<![\w#&])#\d+[a-zA-Z_/\-][\w/\-]*")),
    ("link", re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")),
    ("wikilink", re.compile(r"!?\[\[[^\[\]\n]*\]\]")),
    ("block_id", re.compile(r"(?<=\s)\^[A-Za-z0-9-]+[ \t]*$")),
    ("code", re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")),
)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class MarkdownHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, dark: bool = False) -> None:
        super().__init__(document)
        self.formats: dict[str, QTextCharFormat] = {}
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        """Switch colour set (the palette changed) and colour the document again."""
        self.dark = dark
        c = {k: QColor(v) for k, v in (DARK if dark else LIGHT).items()}

        def fmt(colour: str, *, bold: bool = False, italic: bool = False,
                background: str | None = None, mono: bool = False) -> QTextCharFormat:
            f = QTextCharFormat()
            f.setForeground(c[colour])
            if bold:
                f.setFontWeight(QFont.Weight.Bold)
            if italic:
                f.setFontItalic(True)
            if background:
                f.setBackground(c[background])
            if mono:
                f.setFontFixedPitch(True)
            return f

        self.formats = {
            "heading": fmt("heading", bold=True),
            "emphasis_bold": fmt("emphasis", bold=True),
            "emphasis_italic": fmt("emphasis", italic=True),
            "code": fmt("code", background="code_bg", mono=True),
            "fence": fmt("code", background="code_bg", mono=True),
            "link": fmt("link"),
            "wikilink": fmt("wikilink"),
            "tag": fmt("tag"),
            "block_id": fmt("marker"),
            "frontmatter": fmt("meta"),
            "marker": fmt("marker"),
            "quote": fmt("quote", italic=True),
        }
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt name)
        previous = self.previousBlockState()
        block = self.currentBlock()
        if block.blockNumber() == 0 and text.rstrip() == "---":
            self.setCurrentBlockState(FRONTMATTER)
            self.setFormat(0, len(text), self.formats["marker"])
            return
        if previous == FRONTMATTER:
            closing = text.rstrip() in ("---", "...")
            self.setCurrentBlockState(NORMAL if closing else FRONTMATTER)
            self.setFormat(0, len(text), self.formats["marker" if closing else "frontmatter"])
            return
        fence = _FENCE.match(text)
        if previous == CODE:
            self.setCurrentBlockState(NORMAL if fence else CODE)
            self.setFormat(0, len(text), self.formats["fence"])
            return
        if fence:
            self.setCurrentBlockState(CODE)
            self.setFormat(0, len(text), self.formats["fence"])
            return
        self.setCurrentBlockState(NORMAL)
        heading = _HEADING.match(text)
        if heading:
            self.setFormat(0, len(text), self.formats["heading"])
        elif _QUOTE.match(text):
            self.setFormat(0, len(text), self.formats["quote"])
        bullet = _LIST.match(text)
        if bullet:
            self.setFormat(0, bullet.end(), self.formats["marker"])
        for name, pattern in INLINE:
            for m in pattern.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), self.formats[name])
