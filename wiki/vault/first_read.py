"""Phase 1 of a first open on every core: each page read for its name, links, aliases and tags.

A first open (or a rebuild) must read and parse every page before the vault is navigable; that
is CPU work (frontmatter, the link parser, context lines), one page at a time. ``stored_rows``
hands chunks of paths to worker processes (``spawn``: safe beside the app's threads), each of
which reads its pages and returns the rows the store keeps (``StoredPage``: metadata, encoded
links and their lookup keys); the rows come back in path order, so the result is the same as
reading in this process. Small vaults, one core, or a pool that fails (it cannot start, a
worker dies): the pages are read here instead, from where the workers stopped. ``read_into``
writes the rows into the store's side tables as they come (wiki/vault/store_rebuild.py) and
keeps only what the graph holds in memory: the rows of every page at once would cost ~0.5 GB
at 100,000 notes.

Starting a worker process and importing the page reader into it costs ~0.15 s of CPU each. The
app knows at launch that the vault has no state yet (it will be read whole): ``warm_up`` starts
the pool as its window shows, so that the workers are ready once the vault's folders are
scanned (they used to start only then), and the first read takes it (or lets it go: too few
pages). One nobody comes for within ``WARM_IDLE_S`` is shut down.
"""

from __future__ import annotations

import itertools
import logging
import marshal
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from wiki.core.model import Link, Page, PageInfo
from wiki.markup.pages import make_page_info, read_page
from wiki.search.parallel import worker_count
from wiki.vault import page_stash
from wiki.vault.resolve import Resolver
from wiki.vault.store import StoredPage, encode_links
from wiki.vault.store_rebuild import StoreRebuild

log = logging.getLogger(__name__)

WARM_IDLE_S = 60.0  # a warm pool not taken by then is shut down
WARM_NICE = 5
PARALLEL_MIN = 3_000  # fewer pages are read faster than worker processes start (~1 s)
CHUNK = 1_000  # pages per task: progress every chunk, and little to pickle at a time
AHEAD = 2  # chunks per worker asked for ahead of the one being handed over
WRITE_BATCH = 2_000  # rows written to the store at a time

_KEYS = Resolver()  # link_keys() depends only on the link and its page, not on the table


def link_keys(links: list[Link], src: str) -> frozenset[str]:
    """Every key the page's links may be found under (what ``LinkGraph.keys_of`` returns)."""
    keys: set[str] = set()
    for link in links:
        if link.target:
            keys.update(_KEYS.link_keys(link.target, src, link.kind))
    return frozenset(keys)


def stored_row(root: Path, rel: str) -> StoredPage:
    """One page read and parsed into the row the store keeps."""
    return row_of(read_page(root, rel))


def row_of(page: Page) -> StoredPage:
    return StoredPage(make_page_info(page), page.mtime_ns, page.size, page.problem,
                      encode_links(page.links), link_keys(page.links, page.path))


def rows_of(root: Path, rels: Sequence[str], stash_dir: Path | None = None,
            number: int = 0) -> list[StoredPage]:
    """The rows of the pages at ``rels``; with ``stash_dir``, the pages are also kept there
    as chunk ``number`` for phase 2 (wiki/vault/page_stash.py)."""
    pages = [read_page(root, rel) for rel in rels]
    rows = [row_of(page) for page in pages]
    if stash_dir is not None:
        page_stash.write_chunk(stash_dir, number, pages)
    return rows


def packed_rows_of(root: Path, rels: Sequence[str], stash_dir: Path | None = None,
                   number: int = 0) -> bytes:
    """``rows_of``, as a worker process hands them over: ``marshal`` bytes of plain tuples
    (``unpack_rows``), which cost half of what pickling the rows' dataclasses did, both ways."""
    return marshal.dumps([(r.info.path, r.info.title, r.info.aliases, r.info.tags, r.info.type,
                           r.info.flags, r.mtime_ns, r.size, r.problem, r.links, r.keys)
                          for r in rows_of(root, rels, stash_dir, number)])


def unpack_rows(data: bytes) -> list[StoredPage]:
    return [StoredPage(PageInfo(path, title, aliases, tags, type_, flags), mtime_ns, size,
                       problem, links, keys)
            for (path, title, aliases, tags, type_, flags, mtime_ns, size, problem, links, keys)
            in marshal.loads(data)]


@dataclass(slots=True)
class ReadPages:
    """What a first open keeps in memory of every page, built beside the graph in use."""
    infos: dict[str, PageInfo] = field(default_factory=dict)
    resolver: Resolver = field(default_factory=Resolver)
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (mtime_ns, size)
    problems: dict[str, str] = field(default_factory=dict)


def read_into(rebuild: StoreRebuild, root: Path, paths: Sequence[str], *,
              progress: Callable[[int], None] | None = None,
              stash_dir: Path | None = None) -> ReadPages:
    """Read every page at ``paths`` (on every core when there are many), writing its row
    into ``rebuild`` a batch at a time as it comes; what the graph holds of each is
    returned. The rows themselves (links, keys) are let go batch by batch. With
    ``stash_dir``, the worker processes keep the pages there too, chunk by chunk (chunk ``n``
    holds ``paths[n * CHUNK:(n + 1) * CHUNK]``)."""
    read = ReadPages()
    batch: list[StoredPage] = []
    for row in stored_rows(root, paths, progress=progress, stash_dir=stash_dir):
        info = row.info
        read.infos[info.path] = info
        read.resolver.add(info)
        read.stats[info.path] = (row.mtime_ns, row.size)
        if row.problem:
            read.problems[info.path] = row.problem
        batch.append(row)
        if len(batch) >= WRITE_BATCH:
            rebuild.add(batch)
            batch = []
    rebuild.add(batch)
    return read


def stored_rows(root: Path, paths: Sequence[str], *, procs: int | None = None,
                progress: Callable[[int], None] | None = None,
                stash_dir: Path | None = None) -> Iterator[StoredPage]:
    """The rows of the pages at ``paths``, in that order; ``progress(n)`` after each chunk
    with how many are done.

    At most ``AHEAD`` chunks per worker are in flight, and a chunk's rows are let go once
    yielded: a caller that writes them away as they come holds a few chunks, never the vault
    (every row of 100,000 notes held at once was ~0.5 GB)."""
    procs = worker_count() if procs is None else procs
    chunks = deque(paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK))
    done = 0
    if procs > 1 and len(paths) >= PARALLEL_MIN:
        rows_of_workers = _rows_from_workers(root, chunks, procs, stash_dir)
        for rows in rows_of_workers:
            yield from rows
            done += len(rows)
            del rows
            if progress is not None:
                progress(done)
    let_go_warm_pool()  # (read here: too few pages for the workers, or they failed)
    for rel in (rel for chunk in chunks for rel in chunk):
        yield stored_row(root, rel)
        done += 1
        if progress is not None and (done % 250 == 0 or done == len(paths)):
            progress(done)


_warm_lock = threading.Lock()
_warm: tuple[ProcessPoolExecutor, int, threading.Timer] | None = None


def worker_started() -> int:
    """What a warm pool's workers run first: unpickling it imports this module, and with it
    the page reader, into each of them."""
    return os.getpid()


def _yield_to_the_window() -> None:
    """A warm pool's workers start while the app paints its window: at a lower priority, they
    take the idle core and leave the window's own (they read at full speed once it waits)."""
    try:
        os.nice(WARM_NICE)
    except (AttributeError, OSError):  # (Windows has no nice)
        pass


def warm_up(procs: int | None = None) -> bool:
    """Start ``procs`` worker processes (one per core) for the first read to come; False when
    there is one core, a pool is already warm, or the processes cannot start."""
    global _warm
    procs = worker_count() if procs is None else procs
    with _warm_lock:
        if procs < 2 or _warm is not None:
            return False
        try:
            pool = ProcessPoolExecutor(max_workers=procs, initializer=_yield_to_the_window,
                                       mp_context=multiprocessing.get_context("spawn"))
            for _ in range(procs):  # each submit starts one more process
                pool.submit(worker_started)
        except (OSError, ValueError, RuntimeError) as exc:
            log.info("reading pages: cannot start worker processes ahead (%s)", exc)
            return False
        timer = threading.Timer(WARM_IDLE_S, let_go_warm_pool)
        timer.daemon = True
        _warm = (pool, procs, timer)
    timer.start()
    return True


def take_warm_pool(procs: int) -> ProcessPoolExecutor | None:
    """The warm pool, when it has ``procs`` workers: the caller's to shut down from then on."""
    global _warm
    with _warm_lock:
        warm, _warm = _warm, None
    if warm is None:
        return None
    pool, size, timer = warm
    timer.cancel()
    if size != procs:
        pool.shutdown(wait=False, cancel_futures=True)
        return None
    return pool


def let_go_warm_pool() -> None:
    """Shut the warm pool down, if there is one (nobody came for it)."""
    global _warm
    with _warm_lock:
        warm, _warm = _warm, None
    if warm is not None:
        warm[2].cancel()
        warm[0].shutdown(wait=False, cancel_futures=True)


def _rows_from_workers(root: Path, chunks: deque[Sequence[str]], procs: int,
                       stash_dir: Path | None = None) -> Iterator[list[StoredPage]]:
    """Each chunk's rows in order, read by ``procs`` worker processes; a chunk is taken off
    ``chunks`` once its rows are handed over, so when the pool fails (it cannot start, a
    worker dies) ``chunks`` holds exactly what is still to read."""
    ctx = multiprocessing.get_context("spawn")
    in_flight: deque[Future[bytes]] = deque()
    pool: ProcessPoolExecutor | None = None
    try:
        pool = take_warm_pool(procs) or ProcessPoolExecutor(max_workers=procs, mp_context=ctx)
        for number, chunk in enumerate(itertools.islice(chunks, procs * AHEAD)):
            in_flight.append(pool.submit(packed_rows_of, root, chunk, stash_dir, number))
    except (OSError, ValueError, RuntimeError) as exc:
        log.warning("reading pages: cannot start worker processes (%s); reading here", exc)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        return
    handed = 0  # chunks taken off ``chunks``: chunks[i] is chunk number handed + i
    try:
        while in_flight:
            try:
                rows = unpack_rows(in_flight.popleft().result())
                if len(in_flight) + 1 < len(chunks):  # keep the workers busy
                    ahead = len(in_flight) + 1
                    in_flight.append(pool.submit(packed_rows_of, root, chunks[ahead],
                                                 stash_dir, handed + ahead))
            except Exception as exc:  # noqa: BLE001 - a dead worker: read here instead
                log.warning("reading pages: a worker process failed (%s: %s); reading the "
                            "rest here", type(exc).__name__, exc)
                return
            chunks.popleft()
            handed += 1
            yield rows
            del rows
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
