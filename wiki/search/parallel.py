"""Building the search index on every core: worker processes build parts, one commit adds each.

Whoosh writes a segment in one process, and a bulk build is CPU-bound (analysis, postings), so a
single writer leaves the other cores idle. ``PartBuilder`` runs a pool of worker processes
(``spawn``: safe beside the app's threads, the same on every platform); each takes a chunk of
vault paths, reads the pages itself (the main process neither reads nor pickles their text) and
builds them with a ``SearchIndex`` of its own into a part folder beside the index, with the same
bulk writer, analysis and fallbacks as a build in the main process. As each part is done, the
main process adopts its segments by one commit (``SearchIndex.adopt``: files moved, no rewrite),
so search answers from more and more pages while the rest are built.

A stop request (``threading.Event``) reaches the workers through a process-shared event: each
commits what it has read and returns, and those parts are adopted too, so an interrupted build
goes on later from what was committed. Anything wrong with the pool (it cannot start, a worker
dies) raises ``PartsFailed``; the caller then builds the rest in its own process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from wiki.core.model import Page

log = logging.getLogger(__name__)

MAX_PROCS = 4  # past this, reading files and committing parts is the bottleneck
POLL_SECONDS = 0.1  # how often the main process looks at the stop request

_worker_stop: Any = None  # the process-shared stop event, in a worker process


class PartsFailed(Exception):
    """The worker processes could not build their parts; build the rest in this process."""


def worker_count() -> int:
    """How many worker processes a build uses: one per core, at most MAX_PROCS."""
    return max(1, min(os.cpu_count() or 1, MAX_PROCS))


def parts_dir_of(index_dir: Path) -> Path:
    """Where the parts of ``index_dir`` are built: beside it, on the same disk (parts are
    moved into the index, never copied)."""
    return index_dir.with_name(index_dir.name + "-parts")


def _init_worker(stop: Any) -> None:
    global _worker_stop
    _worker_stop = stop


def build_part(part_dir: str, paths: Sequence[str], read: Callable[[str], Page]) -> int:
    """In a worker process: index the pages at ``paths`` into a new index in ``part_dir``.
    Returns how many were indexed (fewer when the build was asked to stop)."""
    from wiki.search.index import SearchIndex  # imported in the worker, not by its parent

    def pages() -> Iterator[Page]:
        for rel in paths:
            if _worker_stop is not None and _worker_stop.is_set():
                return
            yield read(rel)

    index = SearchIndex(Path(part_dir))
    index.open()
    try:
        index.build(pages(), total=len(paths))
        return index.doc_count()
    finally:
        index.close()


class PartBuilder:
    """A pool of worker processes building chunks of pages into part indexes."""

    def __init__(self, parts_dir: Path, read: Callable[[str], Page],
                 procs: int | None = None) -> None:
        self.parts_dir = parts_dir
        self.read = read  # must pickle: a module-level function or a functools.partial of one
        self.procs = procs or worker_count()

    def clear(self) -> None:
        """Remove parts left by a build that was killed (they were never adopted)."""
        shutil.rmtree(self.parts_dir, ignore_errors=True)

    def run(self, chunks: Sequence[Sequence[str]], stop: threading.Event,
            meanwhile: Callable[[], None] | None = None) -> Iterator[Path]:
        """Build every chunk in the workers; yield each part's folder as it is done (in the
        order they finish), for the caller to adopt and then delete. ``meanwhile`` runs in
        this process once the chunks are handed out (e.g. a first small batch of its own).
        Stops early when ``stop`` is set: parts already begun are still yielded."""
        self.clear()
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        ctx = multiprocessing.get_context("spawn")
        try:
            worker_stop = ctx.Event()
            pool = ProcessPoolExecutor(max_workers=self.procs, mp_context=ctx,
                                       initializer=_init_worker, initargs=(worker_stop,))
        except (OSError, ValueError, RuntimeError) as exc:
            raise PartsFailed(f"cannot start worker processes: {exc}") from exc
        pending: dict[Future[int], Path] = {}
        try:
            for chunk in chunks:
                part = self.parts_dir / uuid.uuid4().hex
                pending[pool.submit(build_part, str(part), list(chunk), self.read)] = part
            if meanwhile is not None:
                meanwhile()
            while pending:
                if stop.is_set() and not worker_stop.is_set():
                    worker_stop.set()  # running parts commit what they have read
                    for future in pending:
                        future.cancel()  # those not started are dropped
                done, _ = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                for future in done:
                    part = pending.pop(future)
                    if future.cancelled():
                        continue
                    try:
                        future.result()
                    except Exception as exc:  # noqa: BLE001 - a dead worker, a full disk
                        raise PartsFailed(f"a worker process failed: {type(exc).__name__}: "
                                          f"{exc}") from exc
                    yield part
        finally:
            worker_stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            self.clear()
