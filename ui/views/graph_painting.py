"""Drawing a graph into an image: links, nodes and labels from numpy arrays, from any thread.

Everything a drawing needs is frozen in a ``Frame`` (the graph's arrays, what is shown, the
view, the size, colours and fonts), so a big graph can be drawn on a worker thread while the
UI thread shows the previous picture (QPainter on a QImage is safe off the UI thread).

Nodes are grouped by colour and size, one ``drawPoints`` each; links by kind, one
``drawLines`` each; the coordinates go to Qt as one block of bytes in its own stream format.
Past ``MAX_EDGES`` links in view a fixed sample of them is drawn: zoomed out on 13k pages the
links are a grey cloud whose look does not change, and each costs microseconds to draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QPolygonF

from ui.views.graph_labels import Box, Candidate, place_labels

LABEL_CHARS = 24
ANTIALIAS_BELOW = 4000  # smooth lines and dots while fewer than this are drawn
MAX_SCREEN_RADIUS = 28.0
MIN_SCREEN_RADIUS = 1.2
MAX_EDGES = 12_000  # links drawn at most at once


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
        # which links to keep when there are too many to draw: the same ones at every frame
        self.edge_rank = np.random.default_rng(0).permutation(len(self.edges))

    def edges_of(self, index: int) -> np.ndarray:
        """The links of one node (a scan of the arrays: well under a millisecond at 55k)."""
        return np.flatnonzero((self.edges[:, 0] == index) | (self.edges[:, 1] == index))

    def neighbours(self, index: int) -> list[int]:
        ends = self.edges[self.edges_of(index)]
        return sorted(set(ends.ravel().tolist()) - {index})


@dataclass
class Frame:
    """One drawing's inputs, frozen: safe to hand to another thread."""

    graph: CanvasGraph
    pos: np.ndarray  # the graph's positions at the time
    shown: np.ndarray
    scale: float
    offset: np.ndarray
    width: int
    height: int
    ratio: float
    base: QColor
    text: QColor
    label_font: QFont
    bold_font: QFont
    fixed_size: bool
    label_min_px: float
    max_labels: int

    @property
    def key(self) -> tuple:
        return (self.scale, float(self.offset[0]), float(self.offset[1]), self.width,
                self.height, self.ratio)

    def screen(self) -> np.ndarray:
        return self.pos * self.scale + self.offset

    def radius(self) -> np.ndarray:
        if self.fixed_size:
            return self.graph.radius
        return np.clip(self.graph.radius * self.scale, MIN_SCREEN_RADIUS, MAX_SCREEN_RADIUS)


@dataclass
class Picture:
    """A drawing and what it showed."""

    key: tuple
    image: QImage
    labels: dict[int, Box]
    edges_in_view: int
    edges_drawn: int


def polygon(points: np.ndarray) -> QPolygonF:
    """Points as a QPolygonF, through Qt's own stream format (no Python loop)."""
    data = np.asarray(points, dtype=">f8").reshape(-1, 2)
    raw = QByteArray(np.array([len(data)], dtype=">u4").tobytes() + data.tobytes())
    stream = QDataStream(raw, QIODevice.OpenModeFlag.ReadOnly)
    out = QPolygonF()
    stream >> out  # noqa: B015 (the stream operator fills ``out``)
    return out


def render(frame: Frame) -> Picture:
    """The whole picture of ``frame`` in an image (any thread)."""
    image = QImage(max(1, int(frame.width * frame.ratio)), max(1, int(frame.height * frame.ratio)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(frame.ratio)
    image.fill(frame.base)
    painter = QPainter(image)
    w, h = float(frame.width), float(frame.height)
    screen, radius = frame.screen(), frame.radius()
    in_view = frame.shown & (screen[:, 0] + radius >= 0) & (screen[:, 0] - radius <= w) \
        & (screen[:, 1] + radius >= 0) & (screen[:, 1] - radius <= h)
    in_edges, drawn = draw_edges(painter, frame, screen)
    draw_nodes(painter, frame, screen, radius, in_view)
    labels = draw_labels(painter, frame, screen, radius, in_view)
    painter.end()
    return Picture(frame.key, image, labels, in_edges, drawn)


def draw_edges(painter: QPainter, frame: Frame, screen: np.ndarray, only: list[int] | None = None,
               colour: QColor | None = None, width: float = 1.0) -> tuple[int, int]:
    """The links in view (or ``only`` these); how many were in view and how many drawn."""
    g = frame.graph
    if not len(g.edges):
        return 0, 0
    pick = np.arange(len(g.edges)) if only is None else np.asarray(only, dtype=np.int64)
    edges, kinds = g.edges[pick], g.edge_kind[pick]
    a, b = screen[edges[:, 0]], screen[edges[:, 1]]
    w, h = frame.width, frame.height
    keep = frame.shown[edges[:, 0]] & frame.shown[edges[:, 1]] \
        & (np.maximum(a[:, 0], b[:, 0]) >= 0) & (np.minimum(a[:, 0], b[:, 0]) <= w) \
        & (np.maximum(a[:, 1], b[:, 1]) >= 0) & (np.minimum(a[:, 1], b[:, 1]) <= h)
    count = int(keep.sum())
    if count > MAX_EDGES:  # zoomed out on a big vault: the same sample at every frame
        rank = g.edge_rank[pick]
        keep &= rank <= np.sort(rank[keep])[MAX_EDGES - 1]
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, count < ANTIALIAS_BELOW)
    for kind in np.unique(kinds[keep]):
        chosen = keep & (kinds == kind)
        pairs = np.empty((2 * int(chosen.sum()), 2))
        pairs[0::2], pairs[1::2] = a[chosen], b[chosen]
        pen = QPen(colour or g.edge_palette[int(kind)], width)
        if colour is None and int(kind) in g.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLines(polygon(pairs))  # type: ignore[call-overload]  # a QList<QPointF>
    return count, min(count, MAX_EDGES)


def draw_nodes(painter: QPainter, frame: Frame, screen: np.ndarray, radius: np.ndarray,
               pick: np.ndarray) -> None:
    g = frame.graph
    idx = np.flatnonzero(pick)
    if not len(idx):
        return
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, len(idx) < ANTIALIAS_BELOW)
    size = np.round(radius[idx] * 4) / 2  # diameters in half pixels
    group = g.colour[idx] * 10_000 + (size * 2).astype(np.int64)
    for key in np.unique(group):
        members = group == key
        pen = QPen(g.palette[int(key // 10_000)], max(1.0, float(size[members][0])))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawPoints(polygon(screen[idx[members]]))


def draw_labels(painter: QPainter, frame: Frame, screen: np.ndarray, radius: np.ndarray,
                pick: np.ndarray, *, forced: list[int] | None = None,
                limit: int | None = None) -> dict[int, Box]:
    """Labels that overlap nothing, the highest priority first (or ``forced``, in order);
    a node is labelled once it is ``label_min_px`` wide on screen."""
    g = frame.graph
    if forced is None:
        eligible = pick if frame.fixed_size else pick & (radius >= frame.label_min_px)
        idx = np.flatnonzero(eligible)
        idx = idx[np.lexsort((idx, -g.priority[idx]))][:4 * frame.max_labels]
    else:
        idx = np.array(forced, dtype=np.int64)
    if not len(idx):
        return {}
    metrics = {False: QFontMetricsF(frame.label_font), True: QFontMetricsF(frame.bold_font)}
    candidates = []
    for i in idx.tolist():
        fm = metrics[i in g.bold]
        always = i in g.bold or (forced is not None and i == forced[0])
        candidates.append(Candidate(i, float(screen[i, 0]), float(screen[i, 1]),
                                    float(radius[i]), fm.horizontalAdvance(short(g.titles[i])) + 6,
                                    fm.height() + 2, always))
    nodes = np.flatnonzero(pick & (radius >= 2.0))
    if len(nodes) > 4000:
        nodes = nodes[np.argsort(-radius[nodes])[:4000]]
    avoid = [Box(float(screen[i, 0] - radius[i]), float(screen[i, 1] - radius[i]),
                 float(2 * radius[i]), float(2 * radius[i])) for i in nodes.tolist()]
    boxes = place_labels(candidates, frame.width, frame.height,
                         limit=limit or frame.max_labels, avoid=avoid)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    halo = QColor(frame.base)
    halo.setAlpha(200)
    for i, box in boxes.items():
        rect = QRectF(box.x, box.y, box.w, box.h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(halo)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setFont(frame.bold_font if i in g.bold else frame.label_font)
        painter.setPen(frame.text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, short(g.titles[i]))
    return boxes


def draw_hover(painter: QPainter, frame: Frame, index: int, accent: QColor) -> dict[int, Box]:
    """Everything dimmed but ``index``, its links and its neighbours, all named."""
    g = frame.graph
    veil = QColor(frame.base)
    veil.setAlpha(170)
    painter.fillRect(QRectF(0, 0, frame.width, frame.height), veil)
    screen, radius = frame.screen(), frame.radius()
    friends = [j for j in g.neighbours(index) if frame.shown[j]]
    draw_edges(painter, frame, screen, only=list(g.edges_of(index)), colour=accent, width=1.6)
    mask = np.zeros(len(g.paths), dtype=bool)
    mask[friends] = True
    mask[index] = True
    draw_nodes(painter, frame, screen, radius, mask)
    painter.setPen(QPen(accent, 2.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    r = float(radius[index]) + 3
    painter.drawEllipse(QPointF(*screen[index]), r, r)
    order = [index] + sorted(friends, key=lambda j: -g.priority[j])
    return draw_labels(painter, frame, screen, radius, mask, forced=order, limit=40)
