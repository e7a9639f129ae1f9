"""The page navigator: every page grouped by top-level folder, with counts and a filter box."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from wiki.core.model import ChangeSummary, PageInfo

if TYPE_CHECKING:
    from ui.context import AppContext

PathRole = Qt.ItemDataRole.UserRole + 1
FilterRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3
GroupRole = Qt.ItemDataRole.UserRole + 4
ROOT_GROUP = ""
ROOT_LABEL = "Top level"
EXPAND_BELOW = 400  # smaller vaults start with every group open
FULL_RELOAD_ABOVE = 500  # bigger change sets rebuild the model in one go
FILTER_DELAY_MS = 120  # fast typing in the filter box filters once


def group_of(path: str) -> str:
    return path.partition("/")[0] if "/" in path else ROOT_GROUP


def _sort_key(info: PageInfo) -> str:
    return f"{info.title.casefold()}\0{info.path}"


class Navigator(QWidget):
    page_requested = Signal(str)
    count_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter pages")
        self.filter_edit.setClearButtonEnabled(True)
        self.model = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterRole(FilterRole)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(lambda: self._apply_filter(self.filter_edit.text()))
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter_edit.installEventFilter(self)  # Down into the list, Enter opens
        self._filter = ""
        self._expanded: set[str] | None = None  # groups open before filtering began
        self.tree.clicked.connect(self._activate)
        self.tree.activated.connect(self._activate)
        self._items: dict[str, QStandardItem] = {}
        self._groups: dict[str, QStandardItem] = {}
        self._current: str | None = None
        self.reload()

    # -- building -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Rebuild every row from ``vault.pages()`` (when made and after a rebuild)."""
        self.model.clear()
        self._items.clear()
        self._groups.clear()
        pages = self.ctx.vault.pages()
        by_group: dict[str, list[PageInfo]] = {}
        for info in pages:
            by_group.setdefault(group_of(info.path), []).append(info)
        root = self.model.invisibleRootItem()
        for name in sorted(by_group, key=str.casefold):
            group = self._new_group(name)
            infos = sorted(by_group[name], key=_sort_key)
            group.appendRows([self._new_item(info) for info in infos])
            self._update_count(group)
            root.appendRow(group)
        if len(pages) < EXPAND_BELOW:
            self.tree.expandAll()
        self.count_changed.emit(len(self._items))
        if self._current:
            self.show_current(self._current)

    def _new_group(self, name: str) -> QStandardItem:
        group = QStandardItem(ROOT_LABEL if name == ROOT_GROUP else name)
        group.setData(name, GroupRole)
        group.setData("", FilterRole)
        group.setSelectable(False)
        font = group.font()
        font.setBold(True)
        group.setFont(font)
        self._groups[name] = group
        return group

    def _new_item(self, info: PageInfo) -> QStandardItem:
        item = QStandardItem()
        self._fill(item, info)
        self._items[info.path] = item
        return item

    def _label(self, info: PageInfo) -> str:
        return self.ctx.vault.label(info.path) if self.ctx else info.title

    def _fill(self, item: QStandardItem, info: PageInfo) -> None:
        item.setText(self._label(info))
        item.setToolTip(info.path if not info.flags else f"{info.path}\n⚠ {', '.join(info.flags)}")
        item.setData(info.path, PathRole)
        item.setData(" ".join((info.title, info.path, *info.aliases)), FilterRole)
        item.setData(_sort_key(info), SortRole)

    def _update_count(self, group: QStandardItem) -> None:
        """``notes  (12)``; while filtering, how many of them match: ``notes  (3 of 12)``."""
        name = group.data(GroupRole)
        label = ROOT_LABEL if name == ROOT_GROUP else name
        count = f"{group.rowCount():,}"
        if self._filter:
            mapped = self.proxy.mapFromSource(group.index())  # invalid: no row matches
            shown = self.proxy.rowCount(mapped) if mapped.isValid() else 0
            count = f"{shown:,} of {count}"
        text = f"{label}  ({count})"
        if group.text() != text:
            group.setText(text)

    def _update_counts(self) -> None:
        for group in list(self._groups.values()):
            self._update_count(group)

    # -- live updates ---------------------------------------------------------------------------
    def on_vault_changed(self, summary: ChangeSummary) -> None:
        if summary.rebuilt or len(summary.pages_changed) > FULL_RELOAD_ABOVE:
            self.reload()
            return
        touched = {self._items[p].data(SortRole).partition("\0")[0]
                   for p in summary.removed | summary.modified if p in self._items}
        for path in sorted(summary.removed):
            self._remove(path)
        for path in sorted(summary.added | summary.modified):
            info = self.ctx.vault.page_info(path)
            if info is None:
                self._remove(path)
            elif path in self._items:
                item = self._items[path]
                if item.data(SortRole) == _sort_key(info):
                    self._fill(item, info)
                else:  # the title changed: move the row to its sorted place
                    self._remove(path)
                    self._insert(info)
            else:
                self._insert(info)
            if info is not None:
                touched.add(info.title.casefold())
        self._relabel(touched)
        if self._filter:
            self._update_counts()
        self.count_changed.emit(len(self._items))
        self._keep_current()

    def _keep_current(self) -> None:
        """The open page stays highlighted when its row was removed and put back (its title
        changed) or the selection was lost, without scrolling the list under the reader."""
        index = self.index_of(self._current) if self._current else QModelIndex()
        if index.isValid() and self.tree.currentIndex() != index:
            self.tree.selectionModel().setCurrentIndex(
                index, self.tree.selectionModel().SelectionFlag.ClearAndSelect)

    def _relabel(self, titles: set[str]) -> None:
        """Rows whose name another page now shares (or no longer shares) show the folder."""
        if not titles or self.ctx is None:
            return
        for path, item in self._items.items():
            if item.data(SortRole).partition("\0")[0] in titles:
                label = self.ctx.vault.label(path)
                if item.text() != label:
                    item.setText(label)

    def _insert(self, info: PageInfo) -> None:
        name = group_of(info.path)
        group = self._groups.get(name)
        if group is None:
            group = self._new_group(name)
            root = self.model.invisibleRootItem()
            labels = [root.child(i).data(GroupRole).casefold() for i in range(root.rowCount())]
            root.insertRow(bisect.bisect(labels, name.casefold()), group)
            if len(self._items) < EXPAND_BELOW:
                self.tree.expand(self.proxy.mapFromSource(group.index()))
        key = _sort_key(info)  # binary search on the rows: O(log n) per added page
        lo, hi = 0, group.rowCount()
        while lo < hi:
            mid = (lo + hi) // 2
            if group.child(mid).data(SortRole) <= key:
                lo = mid + 1
            else:
                hi = mid
        group.insertRow(lo, self._new_item(info))
        self._update_count(group)

    def _remove(self, path: str) -> None:
        item = self._items.pop(path, None)
        if item is None:
            return
        group = item.parent()
        group.removeRow(item.row())
        if group.rowCount() == 0:
            self._groups.pop(group.data(GroupRole), None)
            self.model.invisibleRootItem().removeRow(group.row())
        else:
            self._update_count(group)

    # -- selection and filtering ----------------------------------------------------------------
    def page_count(self) -> int:
        return len(self._items)

    def paths(self) -> list[str]:
        """Every page path shown (before filtering), in display order."""
        out: list[str] = []
        root = self.model.invisibleRootItem()
        for g in range(root.rowCount()):
            group = root.child(g)
            out.extend(group.child(i).data(PathRole) for i in range(group.rowCount()))
        return out

    def index_of(self, path: str) -> QModelIndex:
        """The view (proxy) index of a page, invalid when absent or filtered out."""
        item = self._items.get(path)
        return self.proxy.mapFromSource(item.index()) if item else QModelIndex()

    def show_current(self, path: str | None) -> None:
        self._current = path
        index = self.index_of(path) if path else QModelIndex()
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            self.tree.clearSelection()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _apply_filter(self, text: str) -> None:
        """Filter the rows. The view is detached meanwhile: the proxy then resets it once
        instead of reporting thousands of scattered row removals (seconds on 10,000 pages)."""
        self._filter_timer.stop()
        text = text.strip()
        if text == self._filter:
            return
        if not self._filter:
            self._expanded = self._expanded_groups()
        self._filter = text
        old_selection = self.tree.selectionModel()
        self.tree.setModel(None)
        self.proxy.setFilterFixedString(text)
        self.tree.setModel(self.proxy)  # makes a new selection model: drop the old one
        if old_selection is not None:
            old_selection.deleteLater()
        if text:
            self.tree.expandAll()
        else:
            for name in self._expanded or ():
                group = self._groups.get(name)
                if group is not None:
                    self.tree.expand(self.proxy.mapFromSource(group.index()))
            self._expanded = None
        self._update_counts()
        if self._current:
            self.show_current(self._current)

    def _expanded_groups(self) -> set[str]:
        return {name for name, group in self._groups.items()
                if self.tree.isExpanded(self.proxy.mapFromSource(group.index()))}

    def _first_page(self) -> QModelIndex:
        """While filtering, the first page that matches; else the open page (when shown)."""
        current = self.index_of(self._current) if self._current and not self._filter \
            else QModelIndex()
        if current.isValid():
            return current
        for g in range(self.proxy.rowCount()):
            group = self.proxy.index(g, 0)
            if self.proxy.rowCount(group):
                if not self.tree.isExpanded(group):
                    self.tree.expand(group)
                return self.proxy.index(0, 0, group)
        return QModelIndex()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """In the filter box: Down moves into the list, Enter opens the highlighted (or
        first) page, Escape clears the filter."""
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._filter_timer.isActive():
                    self._apply_filter(self.filter_edit.text())  # what was typed, now
                index = self._first_page()
                if not index.isValid():
                    return True
                if key == Qt.Key.Key_Down:
                    self.tree.setCurrentIndex(index)
                    self.tree.scrollTo(index)
                    self.tree.setFocus(Qt.FocusReason.TabFocusReason)
                else:
                    self._activate(index)
                return True
            if key == Qt.Key.Key_Escape and self.filter_edit.text():
                self.filter_edit.clear()
                return True
        return super().eventFilter(watched, event)

    def _activate(self, index: QModelIndex) -> None:
        path = index.data(PathRole)
        if path:
            self.page_requested.emit(path)
