"""What reopening a vault needs of its graph, saved in one file: ``.wiki/reopen-cache.bin``.

Loading every page's row from SQLite and folding its names into the resolver's tables again
took about 6 s at 100,000 notes. The writer saves, from its graph, every page's metadata and
stat and the resolver's tables (plain strings, tuples and frozensets, written with ``marshal``:
the fastest format Python reads back, ~30 ns an object) together with the store's generation
(``Store.generation``); a reopen whose store is still at that generation loads this file instead.

It is a cache of a cache: a file of another format, of another generation, truncated or with a
wrong checksum is ignored (the graph is then read from the store, and the file saved again).
The payload is checked by its CRC-32 before ``marshal`` reads it, so damaged bytes never reach
it. Saved atomically (a kill leaves the old file, of an older generation, never half of one).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import marshal
import os
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from wiki.core.fileio import atomic_write
from wiki.core.model import PageInfo

log = logging.getLogger(__name__)

FILE_NAME = "reopen-cache.bin"
MAGIC = b"CPRC"
FORMAT = 2  # raise when the payload's layout changes
# magic, format, crc32 of the payload, payload length, the store generation it was saved from
_HEADER = struct.Struct("<4sIIQ64s")
MARSHAL_VERSION = 4  # shares repeated objects (a path is one object in every table)


@dataclass(slots=True)
class GraphState:
    """The graph of one store generation, as the facade holds it."""

    generation: str
    infos: dict[str, PageInfo]
    stats: dict[str, tuple[int, int]]  # path -> (mtime_ns, size)
    problems: dict[str, str]
    tables: dict  # Resolver.export()


def save(path: Path, state: GraphState) -> None:
    """Write ``state`` to ``path``; an OSError is logged, never raised (it only costs speed)."""
    infos = list(state.infos.values())
    stats = state.stats
    try:
        payload = marshal.dumps((
            state.generation,
            [i.path for i in infos], [i.title for i in infos], [i.aliases for i in infos],
            [i.tags for i in infos], [i.type for i in infos], [i.flags for i in infos],
            stats, state.problems, state.tables,
        ), MARSHAL_VERSION)
    except ValueError as exc:  # a value marshal cannot write: no cache, a slower open
        log.warning("cannot save %s (%s)", path, exc)
        return
    header = _HEADER.pack(MAGIC, FORMAT, zlib.crc32(payload), len(payload),
                          state.generation.encode("utf-8"))
    try:
        atomic_write(path, header + payload, durable=False)
    except OSError as exc:
        log.info("cannot save %s (%s): the next open reads the store", path, exc)


def load(path: Path, generation: str | None) -> GraphState | None:
    """The state saved for ``generation``, or None (missing, stale, damaged, other format)."""
    if generation is None:
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEADER.size)
            if len(head) < _HEADER.size:
                return None
            magic, fmt, crc, length, saved_for = _HEADER.unpack(head)
            if magic != MAGIC or fmt != FORMAT \
                    or saved_for.rstrip(b"\0") != generation.encode("utf-8"):
                return None  # another generation: not even read
            payload = fh.read(length + 1)
    except OSError:
        return None
    if length != len(payload) or zlib.crc32(payload) != crc:
        return None
    with gc_paused():
        try:
            (saved, paths, titles, aliases, tags, types, flags, stats, problems,
             tables) = marshal.loads(payload)
            if saved != generation:
                return None
            make = _page_info
            infos = {p: make(p, t, a, g, k, f)
                     for p, t, a, g, k, f in zip(paths, titles, aliases, tags, types, flags,
                                                 strict=True)}
            if not isinstance(stats, dict) or len(stats) != len(infos):
                return None
            return GraphState(saved, infos, stats, problems, tables)
        except (ValueError, TypeError, EOFError) as exc:  # a layout this code does not know
            log.info("ignoring %s (%s)", path, exc)
            return None


def _page_info_maker() -> Callable[[str, str, tuple, tuple, str | None, tuple], PageInfo]:
    """``PageInfo(path, title, aliases, tags, type, flags)``, made by setting its slots
    directly: a frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__`` (1.1 µs a page, a tenth of a 100k reopen); the slots' own
    descriptors do the same in 0.45 µs. Plain ``PageInfo`` should its fields ever differ."""
    names = ("path", "title", "aliases", "tags", "type", "flags")
    if tuple(f.name for f in dataclasses.fields(PageInfo)) != names \
            or getattr(PageInfo, "__slots__", None) != names:
        return PageInfo
    s_path, s_title, s_aliases, s_tags, s_type, s_flags = (
        getattr(PageInfo, n).__set__ for n in names)
    new = object.__new__

    def make(path: str, title: str, aliases: tuple, tags: tuple, type_: str | None,
             flags: tuple) -> PageInfo:
        info = new(PageInfo)
        s_path(info, path)
        s_title(info, title)
        s_aliases(info, aliases)
        s_tags(info, tags)
        s_type(info, type_)
        s_flags(info, flags)
        return info

    return make


_page_info = _page_info_maker()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a few million objects that form no cycle are made:
    each collection would walk all the objects made so far (a third of the load time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def forget(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
