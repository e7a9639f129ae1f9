"""The preview beside the editor: the text being edited, rendered as the page will look, kept
scrolled to where the cursor is.

Rendering runs on the reader thread a moment after typing stops. Links resolve from the page
being edited, images are found as the page view finds them (next to the page or at the
root). The preview follows the cursor: to the heading the cursor is under, else to the same
fraction of the document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit

from ui.views.page_browser import PageBrowser, page_stylesheet
from wiki.markup.syntax import HEADING_LINE

if TYPE_CHECKING:
    from ui.context import AppContext
    from wiki.markup.render import RenderedPage

RENDER_DELAY_MS = 250
FOLLOW_DELAY_MS = 60
_HEADING = HEADING_LINE


def render_draft(vault, path: str, text: str) -> RenderedPage:
    """Render unsaved ``text`` of page ``path`` (runs on the reader thread)."""
    from wiki.core.rules import is_hidden_part, normalize_rel
    from wiki.markup.render import render_page

    root = vault.root
    folder = path.rpartition("/")[0]

    def asset(name: str) -> str | None:
        for rel in (f"{folder}/{name}" if folder else name, name):
            found = normalize_rel(rel)
            if found is None or any(is_hidden_part(p) for p in found.split("/")):
                continue
            file = root / found
            if file.is_file() and file.resolve().is_relative_to(root.resolve()):
                return file.as_uri()
        return None

    return render_page(text, resolve=lambda target: vault.resolve(target, path, "wiki"),
                       resolve_markdown=lambda target: vault.resolve(target, path, "markdown"),
                       resolve_asset=asset)


class DraftPreview(QObject):
    rendered = Signal()  # the preview shows the latest text (tests wait for it)

    def __init__(self, ctx: AppContext, edit: QPlainTextEdit, browser: PageBrowser) -> None:
        super().__init__(edit)
        self.ctx = ctx
        self.edit = edit
        self.browser = browser
        self.path: str | None = None
        self.headings: list[tuple[int, str, str]] = []
        self._key = f"preview-{id(self)}"
        self._render_timer = QTimer(self, singleShot=True, interval=RENDER_DELAY_MS)
        self._render_timer.timeout.connect(self.render_now)
        self._follow_timer = QTimer(self, singleShot=True, interval=FOLLOW_DELAY_MS)
        self._follow_timer.timeout.connect(self.follow_cursor)
        edit.textChanged.connect(self._changed)
        edit.cursorPositionChanged.connect(self._moved)
        browser.setOpenLinks(False)
        browser.setObjectName("draftPreview")
        self.apply_style()

    def apply_style(self) -> None:
        self.browser.document().setDefaultStyleSheet(page_stylesheet(self.browser.palette(),
                                                                     self.browser.font()))

    def active(self) -> bool:
        return self.path is not None and self.browser.isVisible()

    def start(self, path: str) -> None:
        self.path = path
        self.render_now()

    def stop(self) -> None:
        self.path = None
        self._render_timer.stop()
        self._follow_timer.stop()
        self.browser.clear()

    def _changed(self) -> None:
        if self.active():
            self._render_timer.start()

    def _moved(self) -> None:
        if self.active():
            self._follow_timer.start()

    def render_now(self) -> None:
        path = self.path
        if path is None:
            return
        self._render_timer.stop()
        text = self.edit.toPlainText()
        self.ctx.tasks.render(self._key, render_draft, self.ctx.vault, path, text,
                             on_done=lambda page: self._show(path, page),
                             on_error=lambda message: self._failed(path, message))

    def _show(self, path: str, page: RenderedPage) -> None:
        if not shiboken6.isValid(self.browser) or path != self.path:
            return
        bar = self.browser.verticalScrollBar()
        keep = bar.value()
        self.headings = page.headings
        self.browser.setHtml(page.html)
        self.browser.fit_column()
        bar.setValue(keep)
        self.follow_cursor()
        self.rendered.emit()

    def _failed(self, path: str, message: str) -> None:
        if shiboken6.isValid(self.browser) and path == self.path:
            self.browser.setPlainText(f"Cannot preview this page: {message}")

    def heading_above_cursor(self) -> str | None:
        """The text of the nearest heading at or above the cursor's line (none in code)."""
        last = self.edit.textCursor().blockNumber()
        block = self.edit.document().firstBlock()
        in_code, found = False, None
        while block.isValid() and block.blockNumber() <= last:
            line = block.text()
            if line.lstrip().startswith(("```", "~~~")):
                in_code = not in_code
            elif not in_code:
                m = _HEADING.match(line)
                if m:
                    found = m.group(2)
            block = block.next()
        return found

    def follow_cursor(self) -> None:
        """Scroll the preview to the part of the page the cursor is in."""
        if self.path is None:
            return
        heading = self.heading_above_cursor()
        anchor = next((h[2] for h in self.headings if heading and h[1] == heading), None)
        if anchor:
            self.browser.scrollToAnchor(anchor)
            return
        blocks = max(1, self.edit.document().blockCount() - 1)
        fraction = self.edit.textCursor().blockNumber() / blocks
        bar = self.browser.verticalScrollBar()
        bar.setValue(round(fraction * bar.maximum()))
