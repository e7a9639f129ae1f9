"""Live updates: run the engine's ``VaultWatcher`` for the open vault and hand what it finds to
the UI thread, where it is broadcast like any other change (``Tasks.vault_changed``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from ui.tasks import Tasks
from wiki.core.model import ChangeSummary

COMPILE_ERROR = "cannot compile "  # how the watcher words a raw file it could not compile

if TYPE_CHECKING:
    from wiki.vault.facade import Vault
    from wiki.watch.watcher import VaultWatcher


class LiveUpdates(QObject):
    """Owns at most one watcher. Watcher callbacks arrive on engine threads; the signals below
    are emitted there and delivered, queued, on the UI thread."""

    message = Signal(str)
    problem = Signal(str)  # a raw file the watcher's compile refused or failed on
    _changed = Signal(object)
    _said = Signal(str)

    def __init__(self, tasks: Tasks, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.watcher: VaultWatcher | None = None
        self._changed.connect(self._on_changed)
        self._said.connect(self._on_said)

    def start(self, vault: Vault) -> str | None:
        """Watch ``vault``; returns a one-line reason when live updates are not available."""
        self.stop()
        try:
            from wiki.watch.watcher import VaultWatcher, WatchError
        except ImportError:
            return "live updates are not available: use View > Refresh (F5)"
        try:
            watcher = VaultWatcher(vault, self.tasks.worker, on_change=self._changed.emit,
                                   on_message=self._said.emit)
            watcher.start()
        except (WatchError, OSError) as exc:
            return f"not watching the vault for changes: {exc}"
        self.watcher = watcher
        return None

    def stop(self) -> None:
        watcher, self.watcher = self.watcher, None
        if watcher is not None:
            watcher.stop()

    @property
    def polling(self) -> bool:
        return bool(self.watcher is not None and self.watcher.polling)

    @Slot(str)
    def _on_said(self, text: str) -> None:
        """The watcher's lines; its compile errors ("cannot compile raw/x.docx: …") are
        problems the user must see, the rest is news."""
        (self.problem if text.startswith(COMPILE_ERROR) else self.message).emit(text)

    @Slot(object)
    def _on_changed(self, summary: ChangeSummary) -> None:
        if self.watcher is not None and not summary.is_empty():
            count = len(summary.pages_changed)
            if count:
                self.message.emit(f"Picked up {count} changed page{'s' if count > 1 else ''}"
                                  " from disk")
            self.tasks.vault_changed.emit(summary)
