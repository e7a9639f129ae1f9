"""View > Graph of the Vault (Ctrl+Alt+G), hooked into the window.

The graph's window (``ui.views.vault_graph``, which loads numpy) is made the first time it is
asked for, so the app starts as fast as before; it follows each vault the window opens, and the
vault's changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from ui.views.vault_graph import VaultGraph
    from ui.window.main_window import MainWindow
    from wiki.core.model import ChangeSummary


class GraphHooks:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._view: VaultGraph | None = None
        self.view_action = QAction("Graph of the Vault", window)
        self.view_action.setShortcut(QKeySequence("Ctrl+Alt+G"))
        self.view_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.view_action.setToolTip("Every page and link of the vault (Ctrl+Alt+G)")
        self.view_action.triggered.connect(lambda _checked=False: self.show())
        window.addAction(self.view_action)
        for item in window.menuBar().actions():
            menu = item.menu()
            if item.text() == "&View" and isinstance(menu, QMenu):
                menu.addAction(self.view_action)
        window.vault_opened.connect(self._vault_opened)
        window.tasks.vault_changed.connect(self._vault_changed)

    def view(self) -> VaultGraph:
        """The graph's window (made on first use)."""
        if self._view is None:
            from ui.views.vault_graph import VaultGraph

            self._view = VaultGraph(self.window)
            self._view.page_requested.connect(self.window.navigate)
            self._view.bind(self.window.ctx)
        return self._view

    def show(self) -> None:
        view = self.view()
        if view.ctx is None and self.window.ctx is not None:
            view.bind(self.window.ctx)
        view.show()
        view.raise_()
        view.activateWindow()

    def _vault_opened(self, _root: str) -> None:
        if self._view is not None:
            self._view.bind(self.window.ctx)

    def _vault_changed(self, summary: ChangeSummary) -> None:
        if self._view is not None:
            self._view.on_vault_changed(summary)


def install(window: MainWindow) -> GraphHooks:
    return GraphHooks(window)
