"""Find in page (Ctrl+F): a bar under the page that highlights every match of what is typed,
steps through them (Enter / F3 next, Shift+Enter / Shift+F3 previous), says "3 of 12", and
closes on Esc. It searches what the page view shows: the rendered page, or the Markdown while
the editor is open. Case does not matter. The text is the page's, already in memory: nothing
is read from disk, and the count stops at ``MAX_MATCHES`` so a huge page cannot stall typing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

if TYPE_CHECKING:
    from ui.views.page_view import PageView

MAX_MATCHES = 1000
ALL_LIGHT, ALL_DARK = "#ffe066", "#7a5d00"
CURRENT_LIGHT, CURRENT_DARK = "#ff9632", "#c25e00"

Target = QTextEdit | QPlainTextEdit


class FindBar(QWidget):
    def __init__(self, view: PageView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.view = view
        self.matches: list[QTextCursor] = []
        self.current = -1
        self._target: Target | None = None
        self._path: str | None = None  # the page the matches are of
        self.edit = QLineEdit(self)
        self.edit.setObjectName("findInPage")
        self.edit.setPlaceholderText("Find in page")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("findCount")
        self.count.setMinimumWidth(90)
        self.previous = self._button("↑", "Previous match (Shift+Enter)", lambda: self.step(-1))
        self.next = self._button("↓", "Next match (Enter)", lambda: self.step(1))
        self.closer = self._button("✕", "Close (Esc)", self.close_bar)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.setSpacing(4)
        row.addWidget(self.edit, 1)
        row.addWidget(self.count)
        row.addWidget(self.previous)
        row.addWidget(self.next)
        row.addWidget(self.closer)
        self.edit.textChanged.connect(lambda _text: self.search())
        self.edit.installEventFilter(self)
        for keys, delta in (("F3", 1), ("Shift+F3", -1)):
            shortcut = QShortcut(QKeySequence(keys), view)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=delta: self.step(d) if self.isVisible() else None)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), view.browser)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(lambda: self.close_bar() if self.isVisible() else None)
        view.page_loaded.connect(lambda _path: self._page_changed())
        view.editing_started.connect(lambda _path: self._page_changed())
        self.hide()

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- opening and closing ------------------------------------------------------------------
    def open_bar(self) -> None:
        """Ctrl+F: show the bar with the page's selected text (if any) and select it."""
        selected = self._current_target().textCursor().selectedText().strip()
        if selected and "\u2029" not in selected:
            self.edit.setText(selected)
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
        self.search()

    def close_bar(self) -> None:
        """Esc: hide the bar, drop the highlights, back to reading where the match was."""
        target = self._target
        self.hide()
        self._clear()
        if target is not None and shiboken6.isValid(target):
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self.edit and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                back = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.step(-1 if back else 1)
                return True
        return False

    # -- finding ------------------------------------------------------------------------------
    def _current_target(self) -> Target:
        view = self.view
        return view.editor.text_edit if view.is_editing() else view.browser

    def search(self, keep: int = 0) -> None:
        """Find every match of the text typed; select the first one at or after the reader's
        place (or the ``keep``-th when the page was only shown again)."""
        self._clear()
        target = self._target = self._current_target()
        self._path = self.view.current_path
        needle = self.edit.text()
        if not needle:
            self.count.setText("")
            return
        doc = target.document()
        cursor = QTextCursor(doc)
        while len(self.matches) < MAX_MATCHES:
            cursor = doc.find(needle, cursor)
            if cursor.isNull():
                break
            self.matches.append(QTextCursor(cursor))
        if not self.matches:
            self.count.setText("No matches")
            self.count.setStyleSheet("color: #c2410c;")
            return
        self.count.setStyleSheet("")
        if keep:
            self.current = min(keep, len(self.matches) - 1)
        else:
            top = target.cursorForPosition(target.viewport().rect().topLeft()).position()
            self.current = next((i for i, m in enumerate(self.matches)
                                 if m.selectionStart() >= top), 0)
        self._show_current()

    def step(self, delta: int) -> None:
        if not self.isVisible():
            return
        if not self.matches or self._target is not self._current_target():
            self.search()
            if not self.matches:
                return
            if delta > 0:
                return  # the first match after the reader's place is shown already
        self.current = (self.current + delta) % len(self.matches)
        self._show_current()

    def _show_current(self) -> None:
        target = self._target
        if target is None:
            return
        dark = target.palette().color(target.backgroundRole()).lightness() < 128
        selections = []
        for i, match in enumerate(self.matches):
            chosen = QTextEdit.ExtraSelection()
            chosen.cursor = match
            colour = (CURRENT_DARK if dark else CURRENT_LIGHT) if i == self.current \
                else (ALL_DARK if dark else ALL_LIGHT)
            chosen.format.setBackground(QColor(colour))
            selections.append(chosen)
        target.setExtraSelections(selections)
        place = QTextCursor(self.matches[self.current])
        place.setPosition(place.selectionStart())
        target.setTextCursor(place)
        target.ensureCursorVisible()
        more = "+" if len(self.matches) >= MAX_MATCHES else ""
        self.count.setText(f"{self.current + 1} of {len(self.matches)}{more}")

    def _clear(self) -> None:
        if self._target is not None and shiboken6.isValid(self._target):
            self._target.setExtraSelections([])
        self.matches = []
        self.current = -1

    def _page_changed(self) -> None:
        """The page was shown again (another page, a reload, the editor): find again."""
        if self.isVisible():
            same = self.view.current_path == self._path
            self.search(keep=max(0, self.current) if same else 0)
        else:
            self._clear()

    def match_count(self) -> int:
        return len(self.matches)
