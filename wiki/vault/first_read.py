"""Phase 1 of a first open on every core: each page read for its name, links, aliases and tags.

A first open (or a rebuild) must read and parse every page before the vault is navigable; that
is CPU work (frontmatter, the link parser, context lines), one page at a time. ``stored_rows``
hands chunks of paths to worker processes (``spawn``: safe beside the app's threads), each of
which reads its pages and returns the rows the store keeps (``StoredPage``: metadata, encoded
links and their lookup keys); the rows come back in path order, so the result is the same as
reading in this process. Small vaults, one core, or a pool that fails (it cannot start, a
worker dies): the pages are read here instead, from where the workers stopped.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from wiki.core.model import Link
from wiki.markup.pages import make_page_info, read_page
from wiki.search.parallel import worker_count
from wiki.vault.resolve import Resolver
from wiki.vault.store import StoredPage, encode_links

log = logging.getLogger(__name__)

PARALLEL_MIN = 3_000  # fewer pages are read faster than worker processes start (~1 s)
CHUNK = 1_000  # pages per task: progress every chunk, and little to pickle at a time

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
    page = read_page(root, rel)
    return StoredPage(make_page_info(page), page.mtime_ns, page.size, page.problem,
                      encode_links(page.links), link_keys(page.links, page.path))


def rows_of(root: Path, rels: Sequence[str]) -> list[StoredPage]:
    return [stored_row(root, rel) for rel in rels]


def stored_rows(root: Path, paths: Sequence[str], *, procs: int | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[StoredPage]:
    """The rows of the pages at ``paths``, in that order; ``progress(n)`` after each chunk
    with how many are done."""
    procs = worker_count() if procs is None else procs
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
    done = 0
    if procs > 1 and len(paths) >= PARALLEL_MIN:
        ctx = multiprocessing.get_context("spawn")
        try:
            pool = ProcessPoolExecutor(max_workers=procs, mp_context=ctx)
            futures: list[Future[list[StoredPage]]] = [
                pool.submit(rows_of, root, chunk) for chunk in chunks]
        except (OSError, ValueError, RuntimeError) as exc:
            log.warning("reading pages: cannot start worker processes (%s); reading here", exc)
            futures = []
            pool = None
        try:
            for future in futures:
                try:
                    rows = future.result()
                except Exception as exc:  # noqa: BLE001 - a dead worker: read here instead
                    log.warning("reading pages: a worker process failed (%s: %s); reading the "
                                "rest here", type(exc).__name__, exc)
                    break
                yield from rows
                done += len(rows)
                chunks.pop(0)
                if progress is not None:
                    progress(done)
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
    for rel in (rel for chunk in chunks for rel in chunk):
        yield stored_row(root, rel)
        done += 1
        if progress is not None and (done % 250 == 0 or done == len(paths)):
            progress(done)
