"""The outline pane: the current page's headings as a tree (an ``###`` under the ``##`` above
it), a click scrolls the page to that heading, and the heading of the part being read is
selected as the page scrolls. It follows whatever page the page view shows (every tab), from
the headings the page was rendered with: nothing more is read."""

from __future__ import annotations

import bisect

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

ANCHOR = Qt.ItemDataRole.UserRole


class OutlinePane(QStackedWidget):
    heading_chosen = Signal(str)  # the heading's anchor id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outlinePane")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("outlineTree")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self._items: dict[str, QTreeWidgetItem] = {}
        self.tree.itemClicked.connect(self._chosen)
        self.tree.itemActivated.connect(self._chosen)  # Enter on a heading
        self.empty = QLabel("No headings on this page.", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.addWidget(self.tree)
        self.addWidget(self.empty)
        self.setCurrentWidget(self.empty)

    def show_headings(self, headings: list[tuple[int, str, str]]) -> None:
        """(level, text, anchor) in page order; a heading nests under the nearest one above
        it of a smaller level (a page may skip levels, or start at ``###``)."""
        self.tree.clear()
        self._items = {}
        stack: list[tuple[int, QTreeWidgetItem]] = []
        for level, text, anchor in headings:
            while stack and stack[-1][0] >= level:
                stack.pop()
            item = QTreeWidgetItem([text])
            item.setData(0, ANCHOR, anchor)
            item.setToolTip(0, text)
            self._items.setdefault(anchor, item)
            if stack:
                stack[-1][1].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            stack.append((level, item))
        self.tree.expandAll()
        self.setCurrentWidget(self.tree if headings else self.empty)

    def mark_current(self, anchor: str | None) -> None:
        """Select the heading of the part of the page being read (no signal: nothing moves)."""
        item = self._items.get(anchor or "")
        if item is None:
            self.tree.clearSelection()
            return
        if item is not self.tree.currentItem():
            blocked = self.tree.blockSignals(True)
            self.tree.setCurrentItem(item)
            self.tree.blockSignals(blocked)
            self.tree.scrollToItem(item)

    def current_title(self) -> str:
        item = self.tree.currentItem()
        return item.text(0) if item is not None and item.isSelected() else ""

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        anchor = item.data(0, ANCHOR)
        if isinstance(anchor, str) and anchor:
            self.heading_chosen.emit(anchor)

    def titles(self) -> list[tuple[int, str]]:
        """(depth, text) of every row, top to bottom (what the pane shows)."""
        rows: list[tuple[int, str]] = []

        def walk(item: QTreeWidgetItem | None, depth: int) -> None:
            if item is None:
                return
            rows.append((depth, item.text(0)))
            for i in range(item.childCount()):
                walk(item.child(i), depth + 1)

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i), 0)
        return rows


def heading_offsets(browser: QTextBrowser, anchors: list[str]) -> list[tuple[float, str]]:
    """(top in document pixels, anchor) of each of ``anchors`` the page's layout has, in
    order: where each heading sits, to know which one the reader is under."""
    wanted = set(anchors)
    doc = browser.document()
    layout = doc.documentLayout()
    found: list[tuple[float, str]] = []
    block = doc.begin()
    while block.isValid() and wanted:
        it = block.begin()
        while not it.atEnd():
            names = it.fragment().charFormat().anchorNames()
            for name in names:
                if name in wanted:
                    wanted.discard(name)
                    found.append((layout.blockBoundingRect(block).top(), name))
            it += 1
        block = block.next()
    found.sort()
    return found


def heading_at(offsets: list[tuple[float, str]], top: float) -> str | None:
    """The last heading at or above ``top`` (a little below counts: the reader's eye is not
    at the very edge), or None above the first one."""
    at = bisect.bisect_right([y for y, _a in offsets], top + 24)
    return offsets[at - 1][1] if at else None
