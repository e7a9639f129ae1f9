"""Bookmarks (Ctrl+D toggles the current page; the Bookmarks menu lists them) and recent pages
(Go > Recent Pages).

In an Obsidian vault (one with ``.obsidian/``) the bookmarks are Obsidian's own
``.obsidian/bookmarks.json`` (``wiki.vault.bookmarks``): read and written off the UI thread,
every item we do not show kept as it was, read again each time the menu opens so what was
bookmarked in Obsidian shows too. Any other vault keeps the same document in QSettings, per
vault (``.wiki/`` is a cache that may be deleted). Recent pages are per vault in QSettings.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from ui.window import vault_settings
from wiki.vault.bookmarks import (
    BookmarkError,
    BookmarkList,
    obsidian_file,
    read_file,
    toggle_in_file,
)

if TYPE_CHECKING:
    from ui.context import AppContext

SETTINGS_BOOKMARKS = "bookmarks"
SETTINGS_RECENT = "recent"
MAX_RECENT = 15
_keys = itertools.count()


def menu_named(bar: QMenuBar, title: str) -> QMenu | None:
    for item in bar.actions():
        menu = item.menu()
        if item.text() == title and isinstance(menu, QMenu):
            return menu
    return None


class Bookmarks:
    """The Bookmarks menu and its toggle, for whichever vault is open."""

    def __init__(self, bar: QMenuBar, current: Callable[[], str | None],
                 open_page: Callable[[str, str], object], say: Callable[[str], None]) -> None:
        self.current = current
        self.open_page = open_page
        self.say = say
        self.ctx: AppContext | None = None
        self.file: Path | None = None
        self.list = BookmarkList()
        self.menu = QMenu("&Bookmarks", bar)
        self.menu.setObjectName("bookmarksMenu")
        help_menu = menu_named(bar, "&Help")
        bar.insertMenu(help_menu.menuAction(), self.menu) if help_menu else bar.addMenu(self.menu)
        self.toggle_action = QAction("Bookmark This Page", self.menu, checkable=True)
        self.toggle_action.setShortcut(QKeySequence("Ctrl+D"))
        self.toggle_action.triggered.connect(lambda _checked=False: self.toggle())
        self.toggle_action.setEnabled(False)
        self.menu.aboutToShow.connect(self._menu_opening)
        self._fill()

    def bind(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.file = obsidian_file(ctx.vault.root)
        self.toggle_action.setEnabled(True)
        if self.file is None:
            data = vault_settings.load(ctx.settings, SETTINGS_BOOKMARKS, ctx.vault.root, {})
            try:
                self.list = BookmarkList.parse(json.dumps(data)) if data else BookmarkList()
            except BookmarkError:
                self.list = BookmarkList()
            self._fill()
        else:
            self.list = BookmarkList()
            self._fill()
            self.reload()

    def unbind(self) -> None:
        self.ctx = None
        self.toggle_action.setEnabled(False)
        self.list = BookmarkList()
        self._fill()

    # -- reading and writing ------------------------------------------------------------------
    def reload(self) -> None:
        """Read Obsidian's file again (it may have changed it), off the UI thread."""
        ctx, file = self.ctx, self.file
        if ctx is None or file is None:
            return
        ctx.tasks.query(f"bookmarks-read-{id(self)}", read_file, file,
                        on_done=lambda got: self._got(ctx, got),
                        on_error=lambda message: self._failed(ctx, message))

    def _got(self, ctx: AppContext, got: BookmarkList) -> None:
        if ctx is self.ctx and shiboken6.isValid(self.menu):
            self.list = got
            self._fill()

    def _failed(self, ctx: AppContext, message: str) -> None:
        if ctx is self.ctx and shiboken6.isValid(self.menu):
            self.page_shown(self.current())  # the box shows what is on disk, not the click
            self.say(f"Bookmarks: {message}")

    def toggle(self) -> None:
        """Ctrl+D: bookmark the page shown, or drop its bookmark."""
        path, ctx = self.current(), self.ctx
        if path is None or ctx is None:
            return
        if self.file is None:
            added = self.list.toggle(path)
            vault_settings.save(ctx.settings, SETTINGS_BOOKMARKS, ctx.vault.root, self.list.data)
            self._toggled(ctx, path, added, self.list)
            return
        # the reader thread, not the worker: a first index may keep the worker busy for
        # minutes, and this file is no part of the index (each toggle reads the file afresh)
        ctx.tasks.query(f"bookmarks-write-{next(_keys)}", toggle_in_file, self.file, path,
                        on_done=lambda result: self._toggled(ctx, path, *result),
                        on_error=lambda message: self._failed(ctx, message))

    def _toggled(self, ctx: AppContext, path: str, added: bool, got: BookmarkList) -> None:
        if ctx is not self.ctx or not shiboken6.isValid(self.menu):
            return
        self.list = got
        self._fill()
        name = ctx.vault.label(path) if ctx.vault.page_info(path) else path
        self.say(f"Bookmarked {name}" if added else f"Removed the bookmark of {name}")

    # -- the menu -----------------------------------------------------------------------------
    def page_shown(self, path: str | None) -> None:
        self.toggle_action.setChecked(bool(path) and self.list.has(path or ""))

    def _menu_opening(self) -> None:
        self._fill()
        self.reload()  # Obsidian may have changed the file: the menu updates when it is read

    def _fill(self) -> None:
        self.menu.clear()
        self.menu.addAction(self.toggle_action)
        self.menu.addSeparator()
        ctx = self.ctx
        marks = self.list.files() if ctx is not None else []
        shown = 0
        for mark in marks:
            if ctx is None or ctx.vault.page_info(mark.path) is None:
                continue
            name = mark.title or ctx.vault.label(mark.path)
            if mark.subpath:
                name += f" › {mark.subpath.lstrip('#')}"
            text = f"{mark.group} / {name}" if mark.group else name
            action = self.menu.addAction(text.replace("&", "&&"))
            action.setToolTip(mark.path)
            action.setData(mark.path)
            action.triggered.connect(lambda _c=False, p=mark.path, s=mark.subpath:
                                     self.open_page(p, s.lstrip("#")))
            shown += 1
        if not shown:
            empty = self.menu.addAction("No bookmarks yet (Ctrl+D bookmarks a page)")
            empty.setEnabled(False)
        self.page_shown(self.current())

    def titles(self) -> list[str]:
        """The bookmarks the menu lists (for tests and the status bar)."""
        return [a.text() for a in self.menu.actions() if a.data()]


class RecentPages:
    """Go > Recent Pages: the last pages shown in this vault, newest first."""

    def __init__(self, go_menu: QMenu | None, open_page: Callable[[str, str], object]) -> None:
        self.open_page = open_page
        self.ctx: AppContext | None = None
        self.paths: list[str] = []
        self.menu = QMenu("Recent Pages")
        self.menu.setObjectName("recentMenu")
        if go_menu is not None:
            go_menu.addSeparator()
            go_menu.addMenu(self.menu)
        self.menu.aboutToShow.connect(self._fill)
        self._fill()

    def bind(self, ctx: AppContext) -> None:
        self.ctx = ctx
        saved = vault_settings.load(ctx.settings, SETTINGS_RECENT, ctx.vault.root, [])
        self.paths = [p for p in saved if isinstance(p, str)][:MAX_RECENT]
        self._fill()

    def unbind(self) -> None:
        self.ctx = None
        self.paths = []
        self._fill()

    def page_shown(self, path: str) -> None:
        ctx = self.ctx
        if ctx is None or (self.paths and self.paths[0] == path):
            return
        self.paths = [path] + [p for p in self.paths if p != path][:MAX_RECENT - 1]
        vault_settings.save(ctx.settings, SETTINGS_RECENT, ctx.vault.root, self.paths)

    def _fill(self) -> None:
        self.menu.clear()
        ctx = self.ctx
        for path in self.paths:
            if ctx is None or ctx.vault.page_info(path) is None:
                continue  # deleted or renamed since
            action = self.menu.addAction(ctx.vault.label(path).replace("&", "&&"))
            action.setToolTip(path)
            action.setData(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_page(p, ""))
        if not any(a.data() for a in self.menu.actions()):
            self.menu.addAction("No pages yet").setEnabled(False)

    def titles(self) -> list[str]:
        self._fill()
        return [a.text() for a in self.menu.actions() if a.data()]
