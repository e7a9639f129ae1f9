"""The whole vault's link graph as plain lists, for the graph of the vault and its layout.

One pass over every page's resolved links (about half a second for 10k pages and 55k links);
run it off the UI thread. Links to missing pages and to attachments are left out, as are a
page's links to itself; several links between the same two pages are one edge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

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
        """What the views need, worked out here, on the thread that reads the snapshot."""
        self.edge_array = np.array(self.edges, dtype=np.int64).reshape(-1, 2)
        if not self.degree:
            pairs = np.unique(np.sort(self.edge_array, axis=1), axis=0)
            self.degree = np.bincount(pairs.ravel(), minlength=len(self.paths)).tolist()
        self.folder_of = [p.partition("/")[0] if "/" in p else "" for p in self.paths]
        self.folder_counts: dict[str, int] = {}
        for folder in self.folder_of:
            self.folder_counts[folder] = self.folder_counts.get(folder, 0) + 1
        self.all_tags = sorted({t for tags in self.tags for t in tags}, key=str.casefold)

    def folder(self, index: int) -> str:
        """The top-level folder of a page ("" at the root of the vault)."""
        return self.folder_of[index]

    def folders(self) -> list[str]:
        """Every top-level folder with pages, the biggest first ("" for the root)."""
        counts = self.folder_counts
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
