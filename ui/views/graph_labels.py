"""Where the graph's labels go so that none overlaps another (no Qt here: plain rectangles).

Labels are placed greedily in the order given (the most connected page first): below its node,
else above, right, left or at a corner; a label that fits nowhere is not drawn (the
node's tooltip and hover still name it), unless it must be (the page itself). A coarse grid
of buckets keeps each test to the labels nearby, so a few hundred labels cost well under a
millisecond each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

GAP = 2.0  # pixels between a node and its label
BUCKET = 64.0  # pixels a side of the grid cells that index the labels placed


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)

    def inside(self, width: float, height: float) -> bool:
        return self.x >= 0 and self.y >= 0 and self.x + self.w <= width \
            and self.y + self.h <= height


@dataclass(frozen=True, slots=True)
class Candidate:
    key: int  # the node
    x: float  # its centre on screen
    y: float
    radius: float  # its radius on screen
    w: float  # the label's size in pixels
    h: float
    always: bool = False  # labelled even over other nodes (the page itself, the hovered node)


def _spots(c: Candidate) -> list[Box]:
    below = Box(c.x - c.w / 2, c.y + c.radius + GAP, c.w, c.h)
    above = Box(c.x - c.w / 2, c.y - c.radius - GAP - c.h, c.w, c.h)
    right = Box(c.x + c.radius + GAP, c.y - c.h / 2, c.w, c.h)
    left = Box(c.x - c.radius - GAP - c.w, c.y - c.h / 2, c.w, c.h)
    d = c.radius * 0.7 + GAP
    corners = [Box(c.x + d, c.y + d, c.w, c.h), Box(c.x - d - c.w, c.y + d, c.w, c.h),
               Box(c.x + d, c.y - d - c.h, c.w, c.h), Box(c.x - d - c.w, c.y - d - c.h, c.w, c.h)]
    return [below, above, right, left, *corners]


class _Grid:
    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = defaultdict(list)

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        x0, x1 = int(box.x // BUCKET), int((box.x + box.w) // BUCKET)
        y0, y1 = int(box.y // BUCKET), int((box.y + box.h) // BUCKET)
        return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]

    def free(self, box: Box) -> bool:
        return not any(box.overlaps(other) for key in self._keys(box)
                       for other in self.cells.get(key, ()))

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self.cells[key].append(box)


def place_labels(candidates: list[Candidate], width: float, height: float, *,
                 limit: int = 200, avoid: list[Box] | None = None) -> dict[int, Box]:
    """Label boxes by node, none overlapping another nor any box in ``avoid`` (the nodes
    themselves), all inside the ``width`` × ``height`` view; at most ``limit`` of them."""
    placed: dict[int, Box] = {}
    grid = _Grid()
    for box in avoid or ():
        grid.add(box)
    for c in candidates:
        if len(placed) >= limit:
            break
        spots = [spot for spot in _spots(c) if spot.inside(width, height)]
        chosen = next((spot for spot in spots if grid.free(spot)), None)
        if chosen is None and c.always and spots:
            chosen = spots[0]
        if chosen is not None:
            grid.add(chosen)
            placed[c.key] = chosen
    return placed
