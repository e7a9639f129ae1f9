"""Edit > Settings… (Ctrl+,): theme, the page view's font and size, reopening the last page, and
the folders the open vault ignores.

The app's settings apply as soon as they change (``changed`` carries the new
``Preferences``); the folders apply with Apply or Close, since they make the vault re-read its
pages (``folders_requested``), and the result or the reason they were refused shows under them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.preferences import MAX_SIZE, MIN_SIZE, THEME_LABELS, THEMES, Preferences


def default_page_size() -> int:
    size = QApplication.font().pointSize()
    return size if MIN_SIZE <= size <= MAX_SIZE else 10


class SettingsDialog(QDialog):
    changed = Signal(object)  # Preferences: applied live by whoever listens
    folders_requested = Signal(list)  # the folder lines typed: the vault should ignore these

    def __init__(self, prefs: Preferences, parent: QWidget | None = None, *,
                 vault_root: Path | None = None, ignored: tuple[str, ...] = (),
                 readonly_reason: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(460)
        self.prefs = prefs
        self.vault_root = vault_root
        self._applied_folders = list(ignored)
        self._closing = False

        self.theme = QComboBox()
        for name in THEMES:
            self.theme.addItem(THEME_LABELS[name], name)
        self.theme.setCurrentIndex(THEMES.index(prefs.theme))
        self.font_family = QFontComboBox()
        self.font_family.setCurrentFont(QFont(prefs.page_font) if prefs.page_font
                                        else QApplication.font())
        self.font_size = QSpinBox()
        self.font_size.setRange(MIN_SIZE, MAX_SIZE)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(prefs.page_size or default_page_size())
        self.reopen = QCheckBox("Reopen the last page of each vault")
        self.reopen.setChecked(prefs.reopen_last_page)

        look = QGroupBox("Appearance")
        form = QFormLayout(look)
        form.addRow("Theme:", self.theme)
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_family, 1)
        font_row.addWidget(self.font_size)
        form.addRow("Page font:", font_row)
        form.addRow("", self.reopen)

        vault_box = QGroupBox("This vault")
        column = QVBoxLayout(vault_box)
        intro = QLabel("Folders to ignore, one per line (relative to the vault). Their pages "
                       "are not listed, linked, searched or put in index.md; the files stay.")
        intro.setWordWrap(True)
        self.folders = QPlainTextEdit("\n".join(ignored))
        self.folders.setPlaceholderText("templates\narchive/2019")
        self.folders.setTabChangesFocus(True)
        self.folders.setFixedHeight(96)
        self.add_folder = QPushButton("Add Folder…")
        self.apply_folders = QPushButton("Apply")
        for button in (self.add_folder, self.apply_folders):  # Enter in a field must not
            button.setAutoDefault(False)  # open a file dialog or re-read the vault
        self.folder_status = QLabel("")
        self.folder_status.setWordWrap(True)
        self.folder_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.add_folder)
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.apply_folders)
        column.addWidget(intro)
        column.addWidget(self.folders)
        column.addLayout(buttons_row)
        column.addWidget(self.folder_status)
        if vault_root is None or readonly_reason:
            for widget in (self.folders, self.add_folder, self.apply_folders):
                widget.setEnabled(False)
            self.folder_status.setText("No vault is open." if vault_root is None else
                                       f"Read-only: {readonly_reason}.")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(look)
        layout.addWidget(vault_box)
        layout.addWidget(self.buttons)

        self.theme.currentIndexChanged.connect(lambda _i: self._emit())
        self.font_family.currentFontChanged.connect(lambda _f: self._emit())
        self.font_size.valueChanged.connect(lambda _v: self._emit())
        self.reopen.toggled.connect(lambda _on: self._emit())
        self.add_folder.clicked.connect(self._choose_folder)
        self.apply_folders.clicked.connect(self.request_folders)
        self.buttons.rejected.connect(self._close_clicked)

    # -- the app's settings ---------------------------------------------------------------------
    def _emit(self) -> None:
        family = self.font_family.currentFont().family()
        size = self.font_size.value()
        self.prefs = replace(
            self.prefs, theme=str(self.theme.currentData()),
            page_font="" if family == QApplication.font().family() else family,
            page_size=0 if size == default_page_size() and not self.prefs.page_size else size,
            reopen_last_page=self.reopen.isChecked())
        self.changed.emit(self.prefs)

    # -- the vault's folders --------------------------------------------------------------------
    def folder_lines(self) -> list[str]:
        return [line.strip() for line in self.folders.toPlainText().splitlines()
                if line.strip()]

    def folders_dirty(self) -> bool:
        return self.folders.isEnabled() and self.folder_lines() != self._applied_folders

    def request_folders(self) -> None:
        self.apply_folders.setEnabled(False)
        self.folder_status.setText("Applying…")
        self.folders_requested.emit(self.folder_lines())

    def folders_applied(self, folders: tuple[str, ...], message: str) -> None:
        """The vault took them (``folders`` as it keeps them)."""
        self._applied_folders = list(folders)
        self.folders.setPlainText("\n".join(folders))
        self.apply_folders.setEnabled(True)
        self.folder_status.setStyleSheet("")
        self.folder_status.setText(message)
        if self._closing:
            self.accept()

    def folders_refused(self, message: str) -> None:
        """The vault refused them: nothing changed; the dialog stays open to fix the line."""
        self._closing = False
        self.apply_folders.setEnabled(True)
        self.folder_status.setStyleSheet("color: #d1242f;")
        self.folder_status.setText(f"Not applied: {message}")

    def _choose_folder(self) -> None:
        if self.vault_root is None:
            return
        folder = QFileDialog.getExistingDirectory(self, "Folder to ignore", str(self.vault_root))
        if not folder:
            return
        try:
            rel = Path(folder).resolve().relative_to(self.vault_root.resolve()).as_posix()
        except ValueError:
            self.folders_refused(f"{folder} is not inside the vault")
            return
        lines = self.folder_lines()
        if rel not in lines:
            self.folders.setPlainText("\n".join([*lines, rel]))

    def _close_clicked(self) -> None:
        if self.folders_dirty():  # typed but not applied: apply, close once it is taken
            self._closing = True
            self.request_folders()
            return
        self.accept()
