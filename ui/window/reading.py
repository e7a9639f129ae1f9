"""The window's reading features: tabs' keys, find in page, hover previews, the outline pane,
bookmarks and recent pages, and text zoom.

``install(window)`` makes the actions, menus and the outline dock once; ``bind(session)`` is
called each time a vault has opened and puts the find bar and the hover preview on that
session's page view. The tabs themselves belong to the session (``ui.window.tabs``). Kept apart
from ``main_window`` so the window stays a layout of parts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from ui.views.find_bar import FindBar
from ui.views.link_preview import LinkPreview
from ui.views.outline_pane import OutlinePane, heading_at, heading_offsets
from ui.window import text_zoom
from ui.window.bookmarks_menu import Bookmarks, RecentPages, menu_named

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow
    from ui.window.session import VaultSession

OUTLINE_SETTING = "panels/outline"
OUTLINE_WIDTH = 220  # px: headings are short; the page keeps the room


class ReadingFeatures:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.session: VaultSession | None = None
        self.find_bar: FindBar | None = None
        self.preview: LinkPreview | None = None
        self.zoom = text_zoom.saved_zoom(window.settings)
        self._offsets: list[tuple[float, str]] = []  # the outline's headings on the page
        self.find_action = self._action("Find in Page…", self._find, "Ctrl+F")
        self.new_tab = self._action("New Tab", lambda s: s.tabs.new_tab(), "Ctrl+T")
        self.close_tab = self._action("Close Tab", lambda s: s.tabs.close_current(), "Ctrl+W")
        self.next_tab = self._action("Next Tab", lambda s: s.tabs.step(1), "Ctrl+Tab",
                                     "Ctrl+PgDown")
        self.previous_tab = self._action("Previous Tab", lambda s: s.tabs.step(-1),
                                         "Ctrl+Shift+Tab", "Ctrl+PgUp")
        self.zoom_in = self._action("Zoom In", lambda s: self.set_zoom(1), "Ctrl++", "Ctrl+=")
        self.zoom_out = self._action("Zoom Out", lambda s: self.set_zoom(-1), "Ctrl+-")
        self.zoom_reset = self._action("Actual Size", lambda s: self.set_zoom(0), "Ctrl+0")

        self.outline = OutlinePane()
        self.outline.heading_chosen.connect(self._scroll_to)
        self.dock = QDockWidget("Outline", window)
        self.dock.setObjectName("outlineDock")
        self.dock.setWidget(self.outline)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.setVisible(str(window.settings.value(OUTLINE_SETTING, "false")) == "true")
        self.outline_action = self.dock.toggleViewAction()
        self.outline_action.setText("Outline")
        self.outline_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.outline_action.toggled.connect(self._outline_toggled)
        window.addAction(self.outline_action)

        bar = window.menuBar()
        go_menu, view_menu = menu_named(bar, "&Go"), menu_named(bar, "&View")
        if go_menu is not None:
            go_menu.addSeparator()
            go_menu.addActions([self.new_tab, self.close_tab, self.next_tab, self.previous_tab])
        if view_menu is not None:
            view_menu.addSeparator()
            view_menu.addActions([self.outline_action, self.zoom_in, self.zoom_out,
                                  self.zoom_reset])
        self.bookmarks = Bookmarks(bar, self._current_path, self._open, self._say)
        window.addAction(self.bookmarks.toggle_action)
        self.recent = RecentPages(go_menu, self._open)

    def _action(self, text: str, slot: Callable[[VaultSession], object],
                *keys: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: self._run(slot))
        action.setEnabled(False)
        self.window.addAction(action)
        return action

    def _run(self, slot: Callable[[VaultSession], object]) -> None:
        session = self.window.session
        if session is not None and session is self.session:
            slot(session)

    def _outline_toggled(self, on: bool) -> None:
        self.window.settings.setValue(OUTLINE_SETTING, "true" if on else "false")
        if on and self.dock.width() > OUTLINE_WIDTH:
            self.window.resizeDocks([self.dock], [OUTLINE_WIDTH], Qt.Orientation.Horizontal)

    def _reading_actions(self) -> list[QAction]:
        return [self.find_action, self.new_tab, self.close_tab, self.next_tab,
                self.previous_tab, self.zoom_in, self.zoom_out, self.zoom_reset]

    # -- a vault opened or closed -------------------------------------------------------------
    def bind(self, session: VaultSession) -> None:
        self.session = session
        view = session.page_view
        self.find_bar = FindBar(view)
        session.tabs.add_bar(self.find_bar)
        self.preview = LinkPreview(view)
        view.set_zoom(self.zoom)
        view.page_loaded.connect(self._page_loaded)
        view.browser.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.bookmarks.bind(session.ctx)
        self.recent.bind(session.ctx)
        self.outline.show_headings([])
        menu: QMenu = self.window.edit_menu
        if self.find_action not in menu.actions():
            menu.addSeparator()
            menu.addAction(self.find_action)
        for action in self._reading_actions():
            action.setEnabled(True)
        session.destroyed.connect(lambda _obj=None, s=session: self._unbind(s))

    def _unbind(self, session: object) -> None:
        if self.session is not session or not shiboken6.isValid(self.outline):
            return  # another vault is open already, or the window is gone
        self.session = None
        self.find_bar = self.preview = None
        self.bookmarks.unbind()
        self.recent.unbind()
        self.outline.show_headings([])
        for action in self._reading_actions():
            action.setEnabled(False)

    def _page_loaded(self, path: str) -> None:
        session = self.session
        if session is None:
            return
        headings = session.page_view.headings()
        self.outline.show_headings(headings)
        self._offsets = []
        if headings:
            self._offsets = heading_offsets(session.page_view.browser, [a for _l, _t, a in
                                                                         headings])
            self._scrolled(session.page_view.browser.verticalScrollBar().value())
        self.bookmarks.page_shown(path)
        self.recent.page_shown(path)

    def _scrolled(self, value: int) -> None:
        """The page scrolled: the outline selects the heading of the part being read."""
        if self.dock.isVisible() and self._offsets and self.session is not None:
            browser = self.session.page_view.browser
            bar = browser.verticalScrollBar()
            top = float(value)
            if value >= bar.maximum() > 0:  # the end of the page: the last heading on screen
                top += browser.viewport().height() - 48
            self.outline.mark_current(heading_at(self._offsets, top))

    # -- what the actions do ------------------------------------------------------------------
    def _find(self, session: VaultSession) -> None:
        if self.find_bar is not None:
            self.find_bar.open_bar()

    def set_zoom(self, direction: int) -> None:
        """Ctrl+Plus (1), Ctrl+Minus (-1), Ctrl+0 (0)."""
        self.zoom = text_zoom.next_zoom(self.zoom, direction)
        text_zoom.store_zoom(self.window.settings, self.zoom)
        if self.session is not None:
            self.session.page_view.set_zoom(self.zoom)
        self._say(f"Text size {round(self.zoom * 100)}%")

    def _scroll_to(self, anchor: str) -> None:
        if self.session is not None:
            view = self.session.page_view
            if view.is_editing():
                self._say("The outline scrolls the page: Ctrl+E shows it")
                return
            view.scroll_to_heading(anchor)

    def _current_path(self) -> str | None:
        return self.session.page_view.current_path if self.session is not None else None

    def _open(self, path: str, heading: str) -> None:
        if self.session is not None:
            self.session.navigate(path, heading)

    def _say(self, text: str) -> None:
        self.window.status.showMessage(text, 5000)


def install(window: MainWindow) -> ReadingFeatures:
    return ReadingFeatures(window)
