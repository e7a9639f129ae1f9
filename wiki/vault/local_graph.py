"""The local graph of a page: its neighbours up to a depth of 1–3, the links among them, and
where to draw them.

Pages are reached by following links both ways, a level at a time. The closest come first, then
the most connected (pages linked to or from the most pages); past ``limit`` the rest are
counted, not shown ("+N more"). The walk stops after ``MAX_REACHED`` pages (a depth of 3 from a
hub reaches the whole vault) and says so. Every link between two shown pages is kept, with its
direction: from the page, to the page, or between two neighbours. The positions come from the
same force layout as the graph of the vault, with the page pinned in the middle and only the
links between levels pulling (so the neighbours spread around it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from wiki.vault.graph_layout import layout

if TYPE_CHECKING:
    from wiki.vault.facade import Vault

LIMIT = 30  # pages shown besides the page itself
MAX_REACHED = 400  # pages the walk visits at most
MAX_DEPTH = 3
FROM_PAGE, TO_PAGE, BETWEEN = 0, 1, 2  # kinds of link


@dataclass
class LocalNode:
    path: str
    title: str
    depth: int  # 0: the page itself
    degree: int  # pages it links to or is linked from, in the whole vault
    linked_from_page: bool = False  # the page links to it
    links_to_page: bool = False  # it links to the page


@dataclass
class LocalGraphData:
    centre: str
    depth: int
    nodes: list[LocalNode] = field(default_factory=list)  # the page first
    edges: list[tuple[int, int, int]] = field(default_factory=list)  # source, target, kind
    hidden: int = 0  # pages reached but not shown
    truncated: bool = False  # the walk stopped at MAX_REACHED: there are more than ``hidden``
    positions: list[tuple[float, float]] = field(default_factory=list)


class _Links:
    """Each page's neighbours, read from the link graph once: a page's links are resolved
    once, however many of the pages it links to are asked about (``index.md`` links to all)."""

    def __init__(self, vault: Vault) -> None:
        self.graph = vault.graph
        self.out: dict[str, set[str]] = {}
        self.into: dict[str, set[str]] = {}

    def targets(self, path: str) -> set[str]:
        found = self.out.get(path)
        if found is None:
            found = {link.path for link in self.graph.outgoing(path)
                     if link.path and link.path != path and link.path in self.graph.infos}
            self.out[path] = found
        return found

    def sources(self, path: str) -> set[str]:
        found = self.into.get(path)
        if found is None:
            found = {src for src in self.graph.possible_sources(path)
                     if src != path and path in self.targets(src)}
            self.into[path] = found
        return found

    def neighbours(self, path: str) -> set[str]:
        return self.targets(path) | self.sources(path)


def local_graph(vault: Vault, path: str, depth: int = 1, limit: int = LIMIT) -> LocalGraphData:
    """The page at ``path`` and its neighbourhood (any thread; a few ms at depth 1)."""
    depth = max(1, min(MAX_DEPTH, depth))
    data = LocalGraphData(path, depth)
    if vault.page_info(path) is None:
        return data
    links = _Links(vault)
    reached: dict[str, int] = {path: 0}
    frontier = [path]
    for level in range(1, depth + 1):
        following: list[str] = []
        for page in frontier:
            for other in sorted(links.neighbours(page)):
                if other in reached:
                    continue
                if len(reached) >= MAX_REACHED:
                    data.truncated = True
                    break
                reached[other] = level
                following.append(other)
        frontier = following
    degree = {p: len(links.neighbours(p)) for p in reached}
    titles = {p: vault.label(p) for p in reached}
    others = sorted((p for p in reached if p != path),
                    key=lambda p: (reached[p], -degree[p], titles[p].casefold(), p))
    shown = [path] + others[:limit]
    data.hidden = len(others) - (len(shown) - 1)
    out_of_page, into_page = links.targets(path), links.sources(path)
    for p in shown:
        data.nodes.append(LocalNode(p, titles[p], reached[p], degree[p],
                                    p in out_of_page, p in into_page))
    at = {p: i for i, p in enumerate(shown)}
    for i, p in enumerate(shown):
        for q in sorted(links.targets(p)):
            j = at.get(q)
            if j is None:
                continue
            kind = FROM_PAGE if i == 0 else TO_PAGE if j == 0 else BETWEEN
            data.edges.append((i, j, kind))
    data.positions = _positions(data)
    return data


def _positions(data: LocalGraphData) -> list[tuple[float, float]]:
    """Rings by depth to start from, then the force layout with the page pinned at 0, 0."""
    n = len(data.nodes)
    start = np.zeros((n, 2))
    by_depth: dict[int, list[int]] = {}
    for i, node in enumerate(data.nodes[1:], start=1):
        by_depth.setdefault(node.depth, []).append(i)
    for level, members in by_depth.items():
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / len(members) + level * 0.5
            start[i] = (level * 6 * math.cos(angle), level * 6 * math.sin(angle))
    # only links between levels pull: neighbours linked among themselves (often all of them,
    # through a hub) would otherwise fold into one ball; those links are still drawn
    depth = [node.depth for node in data.nodes]
    pulling = [(a, b) for a, b, _ in data.edges if depth[a] != depth[b]]
    pos = layout(n, pulling, iterations=200, initial=start, pinned={0: (0.0, 0.0)})
    return [(float(x), float(y)) for x, y in pos]
