"""The tags pane: every tag with its page count, nested tags as a tree; a click lists the
pages carrying that tag (or one below it), and a click on a page opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wiki.core.model import ChangeSummary
from wiki.vault.tags import TagNode, tag_tree

if TYPE_CHECKING:
    from ui.context import AppContext

TagRole = Qt.ItemDataRole.UserRole + 1
PathRole = Qt.ItemDataRole.UserRole + 2


class TagsPane(QWidget):
    page_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.pages = QListWidget()
        self.heading = QLabel("Click a tag to list its pages")
        self.heading.setContentsMargins(4, 2, 4, 2)
        lower = QWidget()
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.pages, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._nodes: dict[str, TagNode] = {}
        self._selected: str | None = None
        self._stale = False  # the vault changed while the pane was hidden
        self.tree.itemClicked.connect(lambda item, _col: self.show_tag(item.data(0, TagRole)))
        self.pages.itemActivated.connect(self._open)
        self.pages.itemClicked.connect(self._open)

    def bind(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._reload_when_shown()

    def on_vault_changed(self, summary: ChangeSummary) -> None:
        if self.ctx is not None:
            self._reload_when_shown()

    def _reload_when_shown(self) -> None:
        """Reload now if the pane is on screen, else when it is shown: the tree is built from
        every page (0.2 s of the UI thread at 13,415 pages), and the pane is hidden by default,
        so that cost was paid on every change for nothing."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Rebuild the tree from the vault's pages (in memory: no disk read)."""
        self._stale = False
        expanded = {item.data(0, TagRole) for item in self._items() if item.isExpanded()}
        self.tree.clear()
        self._nodes.clear()
        roots = tag_tree(self.ctx.vault.pages()) if self.ctx else []
        for node in roots:
            self.tree.addTopLevelItem(self._item(node, expanded))
        if self._selected is not None:
            self.show_tag(self._selected)

    def _item(self, node: TagNode, expanded: set[str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem([f"#{node.name}  ({node.count})"])
        item.setData(0, TagRole, node.tag)
        item.setToolTip(0, f"#{node.tag}: {node.count} page{'s' if node.count != 1 else ''}")
        self._nodes[node.tag.casefold()] = node
        for child in node.sorted_children():
            item.addChild(self._item(child, expanded))
        item.setExpanded(node.tag in expanded)
        return item

    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            out.append(item)
            stack.extend(item.child(i) for i in range(item.childCount()))
        return out

    def tags(self) -> dict[str, int]:
        """Every tag shown, with its count (for tests and the status line)."""
        return {n.tag: n.count for n in self._nodes.values()}

    def show_tag(self, tag: str) -> None:
        self._selected = tag
        self.pages.clear()
        node = self._nodes.get(tag.casefold())
        if node is None or self.ctx is None:
            self.heading.setText(f"No pages tagged #{tag}")
            return
        self.heading.setText(f"#{node.tag}: {node.count} page{'s' if node.count != 1 else ''}")
        labels = {p: self.ctx.vault.label(p) for p in node.pages}
        for path in sorted(node.pages, key=lambda p: labels[p].casefold()):
            item = QListWidgetItem(labels[path])
            item.setData(PathRole, path)
            item.setToolTip(path)
            self.pages.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        self.page_requested.emit(item.data(PathRole))
