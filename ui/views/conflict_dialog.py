"""A save conflict: your version and the one on disk side by side, and three ways out.

Keep mine writes the editor's text over the file (you have seen what it replaces); take theirs
loads the file into the editor; save mine as a copy writes your text to a new page next to it
and loads theirs. Nothing is dropped without the user seeing it first.
"""

from __future__ import annotations

import difflib
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

KEEP_MINE, TAKE_THEIRS, SAVE_COPY, CANCEL = "keep-mine", "take-theirs", "save-copy", "cancel"
MAX_DIFF_LINES = 4000  # beyond this, only the first lines are compared on screen

LIGHT = {"del": "#ffebe9", "ins": "#dafbe1", "chg": "#fff8c5"}
DARK = {"del": "#4b1f24", "ins": "#1c3d27", "chg": "#4a3f0b"}


def side_by_side(mine: str, theirs: str, dark: bool = False) -> tuple[str, str, int]:
    """HTML for the two columns, changed lines marked, and the number of lines that differ."""
    colours = DARK if dark else LIGHT
    a = mine.splitlines()[:MAX_DIFF_LINES]
    b = theirs.splitlines()[:MAX_DIFF_LINES]
    left: list[str] = []
    right: list[str] = []
    changed = 0

    def row(out: list[str], line: str | None, kind: str) -> None:
        if line is None:
            out.append("<div class='pad'>&nbsp;</div>")
            return
        style = f" style='background-color:{colours[kind]}'" if kind in colours else ""
        out.append(f"<div{style}>{html.escape(line) or '&nbsp;'}</div>")

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for line in a[i1:i2]:
                row(left, line, "")
                row(right, line, "")
            continue
        ours, other = a[i1:i2], b[j1:j2]
        changed += max(len(ours), len(other))
        kind_left = "chg" if op == "replace" else "del"
        kind_right = "chg" if op == "replace" else "ins"
        for n in range(max(len(ours), len(other))):
            row(left, ours[n] if n < len(ours) else None, kind_left)
            row(right, other[n] if n < len(other) else None, kind_right)
    wrap = "<div style='font-family: monospace; white-space: pre-wrap'>{}</div>"
    return wrap.format("".join(left)), wrap.format("".join(right)), changed


class ConflictDialog(QDialog):
    """Emits ``chosen(choice)`` with one of the constants above, then closes."""

    chosen = Signal(str)

    def __init__(self, path: str, mine: str, theirs: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Page changed on disk")
        self.setModal(True)
        self.resize(980, 620)
        self.choice = CANCEL
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        left_html, right_html, changed = side_by_side(mine, theirs, dark)
        self.summary = QLabel(
            f"<b>{html.escape(path)}</b> changed on disk since you began editing. "
            f"{changed} line{'' if changed == 1 else 's'} differ. Choose what to keep.")
        self.summary.setWordWrap(True)
        self.mine_view = self._column(left_html)
        self.theirs_view = self._column(right_html)
        for view, other in ((self.mine_view, self.theirs_view),
                            (self.theirs_view, self.mine_view)):
            view.verticalScrollBar().valueChanged.connect(other.verticalScrollBar().setValue)
        columns = QHBoxLayout()
        for title, view in (("Your version (in the editor)", self.mine_view),
                            ("On disk now", self.theirs_view)):
            box = QVBoxLayout()
            box.addWidget(QLabel(f"<b>{title}</b>"))
            box.addWidget(view, 1)
            columns.addLayout(box, 1)
        buttons = QDialogButtonBox(self)
        self.buttons: dict[str, QPushButton] = {}
        for choice, label, role, tip in (
                (KEEP_MINE, "Keep mine", QDialogButtonBox.ButtonRole.AcceptRole,
                 "Save your version over the one on disk"),
                (TAKE_THEIRS, "Take theirs", QDialogButtonBox.ButtonRole.DestructiveRole,
                 "Discard your edits and load the version on disk"),
                (SAVE_COPY, "Save mine as a copy", QDialogButtonBox.ButtonRole.ActionRole,
                 "Save your version as a new page next to this one, then load the one on disk"),
                (CANCEL, "Cancel", QDialogButtonBox.ButtonRole.RejectRole,
                 "Keep editing; nothing is saved")):
            button = buttons.addButton(label, role)
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            self.buttons[choice] = button
        self.buttons[CANCEL].setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(columns, 1)
        layout.addWidget(buttons)

    def _column(self, body: str) -> QTextBrowser:
        view = QTextBrowser(self)
        view.setOpenLinks(False)
        view.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        view.setHtml(body)
        return view

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.done(QDialog.DialogCode.Accepted if choice != CANCEL
                  else QDialog.DialogCode.Rejected)

    def done(self, result: int) -> None:
        first = self.isVisible()
        super().done(result)
        if first:
            self.chosen.emit(self.choice)
