"""The plain-text page editor stacked with the page view, and the thin notice bar both use."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontDatabase, QPalette, QTextOption
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wiki.vault.editing import Etag


class NoticeBar(QWidget):
    """A non-modal one-line notice with an optional action button and a close button."""

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.action = QPushButton(self)
        self.action.clicked.connect(self.action_clicked)
        close = QPushButton("×", self)
        close.setFlat(True)
        close.setToolTip("Dismiss")
        close.setFixedWidth(28)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.label)
        layout.addWidget(self.action)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, action: str | None = None) -> None:
        self.label.setText(text)
        self.action.setVisible(bool(action))
        if action:
            self.action.setText(action)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class PageEditor(QWidget):
    """Edits one page's Markdown source. Keeps the path and the etag taken when editing
    began, so the page view can save with conflict detection."""

    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: str | None = None
        self.etag: Etag | None = None
        self._saved_text = ""  # what the file holds, as far as we know
        self.bar = NoticeBar(self)
        self.bar.action_clicked.connect(self.reload_requested)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("pageEditor")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.text_edit.setFont(font)
        self.text_edit.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.text_edit.setTabChangesFocus(False)
        self.text_edit.document().setDocumentMargin(12)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.text_edit)

    def begin(self, path: str, text: str, etag: Etag) -> None:
        """Start editing ``path`` with the text and etag just read from disk."""
        self.path, self.etag, self._saved_text = path, etag, text
        self.text_edit.setPlainText(text)
        self.text_edit.document().setModified(False)
        self.text_edit.moveCursor(self.text_edit.textCursor().MoveOperation.Start)
        self.bar.hide()

    def end(self) -> None:
        self.path, self.etag, self._saved_text = None, None, ""
        self.text_edit.clear()
        self.text_edit.document().setModified(False)
        self.bar.hide()

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def is_modified(self) -> bool:
        return self.path is not None and self.text() != self._saved_text

    def mark_saved(self, etag: Etag, text: str | None = None) -> None:
        self.etag = etag
        self._saved_text = self.text() if text is None else text
        self.text_edit.document().setModified(False)
        self.bar.hide()

    def replace_text(self, text: str, etag: Etag) -> None:
        """Load the version on disk, keeping the cursor near where it was."""
        pos = self.text_edit.textCursor().position()
        scroll = self.text_edit.verticalScrollBar().value()
        self.text_edit.setPlainText(text)
        cursor = self.text_edit.textCursor()
        cursor.setPosition(min(pos, len(text)))
        self.text_edit.setTextCursor(cursor)
        self.text_edit.verticalScrollBar().setValue(scroll)
        self.mark_saved(etag)

    def show_changed_on_disk(self) -> None:
        self.bar.show_message("This page changed on disk.", "Reload")
