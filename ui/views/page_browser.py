"""The rendered page: a ``QTextBrowser`` that keeps text in a readable column and loads only
the resources its page was rendered with, and the page stylesheet (``resources/page.css`` plus
code colours) for the palette. The page view and the editor's preview both use it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QTextBrowser

from ui.views.page_resources import resource_for
from wiki.markup.code_style import code_css

CSS_FILE = Path(__file__).resolve().parents[2] / "resources" / "page.css"
TEXT_COLUMN = 860  # px: wider windows get side margins so lines stay readable


LIGHT = {"heading": "#1f2328", "muted": "#656d76", "link": "#0b62c4", "missing": "#c2410c",
         "code_bg": "#f1f3f5", "code_fg": "#24292f", "quote_bg": "#f6f8fa", "rule": "#d0d7de",
         "match_bg": "#ffe066", "match_fg": "#000000", "tag": "#6f42c1", "embed_bg": "#fafbfc",
         "embed_rule": "#c9d1d9", "quote_bar": "#c9d1d9"}
DARK = {"heading": "#e6edf3", "muted": "#9198a1", "link": "#58a6ff", "missing": "#f0883e",
        "code_bg": "#2a2f36", "code_fg": "#e6edf3", "quote_bg": "#242931", "rule": "#3d444d",
        "match_bg": "#7a5d00", "match_fg": "#ffffff", "tag": "#d2a8ff", "embed_bg": "#1f242b",
        "embed_rule": "#3d444d", "quote_bar": "#4d5561"}


def page_stylesheet(palette: QPalette, font: QFont, zoom: float = 1.0) -> str:
    """resources/page.css with colours for this palette (dark when the window is dark), its
    text ``zoom`` times the usual size."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    colours = dict(DARK if dark else LIGHT)
    colours["text"] = palette.color(QPalette.ColorRole.Text).name()
    base = max(11.0, font.pointSizeF() * 1.1) if font.pointSizeF() > 0 else 11.0
    colours["size"] = str(max(5, round(base * zoom)))
    colours["mono"] = "'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace"
    try:
        css = CSS_FILE.read_text(encoding="utf-8")
    except OSError:
        return ""
    for key, value in colours.items():
        css = css.replace(f"@{key}@", value)
    return css + code_css(dark)


def zoomed_font(font: QFont, zoom: float) -> QFont:
    """``font`` ``zoom`` times its size: the page's text and headings grow together."""
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(max(4.0, font.pointSizeF() * zoom))
    elif font.pixelSize() > 0:
        scaled.setPixelSize(max(5, round(font.pixelSize() * zoom)))
    return scaled


class PageBrowser(QTextBrowser):
    """A QTextBrowser that keeps the text in a readable column on wide windows and loads
    only the resources its page was rendered with (``ui.views.page_resources``)."""

    resources: dict[str, bytes] = {}

    def loadResource(self, kind: int, url: QUrl | str):  # noqa: N802 (Qt name)
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        return resource_for(self.resources, int(kind.value if hasattr(kind, "value") else kind),
                            url if isinstance(url, QUrl) else QUrl(url), dark=dark)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self.fit_column()

    def fit_column(self) -> None:
        side = max(24, (self.viewport().width() - TEXT_COLUMN) // 2)
        frame = self.document().rootFrame()
        fmt = frame.frameFormat()
        if fmt.leftMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setTopMargin(16)
            fmt.setBottomMargin(32)
            frame.setFrameFormat(fmt)
