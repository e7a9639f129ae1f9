"""Attachments: every non-Markdown file of the vault, found by name the way Obsidian finds them.

``![[diagram.png]]`` or ``[[report.pdf]]`` names a file anywhere in the vault: first the exact
path (from the linking page's folder, then from the root), then any file of that name, the one
closest to the root winning. The list of files is read lazily, once, and again (at most every few
seconds) when a name is not found, since the watcher follows only pages.
"""

from __future__ import annotations

import os
import threading
import time
import unicodedata
from pathlib import Path

from wiki.core.fileio import inside
from wiki.core.rules import has_page_suffix, is_hidden_part, normalize_rel

RESCAN_AFTER = 3.0  # seconds: a miss rescans the vault at most this often
MAX_FILES = 200_000  # a vault with more attachments than this is only partly known


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip()).casefold()


def _rank(path: str) -> tuple[int, int, str]:
    return (path.count("/"), len(path), path)


class Attachments:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._by_path: dict[str, str] = {}  # folded path -> path
        self._by_name: dict[str, list[str]] = {}  # folded file name -> paths
        self._scanned_at: float | None = None
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._scanned_at = None

    def find(self, name: str, source: str = "") -> str | None:
        """The vault path of attachment ``name`` linked from page ``source``, or None."""
        name = name.strip().replace("\\", "/")
        if not name or has_page_suffix(name):
            return None
        found = self._lookup(name, source)
        if found is None and self._stale():
            self._scan()
            found = self._lookup(name, source)
        return found

    def _stale(self) -> bool:
        return self._scanned_at is None or time.monotonic() - self._scanned_at > RESCAN_AFTER

    def _lookup(self, name: str, source: str) -> str | None:
        if self._scanned_at is None:
            self._scan()
        folder = source.rpartition("/")[0]
        candidates = []
        if folder and not name.startswith("/"):
            candidates.append(normalize_rel(f"{folder}/{name}"))
        candidates.append(normalize_rel(name))
        with self._lock:
            for rel in candidates:
                if rel is not None and _fold(rel) in self._by_path:
                    return self._by_path[_fold(rel)]
            if "/" in name.strip("/"):
                folded = _fold(name.strip("/"))
                ends = [p for k, p in self._by_path.items() if k.endswith("/" + folded)]
                return min(ends, key=_rank) if ends else None
            paths = self._by_name.get(_fold(name.rpartition("/")[2]))
            return min(paths, key=_rank) if paths else None

    def _scan(self) -> None:
        by_path: dict[str, str] = {}
        by_name: dict[str, list[str]] = {}
        root_real = os.path.realpath(self.root)
        stack = [(root_real, "")]
        seen = {root_real}
        while stack and len(by_path) < MAX_FILES:
            real_dir, prefix = stack.pop()
            try:
                with os.scandir(real_dir) as it:
                    entries = list(it)
            except OSError:
                continue
            for entry in entries:
                if is_hidden_part(entry.name):
                    continue
                rel = prefix + entry.name
                try:
                    if entry.is_dir(follow_symlinks=True):
                        real = os.path.realpath(entry.path)
                        if inside(real, root_real) and real not in seen:
                            seen.add(real)
                            stack.append((real, rel + "/"))
                    elif not has_page_suffix(entry.name) and entry.is_file(follow_symlinks=True):
                        if entry.is_symlink() and not inside(os.path.realpath(entry.path),
                                                             root_real):
                            continue
                        by_path[_fold(rel)] = rel
                        by_name.setdefault(_fold(entry.name), []).append(rel)
                except OSError:
                    continue
        with self._lock:
            self._by_path, self._by_name = by_path, by_name
            self._scanned_at = time.monotonic()
