"""The whole vault's link graph as plain lists, for the graph of the vault and its layout.

One pass over every page's resolved links (about half a second for 10k pages and 55k links);
run it off the UI thread. Links to missing pages and to attachments are left out, as are a
page's links to itself; several links between the same two pages are one edge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wiki.vault.facade import Vault


class Cancelled(Exception):
    """The snapshot was no longer wanted (the window closed, the vault changed again)."""


@dataclass
class GraphSnapshot:
    paths: list[str]
    titles: list[str]  # as shown everywhere (told apart by folder when names are shared)
    tags: list[tuple[str, ...]]
    edges: list[tuple[int, int]]  # (source, target) indices into ``paths``, one per pair
    degree: list[int] = field(default_factory=list)  # distinct pages linked to or from

    def __post_init__(self) -> None:
        if not self.degree:
            neighbours: list[set[int]] = [set() for _ in self.paths]
            for a, b in self.edges:
                neighbours[a].add(b)
                neighbours[b].add(a)
            self.degree = [len(s) for s in neighbours]

    def folder(self, index: int) -> str:
        """The top-level folder of a page ("" at the root of the vault)."""
        head, sep, _ = self.paths[index].partition("/")
        return head if sep else ""

    def folders(self) -> list[str]:
        """Every top-level folder with pages, the biggest first ("" for the root)."""
        counts: dict[str, int] = {}
        for i in range(len(self.paths)):
            counts[self.folder(i)] = counts.get(self.folder(i), 0) + 1
        return sorted(counts, key=lambda f: (-counts[f], f.casefold()))

    def has_tag(self, index: int, tag: str) -> bool:
        """Tagged ``tag`` or a tag below it (``area`` matches ``area/home``), any case."""
        want = tag.strip().lstrip("#").casefold()
        return any(t.casefold() == want or t.casefold().startswith(want + "/")
                   for t in self.tags[index])


def snapshot(vault: Vault, should_stop: Callable[[], bool] | None = None) -> GraphSnapshot:
    """Every page and every link between two pages of ``vault`` (any thread)."""
    graph = vault.graph
    with graph.lock:
        infos = [graph.infos[p] for p in sorted(graph.infos)]
        titles = [graph.resolver.label(info.path) for info in infos]
    index = {info.path: i for i, info in enumerate(infos)}
    edges: set[tuple[int, int]] = set()
    for i, info in enumerate(infos):
        if should_stop is not None and i % 500 == 0 and should_stop():
            raise Cancelled()
        for link in graph.outgoing(info.path):
            j = index.get(link.path) if link.path else None
            if j is not None and j != i:
                edges.add((i, j))
    return GraphSnapshot([info.path for info in infos], titles,
                         [info.tags for info in infos], sorted(edges))
