"""Hover preview: resting the mouse on a wiki link in the page shows the start of the page it
links to (or of the section a ``[[Page#Heading]]`` link points to) in a small popup, rendered
like the page (``wiki.markup.page_preview``), read and rendered on the reader thread; it goes
away when the mouse leaves the link or the page.

The popup is a bounded window (``POPUP_SIZE``) and shows at most the first
``PREVIEW_CHARS`` characters of the target's body, so a huge page previews as fast as a
short one. Only links to pages of the vault are previewed (missing pages, tags, attachments
and web links keep their status-bar hint).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.views.page_browser import PageBrowser, page_stylesheet, zoomed_font
from wiki.markup.page_preview import PREVIEW_CHARS
from wiki.markup.render import RenderedPage, parse_href
from wiki.markup.vault_page import render_vault_page

if TYPE_CHECKING:
    from ui.views.page_view import PageView

HOVER_DELAY_MS = 350  # a link crossed on the way elsewhere shows nothing
POPUP_SIZE = QSize(460, 320)
OFFSET = QPoint(12, 18)  # below and right of the pointer, clear of the link's text


class PreviewPopup(QFrame):
    """A frameless tool window holding a read-only page browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("linkPreview")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFixedSize(POPUP_SIZE)
        self.path = ""
        self.browser = PageBrowser(self)
        self.browser.setObjectName("linkPreviewBrowser")
        self.browser.setOpenLinks(False)
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.browser)

    def show_page(self, path: str, page: RenderedPage, at: QPoint, zoom: float) -> None:
        self.path = path
        self.browser.document().setDefaultStyleSheet(
            page_stylesheet(self.palette(), self.font(), zoom * 0.9))
        self.browser.setFont(zoomed_font(self.font(), zoom * 0.9))
        self.browser.resources = page.resources
        self.browser.setHtml(page.html)
        self.browser.fit_column()
        self.move(self._placed(at))
        self.show()
        self.raise_()

    def _placed(self, at: QPoint) -> QPoint:
        """Below right of the pointer, kept on its screen."""
        spot = at + OFFSET
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            if spot.x() + self.width() > screen.right():  # slid left, still by the pointer
                spot.setX(max(screen.left(), screen.right() - self.width()))
            if spot.y() + self.height() > screen.bottom():
                spot.setY(max(screen.top(), at.y() - self.height() - OFFSET.y()))
        return spot


class LinkPreview(QObject):
    def __init__(self, view: PageView) -> None:
        super().__init__(view)
        self.view = view
        self.popup = PreviewPopup(view)
        self._wanted = ""  # the page under the pointer, waiting for the delay or its text
        self._section = ""  # the heading or ^block its link points to
        self._pointer = QPoint()
        self._key = f"preview-{id(self)}"
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(HOVER_DELAY_MS)
        self._timer.timeout.connect(self._load)
        view.browser.highlighted.connect(self._hovered)
        view.browser.viewport().installEventFilter(self)
        view.page_loaded.connect(lambda _path: self.hide())

    def _hovered(self, url: QUrl) -> None:
        href = bytes(url.toEncoded().data()).decode("ascii", "replace") if not url.isEmpty() \
            else ""
        kind, target, anchor = parse_href(href) if href else ("", "", "")
        if kind != "page" or self.view.ctx.vault.page_info(target) is None:
            self.hide()
            return
        if target == self._wanted and anchor == self._section:
            return
        self.hide()
        self._wanted, self._section = target, anchor
        self._timer.start()

    def _load(self) -> None:
        path, section = self._wanted, self._section
        if not path:
            return
        job = partial(render_vault_page, self.view.ctx.vault, path, (), None,
                      max_chars=PREVIEW_CHARS, section=section)
        self.view.ctx.tasks.query(self._key, job,
                                  on_done=lambda page: self._loaded(path, section, page),
                                  on_error=lambda _message: None)

    def _loaded(self, path: str, section: str, page: RenderedPage) -> None:
        if not shiboken6.isValid(self.view) or (path, section) != (self._wanted, self._section):
            return  # the pointer moved on meanwhile
        viewport = self.view.browser.viewport()
        if not viewport.isVisible():
            return
        self.popup.show_page(path, page, viewport.mapToGlobal(self._pointer), self.view.zoom)

    def hide(self) -> None:
        self._wanted = self._section = ""
        self._timer.stop()
        if shiboken6.isValid(self.popup):
            self.popup.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            self._pointer = event.position().toPoint()
        elif kind in (QEvent.Type.Leave, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
                      QEvent.Type.Hide):
            self.hide()
        return False
