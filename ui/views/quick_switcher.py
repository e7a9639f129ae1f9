"""Ctrl+O: a dialog that fuzzy-matches page titles, file names and aliases (rapidfuzz)."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget
from rapidfuzz import fuzz, utils

from wiki.core.model import PageInfo

MAX_RESULTS = 30
PathRole = Qt.ItemDataRole.UserRole + 1


# Tiers of a match between the query and a name (title, file name or alias), best first.
EXACT, PREFIX, WORD_PREFIX, ALL_WORDS, SUBSTRING, TYPO = 6, 5, 4, 3, 2, 1
TYPO_RATIO = 80  # rapidfuzz ratio for a query word of 4+ letters against a word of the name


def match_tier(query: str, key: str) -> int:
    """How well ``key`` matches ``query`` (both folded by rapidfuzz's default_process); 0 for
    no match worth showing. "vibe" matches "Vibe coding" (prefix) and "Andrej Karpathy on Vibe
    Coding" (a word starts with it), never "Tribe B2" or "Move 37"."""
    if not query or not key:
        return 0
    compact_q, compact_k = query.replace(" ", ""), key.replace(" ", "")
    if key == query or compact_k == compact_q:
        return EXACT
    if key.startswith(query) or compact_k.startswith(compact_q):
        return PREFIX
    words = key.split()
    if any(w.startswith(query) for w in words):
        return WORD_PREFIX
    q_words = query.split()
    if len(q_words) > 1 and all(any(w.startswith(qw) for w in words) for qw in q_words):
        return ALL_WORDS
    if len(compact_q) >= 3 and compact_q in compact_k:
        return SUBSTRING
    if all(len(qw) >= 4 and max((fuzz.ratio(qw, w) for w in words), default=0) >= TYPO_RATIO
           for qw in q_words):
        return TYPO
    return 0


def rank_pages(query: str, pages: list[PageInfo], limit: int = MAX_RESULTS
               ) -> list[tuple[PageInfo, str]]:
    """Best pages for ``query`` with the key (title, name or alias) that matched best.

    Each page counts by its best name: exact, then prefix, then a word starting with the query,
    then every query word starting a word, then a substring, then a near miss (a typo); weaker
    matches are not listed. Within a tier, shorter names first, then titles before aliases.
    """
    if not query.strip():
        return [(info, info.title) for info in sorted(pages, key=lambda i: i.title.casefold())
                [:limit]]
    q = utils.default_process(query)
    ranked: list[tuple[tuple[int, int, int, str], PageInfo, str]] = []
    for info in pages:
        best: tuple[tuple[int, int, int, str], str] | None = None
        for n, key in enumerate(dict.fromkeys((info.title, info.name, *info.aliases))):
            tier = match_tier(q, utils.default_process(key))
            if not tier:
                continue
            order = (-tier, len(key), min(n, 2), info.title.casefold())
            if best is None or order < best[0]:
                best = (order, key)
        if best is not None:
            ranked.append((best[0], info, best[1]))
    ranked.sort(key=lambda r: r[0])
    return [(info, key) for _order, info, key in ranked[:limit]]


def shown_text(info: PageInfo, key: str) -> str:
    """One line of the list: the title, the alias that matched, the folder."""
    label = info.title
    if key not in (info.title, info.name):
        label += f"  ← {key}"
    return f"{label}  ·  {info.folder}" if info.folder else label


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
        # long titles are cut in the middle (the folder at the end stays), never scrolled
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.setWordWrap(False)
        self.list.setUniformItemSizes(True)
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
            item = QListWidgetItem(shown_text(info, key))
            item.setToolTip(html.escape(info.path))
            item.setData(PathRole, info.path)
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
