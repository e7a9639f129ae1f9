"""The main window: sidebar (search, navigator), the page, the links panel and local graph."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from ui.operations import loading
from ui.operations.importing import IMPORT_FILTER, Importer
from ui.tasks import Tasks
from ui.views import ask_panel
from ui.views.backlinks_panel import BacklinksPanel, Neighbourhood, load_neighbourhood
from ui.views.graph_view import LocalGraph
from ui.views.navigator import Navigator
from ui.views.quick_switcher import QuickSwitcher
from ui.views.search_panel import SearchPanel
from ui.window import layout as window_layout
from ui.window.actions import build_actions
from ui.window.events import WindowEvents
from ui.window.history import History, Place
from ui.window.live import LiveUpdates
from ui.window.obsidian_hooks import install as install_obsidian
from ui.window.statusbar import StatusBar
from wiki.core.model import ChangeSummary

if TYPE_CHECKING:
    from ui.context import AppContext

APP_NAME = "Commonplace"
ICON = Path(__file__).resolve().parents[2] / "resources" / "commonplace.svg"


class MainWindow(QMainWindow):
    vault_opened = Signal(str)  # vault root, once bound to the panels
    ready = Signal()  # the first page is on screen (or the vault has none / failed to open)

    def __init__(self, tasks: Tasks, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.settings = settings
        self.ctx: AppContext | None = None
        self.page_view = None
        self.history = History()
        self._pending_page: str | None = None
        self._waiting_ready = True
        self.links_pending = False
        self.setWindowTitle(APP_NAME)
        if ICON.exists():
            self.setWindowIcon(QIcon(str(ICON)))
        self.search_panel = SearchPanel()
        self.navigator = Navigator()
        self.links_panel = BacklinksPanel()
        self.graph = LocalGraph()
        window_layout.build_layout(self)
        self.status = StatusBar(tasks, self)
        self.setStatusBar(self.status)
        self.actions_ = build_actions(self)
        self.obsidian = install_obsidian(self)  # F2 rename, delete with undo, tags pane
        self.live = LiveUpdates(tasks, self)
        self.live.message.connect(lambda text: self.status.showMessage(text, 5000))
        self.importer = Importer(tasks, self)
        self.importer.started.connect(lambda n: self.status.set_activity("compiling"))
        self.importer.finished.connect(self._imported)
        self.search_panel.open_requested.connect(
            lambda path, terms: self.navigate(path, terms=terms))
        self.navigator.page_requested.connect(self.navigate)
        self.navigator.count_changed.connect(self.status.set_page_count)
        self.links_panel.page_requested.connect(self.navigate)
        self.links_panel.create_requested.connect(self.create_page)
        self.graph.page_requested.connect(self.navigate)
        tasks.vault_changed.connect(self.on_vault_changed)
        self.events = WindowEvents(self, back=self.go_back, forward=self.go_forward,
                                   drop=self.import_files)
        QApplication.instance().installEventFilter(self.events)
        ask_panel.install(self)  # the Ask pane (a dock) and its action, Ctrl+Shift+A
        self.resize(1300, 820)
        window_layout.restore_layout(self)
        self._update_nav_actions()

    # -- vault lifecycle ------------------------------------------------------------------------
    def open_vault(self, root: Path, *, first_run: bool = False, page: str | None = None) -> None:
        """Open ``root`` on the worker (compiling the seeds first on the first run)."""
        if self.page_view is not None and not self.page_view.maybe_close():
            return
        self._unbind()
        self._pending_page = page
        self.placeholder.setText("Building your wiki from the starter articles…" if first_run
                                 else f"Opening {root}…")
        self.status.set_vault(str(root))
        self.status.set_activity("compiling" if first_run else "opening")
        self.tasks.run(loading.open_vault, Path(root), first_run, with_progress=True,
                       on_done=self._bind, on_error=self._open_failed)

    def _open_failed(self, message: str) -> None:
        self.placeholder.setText(f"Could not open the vault:\n{message}")
        self.status.show_error(message)
        self._alert("Could not open the vault", message)
        self._emit_ready()

    def _bind(self, vault) -> None:
        from ui.context import AppContext  # imports the engine: kept off the start-up path
        from ui.views.page_view import PageView

        self.ctx = AppContext(vault, self.tasks, self.settings)

        self.page_view = PageView(self.ctx)
        self.page_view.page_requested.connect(
            lambda path, heading: self.navigate(path, heading))
        self.edit_menu.clear()
        self.edit_menu.addActions([self.page_view.edit_action, self.page_view.save_action])
        self.page_view.status_message.connect(lambda m: self.status.showMessage(m, 5000))
        self.page_view.page_loaded.connect(self._page_loaded)
        self.page_view.tag_requested.connect(self.search_tag)
        self.centre.addWidget(self.page_view)
        self.centre.setCurrentWidget(self.page_view)
        self.importer.vault = vault
        self.search_panel.bind(self.ctx)
        self.obsidian.bind(self.ctx)
        self.navigator.bind(self.ctx)
        self.status.set_vault(str(vault.root))
        for warning in getattr(vault, "warnings", []):
            self.status.show_error(warning)
        self.settings.setValue("vault/last", str(vault.root))
        self.vault_opened.emit(str(vault.root))
        had_pages = vault.page_count() > 0
        if had_pages:
            self._open_initial_page()
        self.status.set_activity("indexing")
        self.tasks.run(vault.refresh, with_progress=True,
                       on_done=lambda _s: self._refreshed(vault, open_first=not had_pages),
                       on_error=self.status.show_error)

    def _refreshed(self, vault, *, open_first: bool) -> None:
        if self.ctx is None or self.ctx.vault is not vault:
            return
        if open_first:
            self._open_initial_page()
        if not vault.readonly:
            problem = self.live.start(vault)
            if problem:
                self.status.show_error(problem)

    def _unbind(self) -> None:
        if self.ctx is None:
            return
        old = self.ctx.vault
        self.live.stop()
        self.ctx = None
        self.importer.vault = None
        if self.page_view is not None:
            self.edit_menu.clear()
            self.centre.removeWidget(self.page_view)
            self.page_view.deleteLater()
            self.page_view = None
        self.centre.setCurrentWidget(self.placeholder)
        self.history = History()
        self.links_panel.show_placeholder("No page open.")
        self.graph.clear()
        self.tasks.run(old.close)

    def _open_initial_page(self) -> None:
        if self.ctx is None:
            return
        vault = self.ctx.vault
        path = None
        if self._pending_page:
            path = vault.find_page(self._pending_page)
            if path is None:
                message = f"No page named “{self._pending_page}” in this vault."
                print(f"commonplace: {message}", file=sys.stderr)
                self._alert("Page not found", message)
        elif self.settings.value("vault/last_page_vault") == str(vault.root):
            last = self.settings.value("vault/last_page")
            path = last if last and vault.page_info(last) else None
        self._pending_page = None
        path = path or self.home_page()
        if path is None:
            self.placeholder.setText("This vault has no pages yet.\n\nDrop article files here "
                                     "or use File > Import Articles…")
            self.centre.setCurrentWidget(self.placeholder)
            self._emit_ready()
            return
        self.navigate(path)

    def home_page(self) -> str | None:
        if self.ctx is None:
            return None
        vault = self.ctx.vault
        if vault.page_info("index.md"):
            return "index.md"
        pages = vault.pages()
        return pages[0].path if pages else None

    def _emit_ready(self) -> None:
        if self._waiting_ready:
            self._waiting_ready = False
            self.ready.emit()

    # -- navigation -----------------------------------------------------------------------------
    def navigate(self, path: str, heading: str = "", terms: tuple = (), *,
                 record: bool = True) -> bool:
        if self.ctx is None or self.page_view is None:
            return False
        if self.ctx.vault.page_info(path) is None:
            self.status.show_error(f"{path} is not in the vault")
            return False
        same_page = path == self.page_view.current_path
        if not same_page and self.page_view.has_unsaved_changes() \
                and not self.page_view.maybe_close():
            return False
        self.page_view.open_page(path, heading=heading or None, terms=tuple(terms))
        if self.page_view.current_path != path:  # the editor refused to leave
            return False
        if record:
            self.history.visit(Place(path, heading))
        self.centre.setCurrentWidget(self.page_view)
        self._page_shown(path)
        return True

    def _page_shown(self, path: str) -> None:
        label = self.ctx.vault.label(path) if self.ctx else path
        self.setWindowTitle(f"{label} — {APP_NAME}")
        self.navigator.show_current(path)
        self.settings.setValue("vault/last_page", path)
        self.settings.setValue("vault/last_page_vault", str(self.ctx.vault.root))
        self._update_nav_actions()
        self.load_links(path)

    def _page_loaded(self, _path: str) -> None:
        self._emit_ready()

    def load_links(self, path: str) -> None:
        if self.ctx is None:
            return
        self.links_pending = True
        self.tasks.query("links", load_neighbourhood, self.ctx.vault, path,
                         on_done=self._links_loaded, on_error=self._links_failed)

    def _links_loaded(self, hood: Neighbourhood) -> None:
        self.links_pending = False
        if self.page_view is None or hood.path != self.page_view.current_path:
            return
        self.links_panel.show_neighbourhood(hood)
        self.graph.show_neighbourhood(hood)

    def _links_failed(self, message: str) -> None:
        self.links_pending = False
        self.links_panel.show_placeholder(f"Could not load links: {message}")

    def go_back(self) -> None:
        place = self.history.back()
        if place is not None:
            self.navigate(place.path, place.heading, record=False)
        self._update_nav_actions()

    def go_forward(self) -> None:
        place = self.history.forward()
        if place is not None:
            self.navigate(place.path, place.heading, record=False)
        self._update_nav_actions()

    def go_home(self) -> None:
        path = self.home_page()
        if path:
            self.navigate(path)

    def go_random(self) -> None:
        if self.ctx is None:
            return
        current = self.page_view.current_path if self.page_view else None
        choices = [p.path for p in self.ctx.vault.pages() if p.path != current]
        if choices:
            self.navigate(random.choice(choices))

    def _update_nav_actions(self) -> None:
        self.actions_.back.setEnabled(self.history.can_go_back())
        self.actions_.forward.setEnabled(self.history.can_go_forward())

    def quick_switch(self) -> QuickSwitcher | None:
        if self.ctx is None:
            return None
        dialog = QuickSwitcher(self.ctx.vault.pages(), self)
        dialog.page_chosen.connect(self.navigate)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def search_tag(self, tag: str) -> None:
        """A clicked #tag: the sidebar searches ``tag:<tag>``."""
        self.search_panel.search_for(f"tag:{tag}")

    def focus_search(self) -> None:
        self.set_sidebar_visible(True)
        self.search_panel.focus_search()

    def focus_filter(self) -> None:
        self.set_sidebar_visible(True)
        self.navigator.focus_filter()

    # -- creating pages -----------------------------------------------------------------------
    def new_page(self) -> None:
        name, ok = QInputDialog.getText(self, "New page", "Page name:")
        if ok and name.strip():
            self.create_page(name.strip(), edit=True)

    def create_page(self, target: str, *, edit: bool = False) -> None:
        """Create the page a missing link points to (never overwriting), then open it.
        (The page view creates pages from its own links; this serves the links panel and
        File > New Page.)"""
        if self.ctx is None:
            return
        from wiki.vault.editing import create_page, new_page_path

        vault = self.ctx.vault
        rel = new_page_path(target)
        title = target.replace("\\", "/").rpartition("/")[2].strip() or "Untitled"

        def job() -> ChangeSummary:
            if not (vault.root / rel).exists():
                create_page(vault.root, rel, title)
            return vault.update_paths([rel])

        def done(_summary: ChangeSummary) -> None:
            if self.navigate(rel) and edit and self.page_view is not None:
                self.page_view.toggle_editor()
            self.status.showMessage(f"Created {rel}", 5000)

        self.tasks.run(job, on_done=done, on_error=self.status.show_error)

    # -- live updates ---------------------------------------------------------------------------
    def on_vault_changed(self, summary: ChangeSummary) -> None:
        if self.ctx is None:
            return
        self.navigator.on_vault_changed(summary)
        self.search_panel.on_vault_changed(summary)
        self.history.forget(summary.removed)
        current = self.page_view.current_path if self.page_view else None
        if self.page_view is not None:
            self.page_view.on_vault_changed(summary)
        if current and (summary.rebuilt or current in summary.links_changed
                        or current in summary.pages_changed):
            if current in summary.removed:
                self.links_panel.show_placeholder("This page was deleted.")
                self.graph.clear()
            else:
                self.load_links(current)
        for warning in summary.warnings[:3]:
            self.status.show_error(warning)

    def refresh_vault(self) -> None:
        if self.ctx is not None:
            self.status.set_activity("indexing")
            self.tasks.run(self.ctx.vault.refresh, with_progress=True,
                           on_error=self.status.show_error)

    # -- files ----------------------------------------------------------------------------------
    def choose_vault(self) -> None:
        start = str(self.ctx.vault.root) if self.ctx else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open vault folder", start)
        if folder:
            self.open_vault(Path(folder))

    def choose_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import articles", str(Path.home()),
                                                IMPORT_FILTER)
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, files: list[Path]) -> None:
        if self.importer.import_files(files):
            self.status.showMessage(f"Importing {len(files)} file(s)…")

    def _imported(self, page: str, message: str) -> None:
        self.status.showMessage(message, 10000)
        if page and self.ctx is not None and self.ctx.vault.page_info(page):
            self.navigate(page)

    def reveal_vault(self) -> None:
        if self.ctx is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.vault.root)))


    # -- panels and layout ----------------------------------------------------------------------
    def set_sidebar_visible(self, visible: bool) -> None:
        if not visible:
            window_layout.remember_side_widths(self)
        self.left.setVisible(visible)
        window_layout.give_room(self, 0)
        self.actions_.sidebar.setChecked(visible)

    def set_links_visible(self, visible: bool) -> None:
        self.links_panel.setVisible(visible)
        self._sync_right()
        self.actions_.links.setChecked(visible)

    def set_graph_visible(self, visible: bool) -> None:
        self.graph.setVisible(visible)
        self._sync_right()
        self.actions_.graph.setChecked(visible)

    def _sync_right(self) -> None:
        visible = self.links_panel.isVisibleTo(self.right) or self.graph.isVisibleTo(self.right)
        if not visible:
            window_layout.remember_side_widths(self)
        self.right.setVisible(visible)
        window_layout.give_room(self, 2)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.page_view is not None and not self.page_view.maybe_close():
            event.ignore()
            return
        window_layout.save_layout(self)
        self.live.stop()
        QApplication.instance().removeEventFilter(self.events)
        event.accept()

    # -- messages -------------------------------------------------------------------------------
    def _alert(self, title: str, text: str) -> None:
        """A non-blocking message box (never stalls tests or offscreen runs)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<b>{APP_NAME}</b><br>A personal wiki that compiles the articles "
                          "you read into linked Markdown pages.")
