"""Bookmarks in Obsidian's own format, so a vault bookmarked in either program shows the same
list in both.

Obsidian (the core Bookmarks plugin) keeps them in ``.obsidian/bookmarks.json``::

    {"items": [{"type": "file", "ctime": 1700000000000, "path": "notes/Beta.md"},
               {"type": "group", "ctime": ..., "title": "Reading", "items": [...]},
               {"type": "search", "ctime": ..., "query": "tag:#idea"}, ...]}

Only ``file`` items without a ``subpath`` are "this page is bookmarked"; everything else
(groups, searches, folders, headings, URLs, keys we do not know) is kept exactly as it was when
the list is written back. A file that is not this shape is never overwritten: the toggle says
why it cannot change it. ``BookmarkList`` is the parsed document; ``read_file`` and
``toggle_in_file`` are the disk side (bounded read, atomic write), for the worker thread.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wiki.core.fileio import Unreadable, atomic_write, read_text

OBSIDIAN_DIR = ".obsidian"
BOOKMARKS_JSON = Path(OBSIDIAN_DIR) / "bookmarks.json"
MAX_BOOKMARKS_BYTES = 4 << 20


class BookmarkError(Exception):
    """The bookmarks cannot be read or changed; ``str(e)`` is one line for the user."""


@dataclass(frozen=True, slots=True)
class Bookmark:
    path: str  # vault-relative, as Obsidian writes it
    title: str = ""  # the title the user gave it in Obsidian, or ""
    subpath: str = ""  # "#Heading" or "#^block" for a bookmark inside a page
    group: str = ""  # "Reading / Later" for one inside groups


@dataclass
class BookmarkList:
    data: dict[str, Any] = field(default_factory=lambda: {"items": []})

    @classmethod
    def parse(cls, text: str) -> BookmarkList:
        """The document in ``text`` (empty: no bookmarks). Raises ``BookmarkError``."""
        if not text.strip():
            return cls()
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise BookmarkError(f"it is not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise BookmarkError("it is not a JSON object")
        items = data.setdefault("items", [])
        if not isinstance(items, list):
            raise BookmarkError("its \"items\" is not a list")
        return cls(data)

    def dumps(self) -> str:
        return json.dumps(self.data, indent=2, ensure_ascii=False) + "\n"

    def files(self) -> list[Bookmark]:
        """Every bookmarked page (groups flattened, in order)."""
        found: list[Bookmark] = []

        def walk(items: list, group: str) -> None:
            for item in items:
                if not isinstance(item, dict):
                    continue
                kind = item.get("type")
                if kind == "group" and isinstance(item.get("items"), list):
                    title = str(item.get("title") or "Group")
                    walk(item["items"], f"{group} / {title}" if group else title)
                elif kind == "file" and isinstance(item.get("path"), str):
                    found.append(Bookmark(item["path"], str(item.get("title") or ""),
                                          str(item.get("subpath") or ""), group))

        walk(self.data["items"], "")
        return found

    def has(self, path: str) -> bool:
        return any(b.path == path and not b.subpath for b in self.files())

    def toggle(self, path: str, *, now_ms: int | None = None) -> bool:
        """Bookmark ``path`` (at the end of the list), or drop every bookmark of that whole
        page wherever it is (groups too). True when it is bookmarked now."""
        removed = False

        def prune(items: list) -> list:
            nonlocal removed
            kept = []
            for item in items:
                if isinstance(item, dict) and item.get("type") == "file" \
                        and item.get("path") == path and not item.get("subpath"):
                    removed = True
                    continue
                if isinstance(item, dict) and item.get("type") == "group" \
                        and isinstance(item.get("items"), list):
                    item["items"] = prune(item["items"])
                kept.append(item)
            return kept

        self.data["items"] = prune(self.data["items"])
        if removed:
            return False
        stamp = now_ms if now_ms is not None else int(time.time() * 1000)
        self.data["items"].append({"type": "file", "ctime": stamp, "path": path})
        return True


def obsidian_file(root: Path | str) -> Path | None:
    """``.obsidian/bookmarks.json`` when the vault is an Obsidian vault, else None."""
    folder = Path(root) / OBSIDIAN_DIR
    return Path(root) / BOOKMARKS_JSON if folder.is_dir() else None


def read_file(file: Path) -> BookmarkList:
    """The bookmarks in ``file`` (missing: none). Raises ``BookmarkError``."""
    try:
        decoded = read_text(file, max_bytes=MAX_BOOKMARKS_BYTES)
    except Unreadable as exc:
        if str(exc) == "file not found":
            return BookmarkList()
        raise BookmarkError(f"{file.name} cannot be read: {exc}") from None
    if decoded.binary or decoded.lossy:
        raise BookmarkError(f"{file.name} was left unchanged: it is not UTF-8 text")
    try:
        return BookmarkList.parse(decoded.text)
    except BookmarkError as exc:
        raise BookmarkError(f"{file.name} was left unchanged: {exc}") from None


def toggle_in_file(file: Path, path: str) -> tuple[bool, BookmarkList]:
    """Read ``file`` fresh (Obsidian may have changed it), toggle ``path``, write it back
    atomically. (bookmarked now, the list). A file we cannot parse is not touched."""
    bookmarks = read_file(file)
    added = bookmarks.toggle(path)
    try:
        atomic_write(file, bookmarks.dumps())
    except OSError as exc:
        raise BookmarkError(f"{file.name} could not be written: {exc.strerror or exc}") from None
    return added, bookmarks
