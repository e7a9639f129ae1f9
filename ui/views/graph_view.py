"""A local graph of the open page and its neighbours (QGraphicsView, radial layout)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from ui.views.backlinks_panel import Neighbourhood

MAX_NEIGHBOURS = 24
MAX_LABELLED = 10  # beyond this, names are in tooltips (labels would overlap)
RING = 120.0  # scene units; nodes and labels keep their pixel size at any zoom
LABEL_MARGIN = (75, 34)  # pixels kept free around the rings for labels
NODE_RADIUS = 7.0
LABEL_CHARS = 20
MAX_ZOOM = 1.0
PathKey = 0


def _short(title: str) -> str:
    return title if len(title) <= LABEL_CHARS else title[:LABEL_CHARS - 1] + "…"


class LocalGraph(QGraphicsView):
    """Clicking a node emits ``page_requested(path)``."""

    page_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumHeight(120)
        self.setToolTip("Pages linked from and to this page: click one to open it")
        self.nodes: dict[str, QGraphicsEllipseItem] = {}
        self.hidden_count = 0

    def clear(self) -> None:
        self.scene().clear()
        self.nodes = {}
        self.hidden_count = 0

    def show_neighbourhood(self, hood: Neighbourhood) -> None:
        self.clear()
        outgoing: set[str] = {link.path for link in hood.outgoing
                              if link.path and link.path != hood.path}
        incoming: set[str] = {m.path for m in hood.backlinks if m.path and m.path != hood.path}
        neighbours = sorted(outgoing | incoming,
                            key=lambda p: (p not in (outgoing & incoming),
                                           (hood.titles.get(p) or p).casefold()))
        self.hidden_count = max(0, len(neighbours) - MAX_NEIGHBOURS)
        neighbours = neighbours[:MAX_NEIGHBOURS]
        palette = self.palette()
        text_color = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        muted = QColor(text_color)
        muted.setAlpha(110)
        two_rings = len(neighbours) > 10
        for i, path in enumerate(neighbours):
            angle = 2 * math.pi * i / max(1, len(neighbours)) - math.pi / 2
            radius = RING * (0.62 if two_rings and i % 2 else 1.0)
            pos = QPointF(radius * math.cos(angle), radius * math.sin(angle))
            pen = QPen(accent if path in outgoing else muted, 1.2)
            if path not in outgoing:
                pen.setStyle(Qt.PenStyle.DashLine)
            line = self.scene().addLine(0, 0, pos.x(), pos.y(), pen)
            line.setZValue(-1)
            fill = accent.lighter(150) if path in outgoing else palette.color(
                QPalette.ColorRole.Mid)
            self._add_node(path, hood.titles.get(path, path), pos, fill, text_color,
                           label_below=math.sin(angle) >= -0.2,
                           labelled=len(neighbours) <= MAX_LABELLED)
        centre = self._add_node(hood.path, hood.title, QPointF(0, 0), accent, text_color,
                                label_below=True, size=1.6)
        centre.setToolTip(f"{hood.title} (this page)")
        if self.hidden_count:
            more = self.scene().addSimpleText(f"+{self.hidden_count} more")
            more.setBrush(QBrush(muted))
            more.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            more.setPos(-RING, RING)
        if not neighbours:
            note = self.scene().addSimpleText("no links yet")
            note.setBrush(QBrush(muted))
            note.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            note.setPos(-note.boundingRect().width() / 2, 24)
        self._fit()

    def _add_node(self, path: str, title: str, pos: QPointF, fill: QColor, text: QColor, *,
                  label_below: bool, size: float = 1.0, labelled: bool = True
                  ) -> QGraphicsEllipseItem:
        r = NODE_RADIUS * size
        node = self.scene().addEllipse(QRectF(-r, -r, 2 * r, 2 * r), QPen(fill.darker(140), 1),
                                       QBrush(fill))
        node.setPos(pos)
        node.setData(PathKey, path)
        node.setToolTip(title)
        node.setCursor(Qt.CursorShape.PointingHandCursor)
        node.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        node.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        if labelled:
            label = QGraphicsSimpleTextItem(_short(title), node)
            label.setBrush(QBrush(text))
            font = label.font()
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
            if size > 1:
                font.setBold(True)
            label.setFont(font)
            width = label.boundingRect().width()
            height = label.boundingRect().height()
            label.setPos(-width / 2, r + 2 if label_below else -r - 2 - height)
        self.nodes[path] = node
        return node

    def node_position(self, path: str) -> QPointF:
        """Viewport position of a node's centre (for tests and tooltips)."""
        return QPointF(self.mapFromScene(self.nodes[path].scenePos()))

    def _fit(self) -> None:
        """Scale the rings to the view; nodes and labels keep their size (they ignore the
        view's transformation), so leave a margin in pixels for the labels."""
        extent = RING if len(self.nodes) > 1 else 1.0
        self.setSceneRect(QRectF(-4 * RING, -4 * RING, 8 * RING, 8 * RING))
        width = self.viewport().width() - 2 * LABEL_MARGIN[0]
        height = self.viewport().height() - 2 * LABEL_MARGIN[1]
        scale = max(0.05, min(MAX_ZOOM, width / (2 * extent), height / (2 * extent)))
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(0, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.scene().items():
            self._fit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.itemAt(event.position().toPoint())
            while item is not None and item.data(PathKey) is None:
                item = item.parentItem()
            if item is not None:
                self.page_requested.emit(item.data(PathKey))
                return
        super().mousePressEvent(event)
