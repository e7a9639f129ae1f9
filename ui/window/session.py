"""One open vault in the window: its context, the widgets bound to it, and what the user does
with it (navigate, create, import, refresh, follow live changes).

A ``VaultSession`` is made when a vault has opened and dropped when it closes, so nothing in
it ever asks "is a vault open?". The window keeps what outlives vaults (menus, status bar,
search box, links panel and graph); the session connects the vault actions to itself while it
lives and disconnects them in ``close``. Importing this module loads the engine: the window
imports it only once a vault has opened, after it is on screen.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal, SignalInstance
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMainWindow, QMessageBox

from ui import preferences
from ui.context import AppContext
from ui.operations import loading, mentions, pages
from ui.operations.importing import IMPORT_FILTER, import_articles
from ui.views.backlinks_panel import BacklinksPanel, Neighbourhood, load_neighbourhood
from ui.views.graph_view import LocalGraph
from ui.views.navigator import Navigator
from ui.views.page_view import PageView
from ui.views.quick_switcher import QuickSwitcher
from ui.views.search_panel import SearchPanel
from ui.window.actions import WindowActions
from ui.window.events import WindowEvents
from ui.window.history import History, Place
from ui.window.layout import WindowLayout
from ui.window.live import LiveUpdates
from ui.window.statusbar import StatusBar, index_report
from ui.window.tabs import PageTabs
from wiki.core.model import ChangeSummary, Mention

APP_NAME = "Commonplace"
WATCH_AT_LATEST_MS = 3000  # the watcher starts with the first page shown, or after this


@dataclass
class WindowParts:
    """The parts of the window a session fills and drives; they outlive it."""

    host: QMainWindow
    layout: WindowLayout
    actions: WindowActions
    status: StatusBar
    search_box: QLineEdit
    links_panel: BacklinksPanel
    graph: LocalGraph
    events: WindowEvents
    show_sidebar: Callable[[bool], None]
    importer: Any  # main_window.ImportHooks: compiler_factory and finished


class VaultSession(QObject):
    ready = Signal()  # the first page is on screen, or the vault has none to show

    def __init__(self, ctx: AppContext, parts: WindowParts, *, page: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.parts = parts
        self.links_pending = False
        self._pending_page = page
        self._ready_sent = False
        self._watching = False  # the watcher was started (or failed to start, and said so)
        self._first_page_shown = threading.Event()  # set with the first `ready`
        self._closed = False
        self._connections: list[tuple[SignalInstance, Callable[..., Any]]] = []
        self.page_view = PageView(ctx)
        self.search_panel = SearchPanel(ctx, parts.search_box)
        self.navigator = Navigator(ctx)
        self.tabs = PageTabs(self)  # each tab its own history; the page view shared
        self.live = LiveUpdates(ctx.tasks, self)
        layout = parts.layout
        layout.centre.addWidget(self.tabs.area)
        layout.put_vault_panels(self.search_panel, self.navigator)
        parts.actions.edit_menu.addActions(self.page_view.menu_actions())
        parts.status.set_vault(str(ctx.vault.root))
        parts.status.set_page_count(self.navigator.page_count())
        parts.status.add_warnings(list(getattr(ctx.vault, "warnings", [])))
        parts.graph.bind(ctx)  # the local graph reads its neighbourhoods from this vault
        parts.events.set_handlers(back=self.go_back, forward=self.go_forward,
                                  drop=self.import_files)
        self._wire()

    @property
    def history(self) -> History:
        """The current tab's Back/Forward history."""
        return self.tabs.history

    def _connect(self, signal: SignalInstance, slot: Callable[..., Any]) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def _wire(self) -> None:
        p, a = self.parts, self.parts.actions
        say = self.say
        self._connect(self.live.message, say)
        self._connect(self.live.problem, p.status.show_error)
        self._connect(self.search_panel.open_requested, self._open_search_result)
        self._connect(self.navigator.page_requested, self.navigate)
        self._connect(self.navigator.count_changed, p.status.set_page_count)
        self._connect(p.links_panel.page_requested, self.navigate)
        self._connect(p.links_panel.create_requested, self.create_page)
        self._connect(p.links_panel.link_requested, self.link_mention)
        self._connect(p.graph.page_requested, self.navigate)
        self._connect(self.page_view.page_requested, lambda path, heading:
                      self.navigate(path, heading))
        self._connect(self.page_view.status_message, say)
        self._connect(self.page_view.page_loaded, lambda _path: self._emit_ready())
        self._connect(self.ctx.tasks.vault_changed, self.on_vault_changed)
        commands = {"import_articles": self.choose_import, "reveal": self.reveal_vault,
                    "new_page": self.new_page, "back": self.go_back,
                    "forward": self.go_forward, "home": self.go_home,
                    "random": self.go_random, "switcher": self.quick_switch,
                    "search": self.focus_search, "filter_pages": self.focus_filter,
                    "refresh": self.refresh}
        for name, action in a.vault_actions().items():
            command = commands[name]
            self._connect(action.triggered, lambda _checked=False, c=command: c())
            action.setEnabled(True)
        self._update_nav_actions()

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Show the first page (if the index has pages already), then bring the index up to
        date on the worker and start watching the vault."""
        vault = self.ctx.vault
        had_pages = vault.page_count() > 0
        if had_pages:
            self._open_initial_page()
        self.parts.status.set_activity("indexing")
        started = time.monotonic()
        loading.refresh(self.ctx, on_done=lambda _s: self._refreshed(open_first=not had_pages),
                        on_error=self.parts.status.show_error,
                        on_indexed=lambda count: self._indexed(count, time.monotonic() - started),
                        shown=self._first_page_shown)

    def _indexed(self, count: int, seconds: float) -> None:
        """A first index finished: say what happened, not the first warning it met. The
        links panel reads again: unlinked mentions are found through the search index."""
        if self._closed:
            return
        if self.page_view.current_path:
            self.load_links(self.page_view.current_path)
        self.parts.status.showMessage(index_report(count, seconds,
                                                   len(self.parts.status.warnings.warnings)),
                                      30_000)

    def _refreshed(self, *, open_first: bool) -> None:
        if self._closed:
            return
        if open_first:  # once the refresh's summary is broadcast (Tasks does it next): the
            # page is read once, after it, and not a second time because the vault changed
            QTimer.singleShot(0, self._open_first_page)
        if self.ctx.vault.readonly:
            return
        if self._ready_sent:
            self._start_watching()
        else:  # once the first page is on screen: starting the watcher (importing watchdog,
            # adding a watch per folder) took 0.13 s of the UI thread before it
            self.ready.connect(self._start_watching, Qt.ConnectionType.SingleShotConnection)
            QTimer.singleShot(WATCH_AT_LATEST_MS, self._start_watching)  # (no page shows)

    def _start_watching(self) -> None:
        if self._closed or self._watching:
            return
        self._watching = True
        problem = self.live.start(self.ctx.vault)
        if problem:
            self.parts.status.show_error(problem)

    def may_close(self, then: Callable[[], object] | None = None) -> bool:
        """True when the vault may close now. False when the user chose to keep editing an
        unsaved page, or to save it first (then ``then`` runs once it is saved)."""
        return self.page_view.maybe_close(then)

    def close(self) -> None:
        """Disconnect from the window, drop this vault's widgets and close the vault (on the
        worker, after whatever it is still doing for it)."""
        if self._closed:
            return
        self._closed = True
        self.live.stop()
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # its sender is already gone
                pass
        self._connections.clear()
        p = self.parts
        for action in p.actions.vault_actions().values():
            action.setEnabled(False)
        p.actions.edit_menu.clear()
        p.events.clear_handlers()
        self.search_panel.detach()
        p.layout.clear_vault_panels()
        p.layout.centre.removeWidget(self.tabs.area)
        self.tabs.area.deleteLater()
        p.layout.centre.setCurrentWidget(p.layout.placeholder)
        self.page_view.deleteLater()
        p.links_panel.show_placeholder("No page open.")
        p.graph.bind(None)
        self.ctx.vault.stop_background()  # an index still filling stops at its next batch
        self._first_page_shown.set()  # (one waiting for the first page goes on, and stops)
        self.ctx.tasks.run(self.ctx.vault.close)
        self.deleteLater()

    def _emit_ready(self) -> None:
        if not self._ready_sent:
            self._ready_sent = True
            self.ready.emit()
        self._first_page_shown.set()  # a first open's search index may start filling now

    def say(self, text: str) -> None:
        self.parts.status.showMessage(text, 5000)

    # -- the first page -------------------------------------------------------------------------
    def _open_first_page(self) -> None:
        if not self._closed and self.page_view.current_path is None:
            self._open_initial_page()

    def _open_initial_page(self) -> None:
        vault, settings = self.ctx.vault, self.ctx.settings
        path = None
        restored = (self.tabs.restore()  # the tabs open when the app last closed
                    if preferences.load(settings).reopen_last_page else None)
        if self._pending_page:
            path = vault.find_page(self._pending_page)
            if path is None:
                message = f"No page named “{self._pending_page}” in this vault."
                print(f"commonplace: {message}", file=sys.stderr)
                self._alert("Page not found", message)
        elif restored is not None:
            path = restored
        else:  # the page last shown in this vault, unless Settings says otherwise
            last = preferences.page_to_reopen(settings, vault.root)
            path = last if last and vault.page_info(last) else None
        self._pending_page = None
        path = path or self.home_page()
        if path is None:
            layout = self.parts.layout
            layout.placeholder.setText("This vault has no pages yet.\n\nDrop article files "
                                       "here or use File > Import Articles…")
            layout.centre.setCurrentWidget(layout.placeholder)
            self._emit_ready()
            return
        self.navigate(path)

    def home_page(self) -> str | None:
        vault = self.ctx.vault
        if vault.page_info("index.md"):
            return "index.md"
        all_pages = vault.pages()
        return all_pages[0].path if all_pages else None

    # -- navigation -----------------------------------------------------------------------------
    def navigate(self, path: str, heading: str = "", terms: tuple = (), *,
                 record: bool = True, scroll: int | None = None) -> bool:
        view = self.page_view
        if self.ctx.vault.page_info(path) is None:
            self.parts.status.show_error(f"{path} is not in the vault")
            return False
        if path != view.current_path and view.has_unsaved_changes() and not view.maybe_close(
                lambda: self.navigate(path, heading, terms, record=record, scroll=scroll)):
            return False
        if record:
            self._remember_scroll()
        view.open_page(path, heading=heading or None, terms=tuple(terms), scroll=scroll)
        if view.current_path != path:  # the editor refused to leave
            return False
        if record:
            self.history.visit(Place(path, heading))
        self.parts.layout.centre.setCurrentWidget(self.tabs.area)
        self._page_shown(path)
        return True

    def _page_shown(self, path: str) -> None:
        self.parts.host.setWindowTitle(f"{self.ctx.vault.label(path)} — {APP_NAME}")
        self.navigator.show_current(path)
        preferences.remember_page(self.ctx.settings, self.ctx.vault.root, path)
        self._update_nav_actions()
        self.load_links(path)

    def load_links(self, path: str) -> None:
        self.links_pending = True
        self.ctx.tasks.query("links", load_neighbourhood, self.ctx.vault, path,
                             on_done=self._links_loaded, on_error=self._links_failed)

    def _links_loaded(self, hood: Neighbourhood) -> None:
        self.links_pending = False
        if self._closed or hood.path != self.page_view.current_path:
            return
        self.parts.links_panel.show_neighbourhood(hood)
        self.parts.graph.show_neighbourhood(hood)

    def _links_failed(self, message: str) -> None:
        self.links_pending = False
        if not self._closed:
            self.parts.links_panel.show_placeholder(f"Could not load links: {message}")

    def _open_search_result(self, path: str, terms: tuple) -> None:
        """A result picked (Enter or a click): the page takes the keyboard, so Ctrl+E,
        the arrows and Page Down act on it rather than on the search box."""
        if self.navigate(path, terms=terms):
            self.page_view.focus_page()

    def _remember_scroll(self) -> None:
        if self.page_view.current_path is not None and not self.page_view.is_editing():
            self.history.remember_scroll(self.page_view.current_path,
                                         self.page_view.scroll_position())

    def go_back(self) -> None:
        self._remember_scroll()
        place = self.history.back()
        if place is not None:
            self.navigate(place.path, place.heading, record=False, scroll=place.scroll)
        self._update_nav_actions()

    def go_forward(self) -> None:
        self._remember_scroll()
        place = self.history.forward()
        if place is not None:
            self.navigate(place.path, place.heading, record=False, scroll=place.scroll)
        self._update_nav_actions()

    def go_home(self) -> None:
        path = self.home_page()
        if path:
            self.navigate(path)

    def go_random(self) -> None:
        current = self.page_view.current_path
        choices = [p.path for p in self.ctx.vault.pages() if p.path != current]
        if choices:
            self.navigate(random.choice(choices))

    def _update_nav_actions(self) -> None:
        self.parts.actions.back.setEnabled(self.history.can_go_back())
        self.parts.actions.forward.setEnabled(self.history.can_go_forward())

    def quick_switch(self) -> QuickSwitcher:
        dialog = QuickSwitcher(self.ctx.vault.pages(), self.parts.host)
        dialog.page_chosen.connect(self.navigate)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def focus_search(self) -> None:
        self.parts.show_sidebar(True)
        self.search_panel.focus_search()

    def focus_filter(self) -> None:
        self.parts.show_sidebar(True)
        self.navigator.focus_filter()

    # -- creating pages -------------------------------------------------------------------------
    def new_page(self) -> None:
        name, ok = QInputDialog.getText(self.parts.host, "New page", "Page name:")
        if ok and name.strip():
            self.create_page(name.strip(), edit=True)

    def create_page(self, target: str, *, edit: bool = False) -> None:
        """Create the page a missing link in the links panel names (or File > New Page), then
        open it (in the editor with ``edit``)."""

        def created(rel: str) -> None:
            if self._closed:
                return
            if self.navigate(rel) and edit:
                self.page_view.toggle_editor()
            self.say(f"Created {rel}")

        pages.create_page(self.ctx, target, current_page=self.page_view.current_path,
                          on_done=created, on_error=self.parts.status.show_error)

    def link_mention(self, mention: Mention, target: str) -> None:
        """The links panel's "Link": that mention becomes a link in its file."""
        mentions.link_mention(self.ctx, mention, target, on_done=self.say,
                              on_error=self.parts.status.show_error)

    # -- live updates ---------------------------------------------------------------------------
    def on_vault_changed(self, summary: ChangeSummary) -> None:
        self.navigator.on_vault_changed(summary)
        self.search_panel.on_vault_changed(summary)
        self.history.forget(summary.removed)
        current = self.page_view.current_path
        self.page_view.on_vault_changed(summary)
        if current and (summary.rebuilt or current in summary.links_changed
                        or current in summary.pages_changed):
            if current in summary.removed:
                self.parts.links_panel.show_placeholder("This page was deleted.")
                self.parts.graph.clear()
            else:
                self.load_links(current)
        self.parts.status.add_warnings(summary.warnings)

    def refresh(self) -> None:
        self.parts.status.set_activity("indexing")
        loading.refresh(self.ctx, on_error=self.parts.status.show_error)

    # -- files ----------------------------------------------------------------------------------
    def choose_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self.parts.host, "Import articles",
                                                str(Path.home()), IMPORT_FILTER)
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, files: list[Path]) -> None:
        hooks = self.parts.importer
        compiler = hooks.compiler_factory(self.ctx.vault.root) if hooks.compiler_factory else None
        if import_articles(self.ctx, files, compiler=compiler, on_done=self._imported,
                           on_problems=self.parts.status.add_warnings):
            self.parts.status.set_activity("compiling")
            self.parts.status.showMessage(f"Importing {len(files)} file(s)…")

    def _imported(self, page: str, message: str) -> None:
        self.parts.importer.finished.emit(page, message)
        if self._closed:
            return
        self.parts.status.showMessage(message, 10000)
        if page and self.ctx.vault.page_info(page):
            self.navigate(page)

    def reveal_vault(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.vault.root)))

    def _alert(self, title: str, text: str) -> None:
        """A non-blocking message box (never stalls tests or offscreen runs)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self.parts.host)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
