"""The warnings the engine reported (a damaged note, an empty page, a file it could not
compile), kept in a list the user can open from the status bar: the status line says what
happened, and one empty note never hides it.

``WarningsButton`` sits in the status bar ("⚠ 3", hidden while there are none); a click
opens ``WarningsDialog``, a non-modal list with Copy and Clear.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

MAX_WARNINGS = 2000  # the oldest go first past this: a vault of broken notes stays bounded


class WarningsDialog(QDialog):
    """Every warning so far, newest last; Copy puts them on the clipboard, Clear empties it."""

    cleared = Signal()

    def __init__(self, warnings: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Warnings")
        self.resize(640, 360)
        self.summary = QLabel()
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.clear_button = buttons.addButton("Clear", QDialogButtonBox.ButtonRole.ResetRole)
        buttons.rejected.connect(self.close)
        self.copy_button.clicked.connect(self._copy)
        self.clear_button.clicked.connect(self._clear)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.set_warnings(warnings)

    def set_warnings(self, warnings: list[str]) -> None:
        self.list.clear()
        self.list.addItems(warnings)
        self.list.scrollToBottom()
        count = len(warnings)
        self.summary.setText("No warnings." if not count else
                             f"{count:,} warning{'' if count == 1 else 's'} since the vault "
                             "opened (newest last):")

    def _copy(self) -> None:
        lines = [self.list.item(i).text() for i in range(self.list.count())]
        QGuiApplication.clipboard().setText("\n".join(lines))

    def _clear(self) -> None:
        self.set_warnings([])
        self.cleared.emit()


class WarningsButton(QToolButton):
    """"⚠ N" in the status bar while there are warnings; a click lists them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.warnings: list[str] = []
        self.dialog: WarningsDialog | None = None
        self.setAutoRaise(True)
        self.setToolTip("Warnings: click to see them")
        self.clicked.connect(self.open_list)
        self.hide()

    def add(self, messages: list[str]) -> None:
        fresh = [m for m in messages if m]
        if not fresh:
            return
        self.warnings.extend(fresh)
        del self.warnings[:-MAX_WARNINGS]
        self._update()

    def clear(self) -> None:
        self.warnings.clear()
        self._update()

    def open_list(self) -> WarningsDialog:
        if self.dialog is None:
            self.dialog = WarningsDialog(self.warnings, self.window())
            self.dialog.cleared.connect(self.clear)
        else:
            self.dialog.set_warnings(self.warnings)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def _update(self) -> None:
        count = len(self.warnings)
        self.setText(f"⚠ {count:,}")
        self.setToolTip(f"{count:,} warning{'' if count == 1 else 's'}: click to see them")
        self.setVisible(bool(count))
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.set_warnings(self.warnings)
