"""Search as you type: a query box, results with title, folder and highlighted snippet."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from wiki.core.model import ChangeSummary, Hit, SearchResults

if TYPE_CHECKING:
    from ui.context import AppContext

DEBOUNCE_MS = 150
RESULT_LIMIT = 50  # results asked for at first, and how many more each time the list ends
MORE_WITHIN_PX = 48  # the list scrolled this close to its end loads the next results
INDEXING_RECHECK_MS = 1000  # while a first index fills in, the results are asked again
HitRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class HitModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[Hit] = []

    def set_hits(self, hits: list[Hit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def extend_to(self, hits: list[Hit]) -> bool:
        """Show ``hits`` by appending rows when they start with the hits shown (more of the
        same results: the list keeps its scroll and selection). False when they do not."""
        shown = len(self.hits)
        if len(hits) < shown or [h.path for h in hits[:shown]] != [h.path for h in self.hits]:
            return False
        self.hits[:shown] = hits[:shown]  # fresher snippets, same rows
        if len(hits) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(hits) - 1)
            self.hits.extend(hits[shown:])
            self.endInsertRows()
        return True

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.path
        if role == HitRole:
            return hit
        return None


class HitDelegate(QStyledItemDelegate):
    """Draws a hit as rich text: bold title, grey folder, snippet with matches marked."""

    def _document(self, option: QStyleOptionViewItem, hit: Hit, width: int) -> QTextDocument:
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text = palette.color(QPalette.ColorRole.HighlightedText if selected
                             else QPalette.ColorRole.Text).name()
        dim = palette.color(QPalette.ColorRole.PlaceholderText).name()
        doc = QTextDocument()
        doc.setDocumentMargin(5)
        doc.setDefaultFont(option.font)
        doc.setDefaultStyleSheet(
            f"body {{ color: {text}; }} .folder {{ color: {text if selected else dim}; }}"
            " b.match { background-color: #ffe58a; color: #1a1a1a; font-weight: normal; }"
        )
        folder = html.escape(hit.path.rpartition("/")[0])
        doc.setHtml(
            f"<body><b>{html.escape(hit.title)}</b> <span class='folder'><small>{folder}"
            f"</small></span><br><small>{hit.snippet_html}</small></body>"
        )
        doc.setTextWidth(max(width, 60))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        hit = index.data(HitRole)
        if hit is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, hit, option.rect.width())
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        doc.documentLayout().draw(painter, QAbstractTextDocumentLayout.PaintContext())
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        hit = index.data(HitRole)
        if hit is None:
            return super().sizeHint(option, index)
        widget = option.widget
        view = widget if isinstance(widget, QAbstractItemView) else None
        width = view.viewport().width() - 2 if view is not None else 240
        if view is not None and not view.verticalScrollBar().isVisible():
            width -= view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        doc = self._document(option, hit, width)  # as narrow as it can get: never clipped
        return QSize(width, int(doc.size().height()) + 2)


def search_box() -> QLineEdit:
    """The search box above the results; the window keeps it while vaults come and go."""
    edit = QLineEdit()
    edit.setPlaceholderText("Search  (Ctrl+K)")
    edit.setClearButtonEnabled(True)
    return edit


class SearchPanel(QWidget):
    """Results of the query typed in ``query_edit``; emits ``open_requested(path, terms)``.

    The panel holds the results and hides itself while the query is empty; ``query_edit`` is
    the window's search box (``search_box()``), placed above it, which outlives the panel: what
    was typed before a vault opened is searched once it has."""

    open_requested = Signal(str, object)
    results_shown = Signal(object)  # SearchResults, after they are on screen

    def __init__(self, ctx: AppContext, query_edit: QLineEdit,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.query_edit = query_edit
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setContentsMargins(4, 0, 4, 0)
        self.info.hide()
        self.model = HitModel(self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.info)
        layout.addWidget(self.results, 1)
        self.hide()  # shown while there is a query
        self._same_query: bool = False  # the timer runs for a vault change, not for typing
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self.run_query(more=self._same_query))
        self._recheck = QTimer(self, singleShot=True, interval=INDEXING_RECHECK_MS)
        self._recheck.timeout.connect(self._ask_again)
        self._limit = RESULT_LIMIT  # grows as the list is scrolled to its end
        self._loading_more = False
        self.results.verticalScrollBar().valueChanged.connect(self._maybe_load_more)
        self.results.verticalScrollBar().rangeChanged.connect(
            lambda _lo, _hi: self._maybe_load_more())
        self.query_edit.textChanged.connect(self._text_changed)
        self.query_edit.installEventFilter(self)
        self.results.clicked.connect(self._open_index)
        self.info.linkActivated.connect(self._on_link)
        self.last_results: SearchResults | None = None
        self._pick_on_arrival = False
        self._asked = ""  # the text of the query in flight or last shown
        self._shown = ""  # the text whose results are on screen
        if self.query_edit.text().strip():
            self.run_query()

    def detach(self) -> None:
        """Let go of the window's search box (the vault closes; the box stays)."""
        self._timer.stop()
        self._recheck.stop()
        self.query_edit.textChanged.disconnect(self._text_changed)
        self.query_edit.removeEventFilter(self)

    def search_for(self, text: str) -> None:
        """Put ``text`` in the search field and run it now (a clicked #tag)."""
        self.query_edit.setText(text)
        self._timer.stop()
        self.run_query()

    def focus_search(self) -> None:
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()

    def on_vault_changed(self, summary: ChangeSummary) -> None:
        if self.query_edit.text().strip():
            self._same_query = not self._timer.isActive() or self._same_query
            self._timer.start()

    def _text_changed(self, _text: str) -> None:
        self._pick_on_arrival = False  # Enter applied to the text typed before this keystroke
        self._same_query = False
        self._timer.start()

    # -- querying -------------------------------------------------------------------------------
    def run_query(self, *, more: bool = False) -> None:
        """Search for the text in the box: its first ``RESULT_LIMIT`` results, or with
        ``more`` (the list was scrolled to its end; the index filled in) as many as shown."""
        text = self.query_edit.text().strip()
        if not more or text != self._shown:
            self._limit = RESULT_LIMIT
        self._asked = text
        self._recheck.stop()
        self._loading_more = more
        if not text:
            self.ctx.tasks.query("search", lambda: None)  # supersede a query still in flight
            self.model.set_hits([])
            self.results.hide()
            self.info.hide()
            self.hide()
            return
        self.ctx.tasks.query("search", self.ctx.vault.search, text, self._limit,
                             on_done=lambda results: self._show(results, text, more=more),
                             on_error=lambda message: self._show_error(message, text))

    def _ask_again(self) -> None:
        if self.query_edit.text().strip() == self._shown and self._shown:
            self.run_query(more=True)

    def _maybe_load_more(self, _value: int = 0) -> None:
        """The list is scrolled to (or fits above) its end and there are more results."""
        results = self.last_results
        if self._loading_more or results is None or not self.results.isVisible() \
                or results.total <= len(self.model.hits) or self._shown != self._asked:
            return
        bar = self.results.verticalScrollBar()
        # scrolled by the user (a list just reset is at 0 while its rows are laid out)
        if 0 < bar.value() >= bar.maximum() - MORE_WITHIN_PX:
            self._load_next(len(self.model.hits))

    def _load_next(self, offset: int) -> None:
        """The next ``RESULT_LIMIT`` results after the ``offset`` shown, appended on arrival
        (snippets are made only for them)."""
        text = self._shown
        self._loading_more = True
        self._recheck.stop()

        def arrived(results: SearchResults) -> None:
            self._loading_more = False
            if text != self._shown or len(self.model.hits) != offset or results.error:
                return  # the query or the list changed meanwhile: that answer is stale
            self._limit = offset + RESULT_LIMIT
            seen = {h.path for h in self.model.hits}  # a page that moved up meanwhile: once
            fresh = [h for h in results.hits if h.path not in seen]
            merged = SearchResults(results.query, self.model.hits + fresh, results.total,
                                   indexed=results.indexed, index_total=results.index_total)
            self._show(merged, text, more=True)

        self.ctx.tasks.query("search", self.ctx.vault.search, text, RESULT_LIMIT, offset,
                             on_done=arrived,
                             on_error=lambda _message: setattr(self, "_loading_more", False))

    def _show(self, results: SearchResults, text: str | None = None, *,
              more: bool = False) -> None:
        self._loading_more = False
        self._shown = results.query if text is None else text
        self.last_results = results
        if not (more and self.model.extend_to(results.hits)):
            picked = self.results.currentIndex().data(HitRole) if more else None
            if not more:  # a new list starts at its top: the old scroll position, clamped
                self.results.verticalScrollBar().setValue(0)  # to its end, is no request
            self.model.set_hits(results.hits)
            if results.hits:  # the same query asked again keeps the result the user was on
                paths = [h.path for h in results.hits]
                row = paths.index(picked.path) if picked and picked.path in paths else 0
                self.results.setCurrentIndex(self.model.index(row))
        self.results.setVisible(bool(results.hits))
        self.show()
        indexing = results.indexed is not None and results.index_total is not None
        if indexing:  # a first index is filling in: ask again as it grows
            self._recheck.start()
        if results.error:
            self._set_info(f"<span style='color:#c0392b'>{html.escape(results.error)}</span>")
        elif indexing:
            self._set_info(self._indexing_line(results))
        elif not results.hits:
            line = "No pages match."
            if results.suggestion:
                sug = html.escape(results.suggestion)
                line += f" Did you mean: <a href='suggest'>{sug}</a>?"
            self._set_info(line)
        else:
            shown = f" (showing {len(results.hits)})" if results.total > len(results.hits) else ""
            self._set_info(f"<small>{results.total:,} result"
                           f"{'' if results.total == 1 else 's'}{shown}</small>")
        self.results_shown.emit(results)
        if self._pick_on_arrival:
            self._pick_on_arrival = False
            if results.hits:
                self._open_index(self.model.index(0))

    @staticmethod
    def _indexing_line(results: SearchResults) -> str:
        """What the pane says while the first index fills in: how far it is, and what was
        found so far (never "No pages match": the page may not be indexed yet)."""
        line = f"Indexing {results.indexed:,} of {results.index_total:,}…"
        if results.hits:
            more = f", showing {len(results.hits):,}" if results.total > len(results.hits) else ""
            found = f"{results.total:,} result{'' if results.total == 1 else 's'} so far{more}"
        else:
            found = "nothing found in the pages indexed so far"
        return f"<small>{line} {found}</small>"

    def _show_error(self, message: str, text: str) -> None:
        self._show(SearchResults(text, error=message), text)

    def _set_info(self, text: str) -> None:
        self.info.setText(text)
        self.info.show()

    def _on_link(self, _href: str) -> None:
        if self.last_results and self.last_results.suggestion:
            self.query_edit.setText(self.last_results.suggestion)
            self._timer.stop()
            self.run_query()

    # -- picking --------------------------------------------------------------------------------
    def _open_index(self, index: QModelIndex) -> None:
        hit = index.data(HitRole)
        if hit is not None:
            self.open_requested.emit(hit.path, tuple(hit.terms))

    def _move(self, step: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        row = self.results.currentIndex().row()
        row = 0 if row < 0 else max(0, min(rows - 1, row + step))
        self.results.setCurrentIndex(self.model.index(row))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.query_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(8 if key == Qt.Key.Key_PageDown else -8)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                text = self.query_edit.text().strip()
                if self._timer.isActive() or self._shown != text:
                    # typed faster than the debounce or the search: open the first result of
                    # this text when it arrives, never a result of an older query
                    if self._timer.isActive() or self._asked != text:
                        self._timer.stop()
                        self.run_query()
                    self._pick_on_arrival = True
                    return True
                index = self.results.currentIndex()
                if index.isValid():
                    self._open_index(index)
                return True
            if key == Qt.Key.Key_Escape and self.query_edit.text():
                self.query_edit.clear()
                return True
        return super().eventFilter(watched, event)
