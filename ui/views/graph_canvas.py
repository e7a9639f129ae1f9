"""The widget both graphs draw in: pan, zoom, hover and click over a ``CanvasGraph``.

A ``QGraphicsScene`` with an item per page and per link does not keep up with 13k pages and
50k links (``bench/bench_graph.py``); this widget paints them itself (``graph_painting``), only
what is in view. Level of detail: a node's radius is in scene units, so it grows as you zoom
in, and a node is labelled only once it is ``label_min_px`` wide on screen: zoomed out there
are no labels, and the biggest (most linked) pages get theirs first. Labels never overlap.

The picture is kept in an image. While the view is dragged or zoomed that image is moved and
scaled, and drawn afresh once the view rests (``SETTLE_MS``). A big graph
(``OFF_THREAD_ABOVE`` nodes and links) is drawn on a thread of its own, the old picture
standing in meanwhile, so the UI thread never waits for it. Hovering a node dims the rest and
shows it, its links and its neighbours with their names. A click on a node (not a drag) emits
``node_clicked(path)``; the wheel zooms around the pointer; + - and 0 zoom and fit.
"""

from __future__ import annotations

import itertools
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from ui.views.graph_labels import Box
from ui.views.graph_painting import (
    MAX_SCREEN_RADIUS,
    MIN_SCREEN_RADIUS,
    CanvasGraph,
    Frame,
    Picture,
    draw_hover,
    render,
)

__all__ = ["CanvasGraph", "GraphCanvas"]

SETTLE_MS = 120  # redraw this long after the last drag or wheel step
CLICK_SLOP = 4  # pixels a press may move and still be a click
FIT_MARGIN = 24  # pixels around the graph when fitted
OFF_THREAD_ABOVE = 20_000  # nodes and links from which the picture is drawn off the UI thread


class _PictureRelay(QObject):
    """Carries pictures from the painting thread to their canvas on the UI thread.

    The painting thread never touches a canvas: a canvas may be deleted while its picture is
    drawn (a window closed), and emitting a deleted widget's signal crashes. It emits this
    relay's signal instead, and the relay lives as long as the program (one, made on the UI
    thread, held by the module), so its last reference is never dropped on the painting thread.
    On the UI thread it hands the picture to the canvas if that is still there."""

    ready = Signal(int, object, int)  # canvas key, picture, version

    def __init__(self) -> None:
        super().__init__()
        self.canvases: weakref.WeakValueDictionary[int, GraphCanvas] = \
            weakref.WeakValueDictionary()
        self.ready.connect(self._deliver)

    def _deliver(self, key: int, picture: Picture, version: int) -> None:
        canvas = self.canvases.get(key)
        if canvas is not None and shiboken6.isValid(canvas):
            canvas._on_picture(picture, version)  # noqa: SLF001


_relay: _PictureRelay | None = None
_canvas_keys = itertools.count()


def _picture_relay() -> _PictureRelay:
    """The relay, made on first use (on the UI thread: from a paint event)."""
    global _relay
    if _relay is None or not shiboken6.isValid(_relay):
        _relay = _PictureRelay()
    return _relay


class GraphCanvas(QWidget):
    node_clicked = Signal(str)
    painted = Signal()

    def __init__(self, parent: QWidget | None = None, *, fixed_size: bool = False,
                 label_min_px: float = 5.0, max_labels: int = 150) -> None:
        super().__init__(parent)
        self.fixed_size = fixed_size
        self.label_min_px = label_min_px
        self.max_labels = max_labels
        self.graph: CanvasGraph | None = None
        self.shown = np.zeros(0, dtype=bool)
        self.scale = 1.0
        self.offset = np.zeros(2)
        self.hover: int | None = None
        self.labels: dict[int, Box] = {}  # what the last full drawing labelled
        self.hover_labels: dict[int, Box] = {}  # what the last hover labelled
        self.paint_count = 0
        self.edges_in_view = 0  # links in view at the last full drawing
        self.edges_drawn = 0  # of which drawn (MAX_EDGES at most)
        self.rendered_off_thread = 0
        self._picture: Picture | None = None
        self._picture_version = -1
        self._version = 0  # data or filters changed: the picture is out of date
        self._in_flight = False
        self._painter_thread: ThreadPoolExecutor | None = None
        self._key = next(_canvas_keys)  # how the painting thread names this canvas
        self._press: QPointF | None = None
        self._dragged = False
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._rest)
        self._moving = False
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(80, 80)
        self.setAutoFillBackground(False)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        self.label_font = font
        self.bold_font = QFont(font)
        self.bold_font.setBold(True)

    # -- data ----------------------------------------------------------------------------------
    def set_graph(self, graph: CanvasGraph | None, *, fit: bool = True) -> None:
        self.graph = graph
        self.hover = None
        self.labels = {}
        self.shown = np.ones(len(graph.paths), dtype=bool) if graph else np.zeros(0, bool)
        self._invalidate()
        if fit:
            self.fit()

    def set_shown(self, mask: np.ndarray) -> None:
        """Which nodes to draw (the filters); the others and their links are hidden."""
        self.shown = np.asarray(mask, dtype=bool)
        if self.hover is not None and not self.shown[self.hover]:
            self.hover = None
        self._invalidate()

    def shown_count(self) -> int:
        return int(self.shown.sum())

    # -- view ----------------------------------------------------------------------------------
    def fit(self) -> None:
        """Zoom and centre so that every shown node is in view."""
        g = self.graph
        if g is None or not self.shown.any():
            self.scale, self.offset = 1.0, np.array([self.width() / 2, self.height() / 2])
            self._invalidate()
            return
        pts = g.pos[self.shown]
        low, high = pts.min(axis=0), pts.max(axis=0)
        span = np.maximum(high - low, 1e-6)
        margin = FIT_MARGIN + (float(g.radius[self.shown].max()) if self.fixed_size else 0)
        if self.fixed_size:  # leave room for the labels under and beside the nodes
            margin += 8
        room = np.maximum(np.array([self.width(), self.height()]) - 2 * margin, 20)
        self.scale = float(min(room / span))
        if self.fixed_size:
            self.scale = min(self.scale, 4.0)
        centre = (low + high) / 2
        self.offset = np.array([self.width() / 2, self.height() / 2]) - centre * self.scale
        self._invalidate()

    def zoom_by(self, factor: float, around: QPointF | None = None) -> None:
        at = np.array([around.x(), around.y()]) if around is not None else \
            np.array([self.width() / 2, self.height() / 2])
        factor = max(1e-3, factor)
        self.offset = at - (at - self.offset) * factor
        self.scale *= factor
        self._moved()

    def pan_by(self, dx: float, dy: float) -> None:
        self.offset = self.offset + np.array([dx, dy])
        self._moved()

    def to_screen(self, index: int) -> QPointF:
        assert self.graph is not None
        x, y = self.graph.pos[index] * self.scale + self.offset
        return QPointF(float(x), float(y))

    def node_point(self, path: str) -> QPointF:
        """Where a page's node is on screen (for tests: click it as a user would)."""
        assert self.graph is not None
        return self.to_screen(self.graph.index[path])

    def node_at(self, point: QPointF) -> int | None:
        g = self.graph
        if g is None or not len(g.paths):
            return None
        screen = g.pos * self.scale + self.offset
        radius = self._radius_px()
        d2 = ((screen - np.array([point.x(), point.y()])) ** 2).sum(axis=1)
        d2[~self.shown] = np.inf
        best = int(np.argmin(d2))
        reach = max(float(radius[best]), 3.0) + 3.0
        return best if d2[best] <= reach * reach else None

    def _radius_px(self) -> np.ndarray:
        assert self.graph is not None
        if self.fixed_size:
            return self.graph.radius
        return np.clip(self.graph.radius * self.scale, MIN_SCREEN_RADIUS, MAX_SCREEN_RADIUS)

    # -- redrawing -----------------------------------------------------------------------------
    def frame(self) -> Frame:
        """What to draw now, frozen (for ``graph_painting``)."""
        assert self.graph is not None
        palette = self.palette()
        return Frame(self.graph, self.graph.pos, self.shown, self.scale, self.offset.copy(),
                     self.width(), self.height(), self.devicePixelRatioF(),
                     palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text),
                     QFont(self.label_font), QFont(self.bold_font), self.fixed_size,
                     self.label_min_px, self.max_labels)

    def _view_key(self) -> tuple:
        return (self.scale, float(self.offset[0]), float(self.offset[1]), self.width(),
                self.height(), self.devicePixelRatioF())

    def _invalidate(self) -> None:
        self._version += 1
        self.update()

    def _moved(self) -> None:
        """The view moved: show the old picture moved along, draw afresh once it rests."""
        self._moving = True
        self._settle.start()
        self.update()

    def _rest(self) -> None:
        self._moving = False
        self.update()

    def _off_thread(self) -> bool:
        g = self.graph
        return g is not None and len(g.paths) + len(g.edges) >= OFF_THREAD_ABOVE

    def picture_is_current(self) -> bool:
        pic = self._picture
        return pic is not None and self._picture_version == self._version \
            and pic.key == self._view_key()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        if self.graph is None or not len(self.graph.paths):
            painter.end()
            return
        if not self.picture_is_current() and not self._moving and not self._off_thread():
            self._store(render(self.frame()), self._version)
        pic = self._picture
        if pic is not None and self.picture_is_current():
            painter.drawImage(0, 0, pic.image)
        elif pic is not None and pic.key[3:] == self._view_key()[3:]:
            s0, ox0, oy0 = pic.key[:3]  # the last picture, moved and scaled to the view
            k = self.scale / s0
            painter.setTransform(QTransform(k, 0, 0, k, self.offset[0] - ox0 * k,
                                            self.offset[1] - oy0 * k))
            painter.drawImage(0, 0, pic.image)
            painter.resetTransform()
        if not self.picture_is_current() and not self._moving:
            self._request()  # a big graph: drawn on the painting thread
        if self.hover is not None and not self._moving:
            accent = self.palette().color(QPalette.ColorRole.Highlight)
            self.hover_labels = draw_hover(painter, self.frame(), self.hover, accent)
        painter.end()
        self.painted.emit()

    def _store(self, picture: Picture, version: int) -> None:
        self._picture, self._picture_version = picture, version
        self.labels = picture.labels
        self.edges_in_view, self.edges_drawn = picture.edges_in_view, picture.edges_drawn
        self.paint_count += 1

    def _request(self) -> None:
        if self._in_flight:
            return
        self._in_flight = True
        frame, version = self.frame(), self._version
        if self._painter_thread is None:
            self._painter_thread = ThreadPoolExecutor(1, thread_name_prefix="graph-paint")
        relay = _picture_relay()
        relay.canvases[self._key] = self
        key = self._key

        def work() -> None:  # holds no reference to the canvas: see _PictureRelay
            relay.ready.emit(key, render(frame), version)

        self._painter_thread.submit(work)

    def _on_picture(self, picture: Picture, version: int) -> None:
        self._in_flight = False
        self.rendered_off_thread += 1
        self._store(picture, version)
        self.update()  # and, if the view moved meanwhile, the next one is asked for

    # -- input ---------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._dragged = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            delta = pos - self._press
            if self._dragged or abs(delta.x()) + abs(delta.y()) > CLICK_SLOP:
                self._dragged = True
                self._press = pos
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self.pan_by(delta.x(), delta.y())
            return
        self._set_hover(self.node_at(pos), event)

    def _set_hover(self, index: int | None, event: QMouseEvent | None = None) -> None:
        if index == self.hover:
            return
        self.hover = index
        self.setCursor(Qt.CursorShape.PointingHandCursor if index is not None
                       else Qt.CursorShape.ArrowCursor)
        if index is not None and self.graph is not None and event is not None:
            QToolTip.showText(event.globalPosition().toPoint(), self.graph.titles[index], self)
        else:
            QToolTip.hideText()
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            was_drag = self._dragged
            self._press = None
            self._dragged = False
            self.setCursor(Qt.CursorShape.ArrowCursor)
            if not was_drag and self.graph is not None:
                index = self.node_at(event.position())
                if index is not None:
                    self.node_clicked.emit(self.graph.paths[index])
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event) -> None:
        self._set_hover(None)
        super().leaveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.25 ** steps, event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        elif key == Qt.Key.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.graph is not None:
            self.fit()
