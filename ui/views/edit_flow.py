"""Editing one page: Ctrl+E in and out, saving off the UI thread, and the ways out of a save
that cannot simply be written (the file changed on disk, or was deleted).

The page view owns an ``EditFlow`` and its ``PageEditor``; the flow reads and writes through
``ui.operations.pages`` and tells the view what happened through its signals. A save never
blocks typing: it runs on the engine worker, and whatever was waiting for it (leaving the
editor, another page, closing the window) continues once it is written.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from ui.context import AppContext
from ui.operations import pages
from ui.views.conflict_dialog import CANCEL, KEEP_MINE, SAVE_COPY, TAKE_THEIRS, ConflictDialog
from ui.views.editor import PageEditor
from wiki.vault.editing import EditError, current_etag, page_file

Button = QMessageBox.StandardButton
Then = Callable[[], object] | None


class EditFlow(QObject):
    status = Signal(str)
    started = Signal(str)  # the editor shows this page's source
    saved = Signal(str)
    moved = Signal(str)  # the page was saved under a new name (the editor now edits it)

    def __init__(self, ctx: AppContext, editor: PageEditor, host: QWidget, *,
                 show_editor: Callable[[bool], None]) -> None:
        super().__init__(host)
        self.ctx = ctx
        self.editor = editor
        self.host = host
        self._show_editor = show_editor
        self._key = f"edit-{id(self)}"
        self.saving = False
        self._wanted: str | None = None
        self.dialog: QWidget | None = None  # the conflict or deleted-page question on screen
        editor.reload_requested.connect(self.reload_from_disk)

    # -- in and out -----------------------------------------------------------------------------
    def begin(self, path: str) -> None:
        """Read ``path`` off the UI thread, then show it in the editor."""
        self._wanted = path
        pages.load_for_edit(self.ctx, self._key, path,
                            on_done=lambda loaded: self._loaded(path, loaded),
                            on_error=self.status.emit)

    def _loaded(self, path: str, loaded: pages.Loaded) -> None:
        if not shiboken6.isValid(self.host) or self._wanted != path or self.editor.path:
            return  # another page was opened meanwhile, or Ctrl+E was pressed twice
        self.editor.begin(path, loaded.text, loaded.etag, loaded.stamp)
        self._show_editor(True)
        self.editor.text_edit.setFocus()
        self.status.emit("Editing: Ctrl+S saves, Ctrl+E shows the page")
        self.started.emit(path)

    def leave(self) -> None:
        self._wanted = None  # a read still in flight does not reopen the editor
        self.editor.end()
        self._show_editor(False)

    def has_unsaved_changes(self) -> bool:
        return self.editor.is_modified()

    # -- saving ---------------------------------------------------------------------------------
    def save(self, then: Then = None) -> None:
        """Ctrl+S: write the editor's text on the worker; ``then`` runs once it is on disk."""
        path = self.editor.path
        if path is None or self.saving:
            return
        self._write(path, self.editor.text(), self.editor.etag, then)

    def _write(self, path: str, text: str, expected, then: Then, *, as_new: bool = False) -> None:
        self.saving = True
        stamp = None if as_new else self.editor.stamp
        pages.save_page(self.ctx, path, text, expected, stamp=stamp,
                        on_done=lambda outcome: self._written(outcome, text, then),
                        on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.saving = False
        self.status.emit(message)

    def _written(self, outcome: pages.SaveOutcome, text: str, then: Then) -> None:
        self.saving = False
        if not shiboken6.isValid(self.host):
            return
        if outcome.status == "saved":
            if outcome.path != self.editor.path:  # saved under a new name
                self.editor.path = outcome.path
                self.moved.emit(outcome.path)
            self.editor.mark_saved(outcome.etag, text)
            self.status.emit(f"Saved {outcome.path}")
            self.saved.emit(outcome.path)
            if then is not None:
                then()
        elif outcome.status == "conflict" and outcome.theirs is not None:
            self._ask_conflict(outcome.theirs, then)
        elif outcome.status == "deleted":
            self._ask_deleted(then)

    # -- a file changed underneath ----------------------------------------------------------------
    def _ask_conflict(self, theirs: pages.Loaded, then: Then) -> None:
        path = self.editor.path
        if path is None:
            return
        mine = self.editor.text()
        dialog = ConflictDialog(path, mine, theirs.text, self.host)
        self.dialog = dialog

        def chosen(choice: str) -> None:
            self.dialog = None
            dialog.deleteLater()
            if self.editor.path != path:
                return
            if choice == KEEP_MINE:
                self._write(path, mine, theirs.etag, then)
            elif choice == TAKE_THEIRS:
                self.editor.replace_text(theirs.text, theirs.etag, theirs.stamp)
                self.status.emit(f"Loaded the version of {path} on disk; your edits are gone")
                if then is not None:
                    then()
            elif choice == SAVE_COPY:
                def copied(rel: str) -> None:
                    self.editor.replace_text(theirs.text, theirs.etag, theirs.stamp)
                    self.status.emit(f"Your version was saved as {rel}; {path} shows the "
                                     "version on disk")
                    if then is not None:
                        then()

                pages.save_copy(self.ctx, path, mine, on_done=copied, on_error=self.status.emit)
            else:
                assert choice == CANCEL
                self.status.emit("Not saved: the page changed on disk")

        dialog.chosen.connect(chosen)
        dialog.open()

    def _ask_deleted(self, then: Then) -> None:
        path = self.editor.path
        if path is None:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Page deleted on disk",
                          f"{path} was deleted or moved since you began editing.",
                          Button.NoButton, self.host)
        box.setInformativeText("Save it again, as it is in the editor, or under a new name?")
        box.addButton(Button.Save).setText("Save again")
        box.addButton(Button.SaveAll).setText("Save as…")
        box.addButton(Button.Cancel).setText("Cancel")
        box.setDefaultButton(Button.Save)
        self.dialog = box
        mine = self.editor.text()

        def answered(result: int) -> None:
            self.dialog = None
            box.deleteLater()
            if self.editor.path != path:
                return
            button = box.clickedButton()
            choice = box.standardButton(button) if button is not None else Button.Cancel
            if choice == Button.Save:
                self._write(path, mine, None, then)
            elif choice == Button.SaveAll:
                self._save_as(path, mine, then)
            else:
                self.status.emit(f"Not saved: {path} no longer exists")

        box.finished.connect(answered)
        box.open()

    def _save_as(self, path: str, text: str, then: Then) -> None:
        folder, _, name = path.rpartition("/")
        new_name, ok = QInputDialog.getText(self.host, "Save as", "Page name:",
                                            QLineEdit.EchoMode.Normal, name.removesuffix(".md"))
        if not ok or not new_name.strip():
            self.status.emit("Not saved")
            return
        rel = pages.new_page_in(folder, new_name)
        try:
            page_file(self.ctx.vault.root, rel)
        except EditError as exc:
            self.status.emit(f"Not saved: {exc}")
            return
        self._write(rel, text, None, then, as_new=True)

    # -- the version on disk --------------------------------------------------------------------
    def reload_from_disk(self) -> None:
        path = self.editor.path
        if path is None:
            return

        def loaded(result: pages.Loaded) -> None:
            if shiboken6.isValid(self.host) and self.editor.path == path:
                self.editor.replace_text(result.text, result.etag, result.stamp)

        pages.load_for_edit(self.ctx, self._key, path, on_done=loaded, on_error=self.status.emit)

    def check_disk(self) -> None:
        """After a change on disk: if the file no longer is what the editor began from, say so
        (the comparison reads the file off the UI thread)."""
        path = self.editor.path
        if path is None:
            return

        def disk_etag():
            try:
                return current_etag(self.ctx.vault.root / path) or "gone"
            except EditError:
                return None

        def compare(disk) -> None:
            if not shiboken6.isValid(self.host) or self.editor.path != path or self.saving:
                return
            if disk == "gone":
                self.editor.show_deleted_on_disk()
            elif disk is not None and disk != self.editor.etag:
                self.editor.show_changed_on_disk()

        self.ctx.tasks.query(self._key + "-etag", disk_etag, on_done=compare)
