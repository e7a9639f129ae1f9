"""The status bar: vault path, page count, index state and a progress bar for engine work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from ui.tasks import Tasks
from ui.window.warnings_list import WarningsButton


def index_report(pages: int, seconds: float, warnings: int = 0) -> str:
    """"13,415 pages indexed in 12 s", and how many warnings the list holds."""
    took = f"{seconds:.1f}" if seconds < 10 else f"{seconds:,.0f}"
    line = f"{pages:,} page{'' if pages == 1 else 's'} indexed in {took} s"
    if warnings:
        line += f"; {warnings:,} warning{'' if warnings == 1 else 's'} (click ⚠ to see them)"
    return line


class StatusBar(QStatusBar):
    """Permanent widgets on the right; transient messages on the left."""

    def __init__(self, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = "idle"
        self._activity = ""
        self.vault_label = QLabel("")
        self.vault_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel("")
        self.state_label = QLabel("idle")
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(180)
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        for widget in (self.vault_label, self.count_label, self.state_label):
            widget.setContentsMargins(6, 0, 6, 0)
        self.warnings = WarningsButton(self)
        self.addPermanentWidget(self.warnings)
        self.addPermanentWidget(self.vault_label)
        self.addPermanentWidget(self.count_label)
        self.addPermanentWidget(self.progress_bar)
        self.addPermanentWidget(self.state_label)
        tasks.progress.connect(self.on_progress)
        tasks.busy_changed.connect(self.on_busy)
        tasks.error.connect(self.show_error)

    # -- what the window tells us ---------------------------------------------------------------
    def set_vault(self, path: str) -> None:
        self.vault_label.setText(path)
        self.vault_label.setToolTip(path)

    def set_page_count(self, count: int) -> None:
        self.count_label.setText(f"{count:,} page" + ("" if count == 1 else "s"))

    def set_activity(self, activity: str) -> None:
        """Name the kind of work the next busy period is (``indexing``, ``compiling``…)."""
        self._activity = activity
        if self._state != "idle":
            self._set_state(activity)

    @property
    def state(self) -> str:
        return self._state

    # -- engine signals -------------------------------------------------------------------------
    def on_busy(self, busy: bool) -> None:
        if busy:
            self._set_state(self._activity or "working")
            self.progress_bar.setRange(0, 0)  # busy indicator until the first progress report
            self.progress_bar.show()
        else:
            self._activity = ""
            self._set_state("idle")
            self.progress_bar.hide()

    def on_progress(self, done: int, total: int, message: str) -> None:
        self.progress_bar.show()
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
        else:
            self.progress_bar.setRange(0, 0)
        if message:
            self.showMessage(message, 3000)

    def show_error(self, message: str) -> None:
        """An error the user must see now (a failed save, an unsupported file): shown, and
        kept in the warnings list."""
        self.showMessage(f"⚠ {message}", 10000)
        self.warnings.add([message])

    def add_warnings(self, messages: list[str]) -> None:
        """Warnings worth keeping but not worth the status line (a damaged note, an empty
        page): the list counts them, and a click on "⚠ N" opens it."""
        self.warnings.add(list(messages))

    def _set_state(self, state: str) -> None:
        self._state = state
        self.state_label.setText(state)
