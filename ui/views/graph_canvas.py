"""The widget both graphs draw in: nodes, links and labels painted straight from numpy arrays.

A ``QGraphicsScene`` with an item per page and per link does not keep up with 13k pages and
50k links; this widget paints them itself, grouped (one ``drawPoints`` per colour and size,
one ``drawLines`` per kind of link, their coordinates handed to Qt as one block of bytes), and
only what is in view.

Level of detail: a node's radius is in scene units, so it grows as you zoom in, and a node is
labelled only once it is ``label_min_px`` wide on screen: zoomed out there are no labels, and
the biggest (most linked) pages get theirs first. Labels never overlap (``graph_labels``).
The picture is kept in an image; while the view is dragged or zoomed that image is moved and
scaled, and it is drawn afresh once the view rests (``SETTLE_MS``). Hovering a node dims the
rest and shows it, its links and its neighbours with their names. A click on a node (not a
drag) emits ``node_clicked(path)``; the wheel zooms around the pointer; + - and 0 zoom and fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from ui.views.graph_labels import Box, Candidate, place_labels

SETTLE_MS = 120  # redraw this long after the last drag or wheel step
CLICK_SLOP = 4  # pixels a press may move and still be a click
LABEL_CHARS = 24
ANTIALIAS_BELOW = 4000  # smooth lines and dots while fewer than this are drawn
MAX_SCREEN_RADIUS = 28.0
MIN_SCREEN_RADIUS = 1.2
FIT_MARGIN = 24  # pixels around the graph when fitted


def short(title: str, limit: int = LABEL_CHARS) -> str:
    """A long name cut in the middle, so that names sharing a beginning stay apart
    ("Neighbour wi…ame 03")."""
    if len(title) <= limit:
        return title
    tail = (limit - 1) * 2 // 5
    return title[:limit - 1 - tail].rstrip() + "…" + title[len(title) - tail:].lstrip()


@dataclass
class CanvasGraph:
    """What to draw. ``pos`` and ``radius`` are in scene units (pixels with ``fixed_size``)."""

    paths: list[str]
    titles: list[str]
    pos: np.ndarray  # n × 2
    radius: np.ndarray  # n
    colour: np.ndarray  # n: index into ``palette``
    palette: list[QColor]
    priority: np.ndarray  # n: who is labelled first (links)
    edges: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    edge_kind: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    edge_palette: list[QColor] = field(default_factory=list)
    bold: set[int] = field(default_factory=set)  # labels in bold (the current page)
    dashed: set[int] = field(default_factory=set)  # kinds of link drawn dashed

    def __post_init__(self) -> None:
        self.index = {path: i for i, path in enumerate(self.paths)}
        self.neighbours: list[list[int]] = [[] for _ in self.paths]
        self.edges_of: list[list[int]] = [[] for _ in self.paths]
        for k, (a, b) in enumerate(self.edges.tolist()):
            self.neighbours[a].append(b)
            self.neighbours[b].append(a)
            self.edges_of[a].append(k)
            self.edges_of[b].append(k)


def polygon(points: np.ndarray) -> QPolygonF:
    """Points as a QPolygonF, through Qt's own stream format (no Python loop)."""
    data = np.asarray(points, dtype=">f8").reshape(-1, 2)
    raw = QByteArray(np.array([len(data)], dtype=">u4").tobytes() + data.tobytes())
    stream = QDataStream(raw, QIODevice.OpenModeFlag.ReadOnly)
    out = QPolygonF()
    stream >> out  # noqa: B015 (the stream operator fills ``out``)
    return out


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
        self.screen_pos = np.zeros((0, 2))
        self.screen_radius = np.zeros(0)
        self.paint_count = 0
        self._image: QImage | None = None
        self._image_view: tuple | None = None
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
    def _view_key(self) -> tuple:
        return (self.scale, float(self.offset[0]), float(self.offset[1]), self.width(),
                self.height(), self.devicePixelRatioF())

    def _invalidate(self) -> None:
        self._image_view = None
        self.update()

    def _moved(self) -> None:
        """The view moved: show the old picture moved along, draw afresh once it rests."""
        self._moving = True
        self._settle.start()
        self.update()

    def _rest(self) -> None:
        self._moving = False
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        base = self.palette().color(QPalette.ColorRole.Base)
        painter.fillRect(self.rect(), base)
        if self.graph is None or not len(self.graph.paths):
            painter.end()
            return
        key = self._view_key()
        if self._image is not None and self._image_view is not None and self._moving \
                and key[3:] == self._image_view[3:]:
            s0, ox0, oy0 = self._image_view[:3]
            k = self.scale / s0
            painter.setTransform(QTransform(k, 0, 0, k, self.offset[0] - ox0 * k,
                                            self.offset[1] - oy0 * k))
            painter.drawImage(0, 0, self._image)
            painter.resetTransform()
        else:
            if self._image_view != key or self._image is None:
                self._render_image()
            assert self._image is not None
            painter.drawImage(0, 0, self._image)
        if self.hover is not None and not self._moving:
            self._draw_hover(painter, base)
        painter.end()
        self.painted.emit()

    def _render_image(self) -> None:
        ratio = self.devicePixelRatioF()
        image = QImage(max(1, int(self.width() * ratio)), max(1, int(self.height() * ratio)),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(self.palette().color(QPalette.ColorRole.Base))
        painter = QPainter(image)
        self._draw(painter)
        painter.end()
        self._image = image
        self._image_view = self._view_key()
        self.paint_count += 1

    def _draw(self, painter: QPainter) -> None:
        g = self.graph
        assert g is not None
        w, h = float(self.width()), float(self.height())
        screen = g.pos * self.scale + self.offset
        radius = self._radius_px()
        self.screen_pos, self.screen_radius = screen, radius
        in_view = self.shown & (screen[:, 0] + radius >= 0) & (screen[:, 0] - radius <= w) \
            & (screen[:, 1] + radius >= 0) & (screen[:, 1] - radius <= h)
        self._draw_edges(painter, screen, w, h)
        self._draw_nodes(painter, screen, radius, in_view)
        self.labels = self._draw_labels(painter, screen, radius, in_view, w, h)

    def _draw_edges(self, painter: QPainter, screen: np.ndarray, w: float, h: float,
                    only: list[int] | None = None, colour: QColor | None = None,
                    width: float = 1.0) -> None:
        g = self.graph
        assert g is not None
        if not len(g.edges):
            return
        edges = g.edges if only is None else g.edges[only]
        kinds = g.edge_kind if only is None else g.edge_kind[only]
        a, b = screen[edges[:, 0]], screen[edges[:, 1]]
        keep = self.shown[edges[:, 0]] & self.shown[edges[:, 1]] \
            & (np.maximum(a[:, 0], b[:, 0]) >= 0) & (np.minimum(a[:, 0], b[:, 0]) <= w) \
            & (np.maximum(a[:, 1], b[:, 1]) >= 0) & (np.minimum(a[:, 1], b[:, 1]) <= h)
        count = int(keep.sum())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, count < ANTIALIAS_BELOW)
        for kind in np.unique(kinds[keep]):
            pick = keep & (kinds == kind)
            pairs = np.empty((2 * int(pick.sum()), 2))
            pairs[0::2], pairs[1::2] = a[pick], b[pick]
            pen = QPen(colour or g.edge_palette[int(kind)], width)
            if colour is None and int(kind) in g.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLines(polygon(pairs))  # type: ignore[call-overload]  # a QList<QPointF>

    def _draw_nodes(self, painter: QPainter, screen: np.ndarray, radius: np.ndarray,
                    pick: np.ndarray) -> None:
        g = self.graph
        assert g is not None
        idx = np.flatnonzero(pick)
        if not len(idx):
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, len(idx) < ANTIALIAS_BELOW)
        size = np.round(radius[idx] * 4) / 2  # diameters in half pixels
        group = g.colour[idx] * 10_000 + (size * 2).astype(np.int64)
        for key in np.unique(group):
            members = idx[group == key]
            colour = g.palette[int(key // 10_000)]
            pen = QPen(colour, max(1.0, float(size[group == key][0])))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawPoints(polygon(screen[members]))

    def _label_font(self, index: int) -> QFont:
        assert self.graph is not None
        return self.bold_font if index in self.graph.bold else self.label_font

    def _draw_labels(self, painter: QPainter, screen: np.ndarray, radius: np.ndarray,
                     pick: np.ndarray, w: float, h: float, *, forced: list[int] | None = None,
                     limit: int | None = None) -> dict[int, Box]:
        g = self.graph
        assert g is not None
        if forced is None:
            eligible = pick if self.fixed_size else pick & (radius >= self.label_min_px)
            idx = np.flatnonzero(eligible)
            idx = idx[np.lexsort((idx, -g.priority[idx]))][:4 * self.max_labels]
        else:
            idx = np.array(forced, dtype=np.int64)
        if not len(idx):
            return {}
        metrics = {False: QFontMetricsF(self.label_font), True: QFontMetricsF(self.bold_font)}
        candidates = []
        for i in idx.tolist():
            fm = metrics[i in g.bold]
            text = short(g.titles[i])
            always = i in g.bold or (forced is not None and i == forced[0])
            candidates.append(Candidate(i, float(screen[i, 0]), float(screen[i, 1]),
                                        float(radius[i]), fm.horizontalAdvance(text) + 6,
                                        fm.height() + 2, always))
        nodes = np.flatnonzero(pick & (radius >= 2.0))
        if len(nodes) > 4000:
            nodes = nodes[np.argsort(-radius[nodes])[:4000]]
        avoid = [Box(float(screen[i, 0] - radius[i]), float(screen[i, 1] - radius[i]),
                     float(2 * radius[i]), float(2 * radius[i])) for i in nodes.tolist()]
        boxes = place_labels(candidates, w, h, limit=limit or self.max_labels, avoid=avoid)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        halo = QColor(self.palette().color(QPalette.ColorRole.Base))
        halo.setAlpha(200)
        text_colour = self.palette().color(QPalette.ColorRole.Text)
        for i, box in boxes.items():
            rect = QRectF(box.x, box.y, box.w, box.h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(halo)
            painter.drawRoundedRect(rect, 3, 3)
            painter.setFont(self._label_font(i))
            painter.setPen(text_colour)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, short(g.titles[i]))
        return boxes

    def _draw_hover(self, painter: QPainter, base: QColor) -> None:
        g = self.graph
        assert g is not None and self.hover is not None
        veil = QColor(base)
        veil.setAlpha(170)
        painter.fillRect(self.rect(), veil)
        i = self.hover
        screen = g.pos * self.scale + self.offset
        radius = self._radius_px()
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        friends = [j for j in g.neighbours[i] if self.shown[j]]
        self._draw_edges(painter, screen, float(self.width()), float(self.height()),
                         only=g.edges_of[i], colour=accent, width=1.6)
        mask = np.zeros(len(g.paths), dtype=bool)
        mask[friends] = True
        mask[i] = True
        self._draw_nodes(painter, screen, radius, mask)
        ring = QPen(accent, 2.0)
        painter.setPen(ring)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        r = float(radius[i]) + 3
        painter.drawEllipse(QPointF(*screen[i]), r, r)
        order = [i] + sorted(friends, key=lambda j: -g.priority[j])
        self.hover_labels = self._draw_labels(painter, screen, radius, mask, float(self.width()),
                                              float(self.height()), forced=order, limit=40)

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
