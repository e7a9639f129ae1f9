"""Tabs over the page view: each tab is a place to read with its own Back/Forward history and
scroll position; the open tabs are remembered per vault.

There is one ``PageView`` however many tabs are open: a tab is its ``History`` and where the
reader was. Switching tabs navigates the session to that tab's page, so everything that follows
the session's page (links panel, graph, navigator, outline, window title) follows the current
tab without knowing tabs exist. Ctrl+click or a middle click on a link (in the page or the
links panel) or on a row of the page list or the search results opens it in a new tab;
a middle click on a tab closes it. ``VaultSession.history`` is the current tab's history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QTabBar, QVBoxLayout, QWidget

from ui.views.navigator import PathRole
from ui.views.search_panel import HitRole
from ui.window import vault_settings
from ui.window.history import History, Place
from wiki.core.model import ChangeSummary
from wiki.core.rules import normalize_rel
from wiki.markup.render import parse_href

if TYPE_CHECKING:
    from ui.window.session import VaultSession

SETTINGS_NAME = "tabs"
MAX_SAVED_TABS = 30
TAB_WIDTH = 200  # px: longer page names are elided


@dataclass
class Tab:
    history: History = field(default_factory=History)
    scroll: int = 0  # where the reader was when they left this tab


class PageTabs(QObject):
    def __init__(self, session: VaultSession) -> None:
        super().__init__(session)
        self.session = session
        self.view = session.page_view
        self.tabs: list[Tab] = [Tab()]
        self.index = 0
        self._quiet = False  # the bar is being changed by us: its signals are not the user's
        self._pending_scroll: tuple[str, int] | None = None
        self.bar = QTabBar()
        self.bar.setObjectName("pageTabs")
        self.bar.setDocumentMode(True)
        self.bar.setTabsClosable(False)  # a close button once there are two tabs
        self.bar.setMovable(True)
        self.bar.setExpanding(False)
        self.bar.setUsesScrollButtons(True)
        self.bar.setElideMode(Qt.TextElideMode.ElideRight)
        self.bar.setStyleSheet(f"QTabBar::tab {{ max-width: {TAB_WIDTH}px; }}")
        self.bar.addTab("")
        self.area = QWidget()  # the window's centre: the tabs over the page
        self.area.setObjectName("readingArea")
        column = QVBoxLayout(self.area)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.bar)
        column.addWidget(self.view, 1)
        self.bar.currentChanged.connect(self._bar_changed)
        self.bar.tabCloseRequested.connect(self.close_tab)
        self.bar.tabMoved.connect(self._moved)
        self.bar.installEventFilter(self)
        self.view.browser.viewport().installEventFilter(self)
        self._links_viewport = session.parts.links_panel.viewport()  # its page names too
        self._links_viewport.installEventFilter(self)
        self._lists = {session.navigator.tree.viewport(): session.navigator.tree,  # and the
                       session.search_panel.results.viewport(): session.search_panel.results}
        for viewport in self._lists:  # page list and search results: the rows' pages
            viewport.installEventFilter(self)
        self.view.page_loaded.connect(self._loaded)
        session.ctx.tasks.vault_changed.connect(self._vault_changed)

    @property
    def history(self) -> History:
        return self.tabs[self.index].history

    def count(self) -> int:
        return len(self.tabs)

    def add_bar(self, widget: QWidget) -> None:
        """Put a bar (find in page) under the page."""
        layout = self.area.layout()
        assert layout is not None
        layout.addWidget(widget)

    # -- opening, switching, closing ----------------------------------------------------------
    def open_in_new_tab(self, path: str, heading: str = "") -> bool:
        """Open ``path`` in a new tab right of the current one and show it."""
        if not self._may_leave(lambda: self.open_in_new_tab(path, heading)):
            return False
        if self.session.ctx.vault.page_info(path) is None:
            self.session.say(f"{path} is not in the vault")
            return False
        before = self.index
        self._remember_scroll()
        self.tabs.insert(before + 1, Tab())
        self._set_index(before + 1, insert=True)
        if not self.session.navigate(path, heading):
            self._drop(before + 1)
            self._set_index(before)
            return False
        self._save()
        return True

    def new_tab(self) -> None:
        """Ctrl+T: the current page again in a new tab (to read on elsewhere)."""
        place = self.history.current
        if place is not None:
            self.open_in_new_tab(place.path, place.heading)

    def activate(self, index: int) -> None:
        """Show tab ``index`` (its page where the reader left it)."""
        if not 0 <= index < len(self.tabs):
            return
        if index != self.index:
            self._remember_scroll()
        self._set_index(index)
        place = self.tabs[index].history.current
        if place is None:
            return
        self._pending_scroll = (place.path, self.tabs[index].scroll)
        if not self.session.navigate(place.path, place.heading, record=False):
            self._pending_scroll = None
            self.session.say(f"{place.path} is no longer in the vault: its tab was closed")
            self._close_now(index)
            return
        self._save()

    def step(self, delta: int) -> None:
        """Ctrl+Tab / Ctrl+Shift+Tab: the next or previous tab, round the end."""
        if len(self.tabs) > 1:
            self._switch_to((self.index + delta) % len(self.tabs))

    def close_current(self) -> None:
        self.close_tab(self.index)

    def close_tab(self, index: int) -> None:
        """Ctrl+W or a tab's close button. The last tab stays (the window always shows a page)."""
        if not 0 <= index < len(self.tabs):
            return
        if len(self.tabs) == 1:
            self.session.say("This is the last tab: it stays open")
            return
        if index == self.index and not self._may_leave(lambda: self.close_tab(index)):
            return
        self._close_now(index)

    def _close_now(self, index: int) -> None:
        if len(self.tabs) == 1:
            return
        was_current = index == self.index
        self._drop(index)
        if was_current:
            self.activate(min(index, len(self.tabs) - 1))
        else:
            if index < self.index:
                self.index -= 1
            self._set_index(self.index)
            self._save()

    def _drop(self, index: int) -> None:
        del self.tabs[index]
        self._quiet = True
        try:
            self.bar.removeTab(index)
        finally:
            self._quiet = False
        self.index = min(self.index, len(self.tabs) - 1)

    def _switch_to(self, index: int) -> None:
        if index == self.index:
            return
        if not self._may_leave(lambda: self.activate(index)):
            self._set_index(self.index)  # the user kept editing: the bar shows this tab again
            return
        self.activate(index)

    def _bar_changed(self, index: int) -> None:
        if not self._quiet and index >= 0:
            self._switch_to(index)

    def _moved(self, source: int, target: int) -> None:
        tab = self.tabs.pop(source)
        self.tabs.insert(target, tab)
        self.index = self.bar.currentIndex()
        self._save()

    def _set_index(self, index: int, *, insert: bool = False) -> None:
        self._quiet = True
        try:
            if insert:
                self.bar.insertTab(index, "")
            self.index = index
            self.bar.setTabsClosable(len(self.tabs) > 1)
            self.bar.setCurrentIndex(index)
        finally:
            self._quiet = False

    def _may_leave(self, then: Callable[[], object]) -> bool:
        """False while the page has unsaved edits the user chose to keep (or save first:
        then ``then`` runs once they are saved)."""
        return self.view.maybe_close(then)

    def _remember_scroll(self) -> None:
        if 0 <= self.index < len(self.tabs) and not self.view.is_editing():
            self.tabs[self.index].scroll = self.view.browser.verticalScrollBar().value()

    # -- following the page -------------------------------------------------------------------
    def _loaded(self, path: str) -> None:
        if not shiboken6.isValid(self.bar):
            return
        self._label(self.index, path)
        pending, self._pending_scroll = self._pending_scroll, None
        if pending is not None and pending[0] == path and pending[1] > 0:
            bar = self.view.browser.verticalScrollBar()
            bar.setValue(pending[1])
            if bar.value() != pending[1]:  # the layout is not finished yet
                QTimer.singleShot(0, bar, lambda: bar.setValue(pending[1]))
        self._save()

    def _label(self, index: int, path: str) -> None:
        vault = self.session.ctx.vault
        name = vault.label(path) if vault.page_info(path) else path.rpartition("/")[2][:-3]
        self.bar.setTabText(index, name)
        self.bar.setTabToolTip(index, path)

    def _vault_changed(self, summary: ChangeSummary) -> None:
        for i, tab in enumerate(self.tabs):
            if i != self.index:  # the session forgets for the current tab itself
                tab.history.forget(summary.removed)

    # -- remembered per vault -----------------------------------------------------------------
    def _save(self) -> None:
        if not shiboken6.isValid(self.bar):
            return  # the session is gone
        saved: list[dict[str, str]] = []
        current = 0
        for i, tab in enumerate(self.tabs[:MAX_SAVED_TABS]):
            place = tab.history.current
            if place is None:
                continue
            if i == self.index:
                current = len(saved)
            saved.append({"path": place.path, "heading": place.heading})
        ctx = self.session.ctx
        vault_settings.save(ctx.settings, SETTINGS_NAME, ctx.vault.root,
                            {"tabs": saved, "current": current})

    def restore(self) -> str | None:
        """Open the tabs saved for this vault (pages that still exist), the current one last
        shown: its path, for the session to open. None when nothing was saved."""
        ctx = self.session.ctx
        saved = vault_settings.load(ctx.settings, SETTINGS_NAME, ctx.vault.root, {})
        entries = saved.get("tabs") if isinstance(saved.get("tabs"), list) else []
        current = saved.get("current") if isinstance(saved.get("current"), int) else 0
        places: list[Place] = []
        chosen = 0
        for i, entry in enumerate(entries[:MAX_SAVED_TABS]):
            path = entry.get("path") if isinstance(entry, dict) else None
            if not isinstance(path, str) or normalize_rel(path) != path \
                    or ctx.vault.page_info(path) is None:
                continue
            if i == current:
                chosen = len(places)
            heading = entry.get("heading")
            places.append(Place(path, heading if isinstance(heading, str) else ""))
        if not places:
            return None
        self._quiet = True
        try:
            while self.bar.count():
                self.bar.removeTab(0)
            self.tabs = []
            for i, place in enumerate(places):
                tab = Tab()
                if i != chosen:  # the current one is recorded when the session opens it
                    tab.history.visit(place)
                self.tabs.append(tab)
                self.bar.addTab("")
                self._label(i, place.path)
        finally:
            self._quiet = False
        self._set_index(chosen)
        return places[chosen].path

    # -- Ctrl+click and middle clicks -----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease) \
                or not isinstance(event, QMouseEvent):
            return False
        if watched is self.bar:
            if event.button() == Qt.MouseButton.MiddleButton:
                at = self.bar.tabAt(event.position().toPoint())
                if at >= 0 and kind == QEvent.Type.MouseButtonRelease:
                    self.close_tab(at)
                return at >= 0
            return False
        new_tab = event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if not new_tab:
            return False
        if watched in self._lists:
            index = self._lists[watched].indexAt(event.position().toPoint())
            hit = index.data(HitRole) if index.isValid() else None
            path = getattr(hit, "path", None) or (index.data(PathRole) if index.isValid()
                                                  else None)
            kind_, target, anchor = ("page", path, "") if isinstance(path, str) \
                else ("", "", "")
        elif watched is self._links_viewport:
            href = self.session.parts.links_panel.anchorAt(event.position().toPoint())
            scheme, _colon, rest = href.partition(":")
            kind_, target, anchor = ("page", unquote(rest), "") if scheme == "page" \
                else ("", "", "")
        else:
            href = self.view.browser.anchorAt(event.position().toPoint())
            kind_, target, anchor = parse_href(href) if href else ("", "", "")
        if kind_ == "anchor" and self.view.current_path:
            kind_, target = "page", self.view.current_path
        if kind_ != "page" or normalize_rel(target) != target:
            return False  # not a page: the click does what it always does
        if kind == QEvent.Type.MouseButtonRelease:
            QTimer.singleShot(0, self, lambda: self.open_in_new_tab(target, anchor))
        return True
