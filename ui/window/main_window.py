"""The main window: sidebar (search, navigator), the page, the links panel and local graph.

The window is the frame that outlives vaults: menus, toolbar, status bar, the search box, the
links panel and the graph. Everything that needs an open vault lives in a ``VaultSession``
(``ui.window.session``), made when a vault has opened and dropped when it closes.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox, QWidget

from ui.operations import loading
from ui.tasks import Tasks
from ui.views import ask_panel
from ui.views.backlinks_panel import BacklinksPanel
from ui.views.graph_view import LocalGraph
from ui.views.search_panel import search_box
from ui.window import graph_hooks
from ui.window import layout as window_layout
from ui.window import look as window_look
from ui.window.actions import build_actions
from ui.window.events import WindowEvents
from ui.window.obsidian_hooks import install as install_obsidian
from ui.window.reading import install as install_reading
from ui.window.statusbar import StatusBar

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.views.page_view import PageView
    from ui.window.session import VaultSession
    from wiki.vault.facade import Vault

APP_NAME = "Commonplace"
ICON = Path(__file__).resolve().parents[2] / "resources" / "commonplace.svg"


def _application() -> QCoreApplication:
    app = QApplication.instance()
    assert app is not None, "the window needs a QApplication"
    return app


class ImportHooks(QObject):
    """What other panes add to an import: the compiler to use (the Ask pane's "let the model
    write"), and word when it is done."""

    finished = Signal(str, str)  # first source page or "", message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.compiler_factory: Callable[[Path], object] | None = None


class MainWindow(QMainWindow):
    vault_opened = Signal(str)  # vault root, once its session is on screen
    ready = Signal()  # the first page is on screen (or the vault has none / failed to open)

    def __init__(self, tasks: Tasks, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.settings = settings
        self.session: VaultSession | None = None
        self._waiting_ready = True
        self.setWindowTitle(APP_NAME)
        if ICON.exists():
            self.setWindowIcon(QIcon(str(ICON)))
        self.search_box = search_box()
        self.links_panel = BacklinksPanel()
        self.graph = LocalGraph()
        self.layout_ = window_layout.build_layout(self.search_box, self.links_panel, self.graph)
        self.setCentralWidget(self.layout_.main)
        self.status = StatusBar(tasks, self)
        self.setStatusBar(self.status)
        self.actions_ = build_actions(self, self)
        self.events = WindowEvents(self)
        _application().installEventFilter(self.events)
        self.importer = ImportHooks(self)
        self.obsidian = install_obsidian(self)  # F2 rename, delete with undo, tags pane
        ask_panel.install(self)  # the Ask pane (a dock) and its action, Ctrl+Shift+A
        self.reading = install_reading(self)  # find, zoom, tabs' keys, outline, bookmarks
        self.vault_graph = graph_hooks.install(self)  # View > Graph of the Vault, Ctrl+Alt+G
        self.look = window_look.install(self)  # theme, icons, page font, Edit > Settings…
        self.resize(1300, 820)
        window_layout.restore_layout(self, self.layout_, settings, self.actions_.panel_toggles())

    # -- for the panes installed on the window (tags, Ask, page operations) ---------------------
    @property
    def ctx(self) -> AppContext | None:
        return self.session.ctx if self.session is not None else None

    @property
    def page_view(self) -> PageView | None:
        return self.session.page_view if self.session is not None else None

    @property
    def edit_menu(self):
        return self.actions_.edit_menu

    def navigate(self, path: str, heading: str = "", terms: tuple = ()) -> bool:
        return self.session is not None and self.session.navigate(path, heading, terms)

    def search_tag(self, tag: str) -> None:
        """A clicked #tag: the sidebar searches ``tag:<tag>``."""
        if self.session is not None:
            self.session.search_panel.search_for(f"tag:{tag}")

    @property
    def links_pending(self) -> bool:
        """The open page's links are still being read (the screenshot waits for them)."""
        return self.session is not None and (self.session.links_pending or self.graph.pending)

    # -- vault lifecycle ------------------------------------------------------------------------
    def open_vault(self, root: Path, *, first_run: bool = False, page: str | None = None) -> None:
        """Open ``root`` on the worker (compiling the seeds first on the first run)."""
        if self.session is not None:
            if not self.session.may_close(lambda: self.open_vault(root, first_run=first_run,
                                                                  page=page)):
                return
            self.session.close()
            self.session = None
        self.layout_.placeholder.setText("Building your wiki from the starter articles…"
                                         if first_run else f"Opening {root}…")
        self.status.set_vault(str(root))
        self.status.set_activity("compiling" if first_run else "opening")
        self.tasks.run(loading.open_vault, Path(root), first_run, with_progress=True,
                       on_done=lambda vault: self._opened(vault, page),
                       on_error=self._open_failed)

    def _open_failed(self, message: str) -> None:
        self.layout_.placeholder.setText(f"Could not open the vault:\n{message}")
        self.status.show_error(message)
        box = QMessageBox(QMessageBox.Icon.Warning, "Could not open the vault", message,
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # non-blocking: never stalls tests or offscreen runs
        self._emit_ready()

    def _opened(self, vault: Vault, page: str | None) -> None:
        from ui.context import AppContext  # these import the engine: off the start-up path
        from ui.window.session import VaultSession, WindowParts

        parts = WindowParts(self, self.layout_, self.actions_, self.status, self.search_box,
                            self.links_panel, self.graph, self.events, self.set_sidebar_visible,
                            self.importer)
        self.session = VaultSession(AppContext(vault, self.tasks, self.settings), parts,
                                    page=page, parent=self)
        self.session.ready.connect(self._emit_ready)
        self.session.page_view.tag_requested.connect(self.search_tag)
        self.obsidian.bind(self.session.ctx)
        self.reading.bind(self.session)
        self.settings.setValue("vault/last", str(vault.root))
        self.vault_opened.emit(str(vault.root))
        self.session.start()

    def _emit_ready(self) -> None:
        if self._waiting_ready:
            self._waiting_ready = False
            # PySide6's import hook reads the source of every module imported (shibokensupport
            # feature.py, through inspect): ~20 MB of lines nobody will read again
            linecache.clearcache()
            self.ready.emit()

    def choose_vault(self) -> None:
        start = str(self.session.ctx.vault.root) if self.session else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open vault folder", start)
        if folder:
            self.open_vault(Path(folder))

    # -- panels and layout ----------------------------------------------------------------------
    def set_sidebar_visible(self, visible: bool) -> None:
        if not visible:
            window_layout.remember_side_widths(self, self.layout_, self.settings)
        self.layout_.left.setVisible(visible)
        window_layout.give_room(self, self.layout_, self.settings, 0)
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
        right = self.layout_.right
        visible = self.links_panel.isVisibleTo(right) or self.graph.isVisibleTo(right)
        if not visible:
            window_layout.remember_side_widths(self, self.layout_, self.settings)
        right.setVisible(visible)
        window_layout.give_room(self, self.layout_, self.settings, 2)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.session is not None and not self.session.may_close(self.close):
            event.ignore()
            return
        window_layout.save_layout(self, self.layout_, self.settings,
                                  self.actions_.panel_toggles())
        if self.session is not None:
            self.session.live.stop()
        _application().removeEventFilter(self.events)
        event.accept()

    def show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<b>{APP_NAME}</b><br>A personal wiki that compiles the articles "
                          "you read into linked Markdown pages.")
