"""Rename (F2) and delete (with undo) from the app: plan and write on the engine worker, ask
on the UI thread, then broadcast what changed like every other write."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from wiki.vault.editing import EditError
from wiki.vault.rename import apply_rename, plan_rename
from wiki.vault.trash import Deleted, delete_page, restore

if TYPE_CHECKING:
    from ui.context import AppContext

Button = QMessageBox.StandardButton


class PageOps:
    """``rename``/``delete``/``undo_delete`` for the page a window shows. ``navigate(path)``
    opens a page; ``message(text)`` puts a line in the status bar; ``deleted_changed`` is
    called with the last deletion (or None) so the window can offer Undo."""

    def __init__(self, parent: QWidget, navigate: Callable[[str], object],
                 message: Callable[[str], None],
                 deleted_changed: Callable[[Deleted | None], None]) -> None:
        self.parent = parent
        self.navigate = navigate
        self.message = message
        self.deleted_changed = deleted_changed
        self.ctx: AppContext | None = None
        self.last_deleted: Deleted | None = None

    def _writable(self) -> bool:
        if self.ctx is None:
            return False
        if self.ctx.vault.readonly:
            self.message("This vault is open read-only (another process writes it)")
            return False
        return True

    # -- rename -----------------------------------------------------------------------------
    def rename(self, path: str | None, new_name: str | None = None) -> None:
        if path is None or not self._writable():
            return
        assert self.ctx is not None
        if new_name is None:
            current = path.rpartition("/")[2][:-3]
            new_name, ok = QInputDialog.getText(
                self.parent, "Rename page", "New name (or folder/name to move it):",
                QLineEdit.EchoMode.Normal, current)
            if not ok or not new_name.strip() or new_name.strip() == current:
                return
        vault = self.ctx.vault
        self.ctx.tasks.run(plan_rename, vault, path, new_name,
                           on_done=self._confirm_rename,
                           on_error=lambda m: self.message(f"Not renamed: {m}"))

    def _confirm_rename(self, plan) -> None:
        assert self.ctx is not None
        if plan.files:
            answer = QMessageBox.question(
                self.parent, "Rename page", plan.summary() + "\n\nRename and update them?",
                Button.Yes | Button.No, Button.Yes)
            if answer != Button.Yes:
                self.message("Not renamed")
                return
        self.ctx.tasks.run(apply_rename, self.ctx.vault, plan,
                           on_done=lambda _s: self._renamed(plan),
                           on_error=lambda m: self.message(f"Not renamed: {m}"))

    def _renamed(self, plan) -> None:
        self.message(f"Renamed to {plan.new}; {plan.links} links updated in {plan.files} files")
        self.navigate(plan.new)

    # -- delete -----------------------------------------------------------------------------
    def delete(self, path: str | None, *, ask: bool = True) -> None:
        if path is None or not self._writable():
            return
        assert self.ctx is not None
        if ask:
            answer = QMessageBox.question(
                self.parent, "Delete page", f"Move {path} to the trash?",
                Button.Yes | Button.No, Button.Yes)
            if answer != Button.Yes:
                return
        self.ctx.tasks.run(delete_page, self.ctx.vault, path,
                           on_done=self._deleted,
                           on_error=lambda m: self.message(f"Not deleted: {m}"))

    def _deleted(self, result) -> None:
        deleted, summary = result
        assert self.ctx is not None
        self.ctx.tasks.vault_changed.emit(summary)  # the result is a pair: broadcast it here
        self.last_deleted = deleted
        self.deleted_changed(deleted)
        self.message(f"Deleted {deleted.path} (moved to the {deleted.where})")

    def undo_delete(self) -> None:
        deleted = self.last_deleted
        if deleted is None or not self._writable():
            return
        assert self.ctx is not None

        def done(_summary) -> None:
            self.last_deleted = None
            self.deleted_changed(None)
            self.message(f"Restored {deleted.path}")
            self.navigate(deleted.path)

        def failed(message: str) -> None:
            self.message(f"Not restored: {message}")

        self.ctx.tasks.run(restore, self.ctx.vault, deleted, on_done=done, on_error=failed)


__all__ = ["PageOps", "EditError"]
