"""Ctrl+O: a dialog that fuzzy-matches page titles, file names and aliases (rapidfuzz)."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget
from rapidfuzz import fuzz, process, utils

from wiki.core.model import PageInfo

MAX_RESULTS = 30
PathRole = Qt.ItemDataRole.UserRole + 1


def rank_pages(query: str, pages: list[PageInfo], limit: int = MAX_RESULTS
               ) -> list[tuple[PageInfo, str]]:
    """Best pages for ``query`` with the key (title, name or alias) that matched best.

    Exact and prefix matches come first, then rapidfuzz's WRatio; ties go to shorter titles.
    """
    if not query.strip():
        return [(info, info.title) for info in sorted(pages, key=lambda i: i.title.casefold())
                [:limit]]
    keys: list[str] = []
    owners: list[int] = []
    for n, info in enumerate(pages):
        for key in dict.fromkeys((info.title, info.name, *info.aliases)):
            keys.append(key)
            owners.append(n)
    q = utils.default_process(query)
    matches = process.extract(q, keys, scorer=fuzz.WRatio, processor=utils.default_process,
                              limit=limit * 4, score_cutoff=50)
    best: dict[int, tuple[float, str]] = {}
    for key, score, idx in matches:
        folded = utils.default_process(key)
        if folded == q:
            score += 100
        elif folded.startswith(q):
            score += 50
        owner = owners[idx]
        if owner not in best or score > best[owner][0]:
            best[owner] = (score, key)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], len(pages[kv[0]].title),
                                                  pages[kv[0]].title.casefold()))
    return [(pages[n], key) for n, (_score, key) in ranked[:limit]]


class QuickSwitcher(QDialog):
    """Type to filter, Up/Down to move, Enter opens: emits ``page_chosen(path)``."""

    page_chosen = Signal(str)

    def __init__(self, pages: list[PageInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open page")
        self.setModal(True)
        self.resize(520, 380)
        self.pages = pages
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText("Page title, file name or alias…")
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query_edit)
        layout.addWidget(self.list, 1)
        self.query_edit.textChanged.connect(self.update_matches)
        self.query_edit.installEventFilter(self)
        self.list.itemActivated.connect(self._choose)
        self.list.itemClicked.connect(self._choose)
        self.update_matches("")

    def update_matches(self, text: str) -> None:
        self.list.clear()
        for info, key in rank_pages(text, self.pages):
            label = info.title
            if key not in (info.title, info.name):
                label += f"   ← {key}"
            item = QListWidgetItem(label)
            item.setToolTip(html.escape(info.path))
            item.setData(PathRole, info.path)
            folder = info.folder
            if folder:
                item.setText(f"{label}    ({folder})")
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _choose(self, item: QListWidgetItem | None = None) -> None:
        item = item or self.list.currentItem()
        if item is None:
            return
        self.page_chosen.emit(item.data(PathRole))
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.query_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.list.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
                self.list.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose()
                return True
        return super().eventFilter(watched, event)
