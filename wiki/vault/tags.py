"""Every tag of the vault with its pages, nested tags as a tree (``area/home`` under ``area``),
as Obsidian's tags pane shows them: a parent counts the pages tagged with it or any tag below."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wiki.core.model import PageInfo


@dataclass
class TagNode:
    name: str  # the last part: "home"
    tag: str  # the full tag: "area/home"
    pages: set[str] = field(default_factory=set)  # tagged with this tag or one below it
    children: dict[str, TagNode] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.pages)

    def sorted_children(self) -> list[TagNode]:
        return sorted(self.children.values(), key=lambda n: (-n.count, n.name.casefold()))


def _clean(tag: str) -> list[str]:
    return [part for part in tag.strip().lstrip("#").split("/") if part.strip()]


def tag_tree(pages: Iterable[PageInfo]) -> list[TagNode]:
    """The top-level tags, most used first; case is folded as Obsidian does (first spelling
    seen is shown)."""
    roots: dict[str, TagNode] = {}
    for info in pages:
        for tag in info.tags:
            parts = _clean(tag)
            level = roots
            full: list[str] = []
            for part in parts:
                full.append(part)
                key = part.casefold()
                node = level.get(key)
                if node is None:
                    node = level[key] = TagNode(part, "/".join(full))
                node.pages.add(info.path)
                level = node.children
    return sorted(roots.values(), key=lambda n: (-n.count, n.name.casefold()))


def find_tag(tree: list[TagNode], tag: str) -> TagNode | None:
    level = {n.name.casefold(): n for n in tree}
    node = None
    for part in _clean(tag):
        node = level.get(part.casefold())
        if node is None:
            return None
        level = node.children
    return node
