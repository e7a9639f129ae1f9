"""The pages phase 1 of a first open read, kept on disk for phase 2 not to read them again.

A first open reads and parses every page twice: phase 1 (first_read.py) for the graph, then
phase 2 (backlog.py) for the search index, in other processes, after the vault is navigable.
Parsing a page (its file, its frontmatter's YAML) is a fifth of what phase 2 costs, so each of
phase 1's worker processes also writes the pages it parsed, a chunk to a file
(``<vault>/.wiki/first-open-pages/``), and phase 2 reads them from there (``StashedReader``).
A page whose file changed since (its time or size) is read again from the file; a chunk that
is missing or unreadable is read from the files. The folder is deleted once the index is
filled, and at the start of every first open, so it never outlives the open that wrote it.

The chunks are ``marshal`` data (strings, numbers, lists: a page's frontmatter is JSON-safe
already), not pickles, and each first open writes into a folder of a random name that only it
knows: a file planted in ``.wiki/`` is never run as code.
"""

from __future__ import annotations

import logging
import marshal
import os
import shutil
import uuid
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wiki.core.model import Page
from wiki.markup.pages import read_page

log = logging.getLogger(__name__)

STASH_DIR = "first-open-pages"
MAX_BYTES = 2 << 30  # a vault whose pages are larger in all is read twice (disk space)
_Row = tuple[Any, ...]
_FIELDS = ("path", "title", "body", "aliases", "tags", "type", "frontmatter", "flags",
           "mtime_ns", "size", "problem")


def worth_keeping(state_dir: Path, page_bytes: int) -> bool:
    """Whether a first open of pages of ``page_bytes`` in all should keep them for phase 2:
    not past MAX_BYTES, and only with room to spare on the disk (the chunks take about as
    much as the pages)."""
    if page_bytes > MAX_BYTES:
        return False
    try:
        free = shutil.disk_usage(state_dir).free
    except OSError:
        return False
    return free >= 4 * page_bytes + (256 << 20)


def new_stash_dir(state_dir: Path) -> Path:
    """A folder for this first open's chunks (the ones of any earlier open are deleted)."""
    clear(state_dir)
    return state_dir / STASH_DIR / uuid.uuid4().hex


def clear(state_dir: Path) -> None:
    """Delete every first open's chunks."""
    shutil.rmtree(state_dir / STASH_DIR, ignore_errors=True)


def chunk_file(stash_dir: Path, number: int) -> Path:
    return stash_dir / f"{number:07d}.marshal"


def _row(page: Page) -> _Row:
    """The page's _FIELDS."""
    return (page.path, page.title, page.body, page.aliases, page.tags, page.type,
            page.frontmatter, page.flags, page.mtime_ns, page.size, page.problem)


def _page(row: _Row) -> Page:
    path, title, body, aliases, tags, type_, frontmatter, flags, mtime_ns, size, problem = row
    return Page(path, title, body, aliases=aliases, tags=tags, type=type_,
                frontmatter=frontmatter, flags=flags, mtime_ns=mtime_ns, size=size,
                problem=problem)


def write_chunk(stash_dir: Path, number: int, pages: Sequence[Page]) -> None:
    """In a phase-1 worker: keep chunk ``number``'s pages (without their links: phase 2
    reads pages with ``links=False``). A failure only costs phase 2 reading them again."""
    target = chunk_file(stash_dir, number)
    tmp = target.with_suffix(".tmp")
    try:
        stash_dir.mkdir(parents=True, exist_ok=True)
        data = marshal.dumps([_row(p) for p in pages])
        with tmp.open("wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except (OSError, ValueError) as exc:  # ValueError: a value marshal cannot write
        log.debug("first open: the pages of chunk %d are not kept (%s)", number, exc)
        tmp.unlink(missing_ok=True)


class StashedReader:
    """``read_page(root, rel, links=False)``, from phase 1's chunk files where they hold the
    page as it is now on disk. Pickles (for the worker processes) without the chunks it loaded.

    ``firsts``: the first path of each chunk, in order (chunks are runs of sorted paths)."""

    def __init__(self, root: Path, stash_dir: Path, firsts: Sequence[str]) -> None:
        self.root = Path(root)
        self.stash_dir = Path(stash_dir)
        self.firsts = list(firsts)
        self._loaded: dict[int, dict[str, _Row]] = {}

    def __getstate__(self) -> dict:
        return {"root": self.root, "stash_dir": self.stash_dir, "firsts": self.firsts}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["root"], state["stash_dir"], state["firsts"])  # type: ignore[misc]

    def __call__(self, rel: str) -> Page:
        row = self._row(rel)
        if row is not None:
            try:
                st = (self.root / rel).stat()
            except OSError:
                st = None
            if st is not None and (st.st_mtime_ns, st.st_size) == (row[8], row[9]):
                return _page(row)
        return read_page(self.root, rel, links=False)

    def _row(self, rel: str) -> _Row | None:
        number = bisect_right(self.firsts, rel) - 1
        if number < 0:
            return None
        rows = self._loaded.get(number)
        if rows is None:
            rows = self._load(number)
            if len(self._loaded) >= 2:  # pages are asked for in path order: two chunks do
                self._loaded.pop(next(iter(self._loaded)))
            self._loaded[number] = rows
        return rows.get(rel)

    def _load(self, number: int) -> dict[str, _Row]:
        try:
            rows = marshal.loads(chunk_file(self.stash_dir, number).read_bytes())
            return {row[0]: tuple(row) for row in rows if len(row) == len(_FIELDS)}
        except Exception:  # noqa: BLE001 - missing, cut short, not ours: read the files
            return {}
