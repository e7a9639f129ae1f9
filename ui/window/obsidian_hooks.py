"""The window's Obsidian-style page management: F2 rename, delete with undo, the tags pane.

``install(window)`` adds the actions to the Edit and View menus, the tags pane as a dock on the
left and an Undo button in the status bar after a delete; ``bind(ctx)`` is called when a vault
opens. Kept apart from ``main_window`` so the window stays a layout of parts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QPushButton

from ui.operations.page_ops import PageOps
from ui.views.tags_pane import TagsPane

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.window.main_window import MainWindow
    from wiki.vault.trash import Deleted


class ObsidianFeatures:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.tags = TagsPane()
        self.tags.page_requested.connect(window.navigate)
        self.dock = QDockWidget("Tags", window)
        self.dock.setObjectName("tagsDock")
        self.dock.setWidget(self.tags)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.dock.hide()
        self.ops = PageOps(window, navigate=window.navigate,
                           message=lambda text: window.status.showMessage(text, 8000),
                           deleted_changed=self._deleted_changed)
        self.rename_action = self._action("Rename Page…", "F2", self.rename)
        self.delete_action = self._action("Delete Page…", "Ctrl+Shift+Delete", self.delete)
        self.undo_action = self._action("Undo Delete", "Ctrl+Alt+Z", self.ops.undo_delete)
        self.undo_action.setEnabled(False)
        self.tags_action = self.dock.toggleViewAction()
        self.tags_action.setText("Tags Pane")
        self.tags_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        window.addAction(self.tags_action)
        self.undo_button = QPushButton("Undo delete")
        self.undo_button.setFlat(True)
        self.undo_button.clicked.connect(self.ops.undo_delete)
        self.undo_button.hide()
        window.status.addPermanentWidget(self.undo_button)
        window.tasks.vault_changed.connect(self.tags.on_vault_changed)
        for item in window.menuBar().actions():
            menu = item.menu()
            if item.text() == "&View" and isinstance(menu, QMenu):
                menu.addAction(self.tags_action)

    def _action(self, text: str, key: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def bind(self, ctx: AppContext) -> None:
        """A vault opened: the pane shows its tags; the Edit menu gets the page actions."""
        self.ops.ctx = ctx
        self.tags.bind(ctx)
        menu: QMenu = getattr(self.window, "edit_menu")  # noqa: B009 (set by build_actions)
        if self.rename_action not in menu.actions():
            menu.addSeparator()
            menu.addActions([self.rename_action, self.delete_action, self.undo_action])

    def _current(self) -> str | None:
        view = self.window.page_view
        return view.current_path if view is not None else None

    def rename(self) -> None:
        self.ops.rename(self._current())

    def delete(self) -> None:
        self.ops.delete(self._current())

    def _deleted_changed(self, deleted: Deleted | None) -> None:
        self.undo_action.setEnabled(deleted is not None)
        self.undo_button.setVisible(deleted is not None)
        if deleted is not None:
            self.undo_button.setText(f"Undo delete of {deleted.path.rpartition('/')[2][:-3]}")


def install(window: MainWindow) -> ObsidianFeatures:
    return ObsidianFeatures(window)
