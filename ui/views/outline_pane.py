"""The outline pane: the current page's headings as a tree (an ``###`` under the ``##`` above
it), a click scrolls the page to that heading. It follows whatever page the page view shows
(every tab), from the headings the page was rendered with: nothing more is read."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QTreeWidget, QTreeWidgetItem, QWidget

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
        stack: list[tuple[int, QTreeWidgetItem]] = []
        for level, text, anchor in headings:
            while stack and stack[-1][0] >= level:
                stack.pop()
            item = QTreeWidgetItem([text])
            item.setData(0, ANCHOR, anchor)
            item.setToolTip(0, text)
            if stack:
                stack[-1][1].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            stack.append((level, item))
        self.tree.expandAll()
        self.setCurrentWidget(self.tree if headings else self.empty)

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
