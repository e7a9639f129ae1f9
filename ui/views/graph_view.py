"""The local graph of the open page: its neighbours to a chosen depth, the links among them.

The neighbourhood and its layout are computed on a thread of their own
(``wiki.vault.local_graph``; a depth of 3 takes ~0.5 s on 10k pages, which must not hold up
search on the reader thread), the newest request winning, and drawn by a ``GraphCanvas``:
nodes keep their size in pixels, labels never overlap (the most connected pages are labelled
first; the others are named on hover), hovering a node highlights it and its links. A depth
box (1–3, remembered) and a legend for the links from and to the page sit above; below, how
many pages are not shown ("+12 more").

Importing this module loads neither numpy nor the engine (the window builds it at start-up);
the canvas is made with the first graph.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.views.backlinks_panel import Neighbourhood
    from ui.views.graph_canvas import CanvasGraph, GraphCanvas
    from wiki.vault.local_graph import LocalGraphData

MAX_DEPTH = 3  # wiki.vault.local_graph.MAX_DEPTH (a test keeps them equal)

DEPTH_KEY = "graph/local_depth"
TO_PAGE_COLOUR = QColor("#d9822b")  # pages that link to this one
BOTH_COLOUR = QColor("#8e5bc4")  # pages linked both ways
PAGE_RADIUS, NODE_RADIUS = 8.0, 4.5


def _muted(palette: QPalette, alpha: int = 120) -> QColor:
    colour = QColor(palette.color(QPalette.ColorRole.Text))
    colour.setAlpha(alpha)
    return colour


def _swatch(colour: QColor, text: str, dashed: bool = False) -> str:
    line = "╌" if dashed else "—"
    return f"<span style='color:{colour.name()}'>● {line}</span>&nbsp;{text}"


class LocalGraph(QWidget):
    """Clicking a node emits ``page_requested(path)``."""

    page_requested = Signal(str)
    _computed = Signal(int, object, str)  # request, LocalGraphData or None, error

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.data: LocalGraphData | None = None
        self.nodes: dict[str, int] = {}  # path -> index of every node drawn
        self.hidden_count = 0
        self.pending = False
        self._path: str | None = None
        self._canvas: GraphCanvas | None = None
        self._requests = itertools.count(1)
        self._latest = 0
        self._thread: ThreadPoolExecutor | None = None
        self._computed.connect(self._on_computed)
        self.depth_box = QSpinBox(self)
        self.depth_box.setRange(1, MAX_DEPTH)
        self.depth_box.setPrefix("Depth ")
        self.depth_box.setToolTip("How many links away from this page to go")
        self.depth_box.valueChanged.connect(self._depth_changed)
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.footer = QLabel(self)
        self.footer.setStyleSheet("color: gray")
        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 0)
        top.addWidget(self.depth_box)
        top.addWidget(self.legend, 1)
        self._column = column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(top)
        column.addStretch(1)  # the canvas's place, once there is a graph
        column.addWidget(self.footer)
        self.setMinimumHeight(140)
        self._set_legend()

    @property
    def canvas(self) -> GraphCanvas:
        """The drawing (made on first use: it loads numpy)."""
        if self._canvas is None:
            from ui.views.graph_canvas import GraphCanvas

            self._canvas = GraphCanvas(self, fixed_size=True, max_labels=60)
            self._canvas.setToolTip("Pages linked from and to this page: click one to open it")
            self._canvas.node_clicked.connect(self.page_requested)
            stretch = self._column.itemAt(1)
            if stretch is not None:
                self._column.removeItem(stretch)
            self._column.insertWidget(1, self._canvas, 1)
        return self._canvas

    def _set_legend(self) -> None:
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        self.legend.setText("<small>" + " &nbsp; ".join([
            _swatch(accent, "from this page"),
            _swatch(TO_PAGE_COLOUR, "to this page", dashed=True),
            f"<span style='color:{BOTH_COLOUR.name()}'>●</span>&nbsp;both"]) + "</small>")

    # -- the vault and the page ----------------------------------------------------------------
    def bind(self, ctx: AppContext | None) -> None:
        """A vault opened (or closed, with None): read the depth it was left at."""
        self.ctx = ctx
        self.clear()
        if ctx is not None:
            try:
                depth = int(str(ctx.settings.value(DEPTH_KEY, 1)))
            except (TypeError, ValueError):
                depth = 1
            self.depth_box.blockSignals(True)
            self.depth_box.setValue(max(1, min(MAX_DEPTH, depth)))
            self.depth_box.blockSignals(False)

    def clear(self) -> None:
        self._path = None
        self.data = None
        self.nodes = {}
        self.hidden_count = 0
        self._latest = next(self._requests)  # whatever is being computed is not wanted
        self.pending = False
        if self._canvas is not None:
            self._canvas.set_graph(None)
        self.footer.setText("")

    def show_neighbourhood(self, hood: Neighbourhood) -> None:
        """The page's links were read: draw its local graph."""
        self.show_page(hood.path)

    def show_page(self, path: str) -> None:
        """Compute the page's local graph on the graph thread; the newest request wins."""
        if self.ctx is None:
            return
        from wiki.vault.local_graph import local_graph  # the engine loads once a vault opens

        self._path = path
        self.pending = True
        request = self._latest = next(self._requests)
        vault, depth, latest = self.ctx.vault, self.depth_box.value(), lambda: self._latest
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="local-graph")

        def work() -> None:
            if request != latest():  # a newer page or depth was asked for meanwhile
                return
            try:
                data, error = local_graph(vault, path, depth), ""
            except Exception as exc:  # noqa: BLE001 (one line for the user, never a traceback)
                data, error = None, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if shiboken6.isValid(self):
                self._computed.emit(request, data, error)

        self._thread.submit(work)

    def _on_computed(self, request: int, data: LocalGraphData | None, error: str) -> None:
        if request != self._latest:
            return
        if data is None:
            self._failed(error)
        else:
            self._loaded(data)

    def _depth_changed(self, depth: int) -> None:
        if self.ctx is not None:
            self.ctx.settings.setValue(DEPTH_KEY, depth)
        if self._path is not None:
            self.show_page(self._path)

    def _failed(self, message: str) -> None:
        self.pending = False
        self.footer.setText(f"Could not draw the graph: {message}")

    def _loaded(self, data: LocalGraphData) -> None:
        self.pending = False
        if data.centre != self._path:
            return
        self.data = data
        self.nodes = {node.path: i for i, node in enumerate(data.nodes)}
        self.hidden_count = data.hidden
        self.canvas.set_graph(self._canvas_graph(data) if data.nodes else None)
        self.canvas.show()
        if len(data.nodes) <= 1:
            self.footer.setText("No links yet.")
        elif data.hidden:
            self.footer.setText(f"+{data.hidden}{' or more' if data.truncated else ''} more "
                                "(the closest and most linked pages are shown)")
        else:
            self.footer.setText(f"{len(data.nodes) - 1} linked pages")

    def _canvas_graph(self, data: LocalGraphData) -> CanvasGraph:
        import numpy as np

        from ui.views.graph_canvas import CanvasGraph
        from wiki.vault.local_graph import BETWEEN, FROM_PAGE, TO_PAGE

        palette = self.palette()
        accent = palette.color(QPalette.ColorRole.Highlight)
        far = _muted(palette, 110)
        colours = [accent, accent.lighter(140), TO_PAGE_COLOUR, BOTH_COLOUR, far]
        kinds = []
        for i, node in enumerate(data.nodes):
            if i == 0:
                kinds.append(0)
            elif node.linked_from_page and node.links_to_page:
                kinds.append(3)
            elif node.linked_from_page:
                kinds.append(1)
            elif node.links_to_page:
                kinds.append(2)
            else:
                kinds.append(4)
        radius = [PAGE_RADIUS if i == 0 else NODE_RADIUS + min(4.0, node.degree ** 0.5 / 2)
                  for i, node in enumerate(data.nodes)]
        edge_palette = [QColor()] * 3
        edge_palette[FROM_PAGE] = QColor(accent)
        edge_palette[TO_PAGE] = QColor(TO_PAGE_COLOUR)
        edge_palette[BETWEEN] = _muted(palette, 70)
        edges = np.array([(a, b) for a, b, _ in data.edges], dtype=np.int64).reshape(-1, 2)
        edge_kind = np.array([k for _, _, k in data.edges], dtype=np.int64)
        return CanvasGraph(
            paths=[n.path for n in data.nodes], titles=[n.title for n in data.nodes],
            pos=np.array(data.positions, dtype=float).reshape(-1, 2) * 30.0,
            radius=np.array(radius), colour=np.array(kinds, dtype=np.int64), palette=colours,
            priority=np.array([1e9] + [n.degree for n in data.nodes[1:]], dtype=float),
            edges=edges, edge_kind=edge_kind, edge_palette=edge_palette, bold={0},
            dashed={TO_PAGE})

    # -- for tests -----------------------------------------------------------------------------
    def node_position(self, path: str) -> QPointF:
        """Where a page's node is drawn, in the canvas's coordinates."""
        return self.canvas.node_point(path)

    def viewport(self) -> QWidget:
        """The widget the nodes are drawn in (clicks go there)."""
        return self.canvas
