"""The second phase of a first open: the full-text index, filled in after the vault is navigable.

A first open (or a rebuild) first reads every page for its name, links, aliases and tags and
commits the link graph; pages, links, backlinks and the quick switcher answer from then on. The
pages still missing from the search index are its *backlog*: they are read again from disk and
indexed in growing batches (500, 1,000, 2,000, … up to ``MAX_BATCH``), each its own commit, so
search answers from the first few hundred pages within a second or two and then from more and
more. With several cores and a big backlog, worker processes build the batches (see
wiki/search/parallel.py) while this process indexes the first one. How far it is lives in the
store's ``meta`` table (``search``, ``search_done``, ``search_total``): a read-only process
reads it there, and a first open that was interrupted (app closed, crash) finds
``search=building`` on reopen and indexes only what is still missing.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence

from wiki.core.model import Page
from wiki.search.index import SearchIndex
from wiki.search.parallel import PartBuilder, PartsFailed, parts_dir_of, worker_count
from wiki.vault.store import Store

Progress = Callable[[int, int, str], None]
log = logging.getLogger(__name__)

FIRST_BATCH = 500
MAX_BATCH = 16_000  # a crash loses at most this many pages' indexing work
# In worker processes: each part is one segment, and a worker holds one part's postings
# (about 200 per page, 75 bytes each: 8,000 pages are ~120 MB).
MAX_PART = 8_000
PARALLEL_MIN = 4_000  # a smaller backlog is not worth starting worker processes (~1 s)
BUILDING, DONE = "building", "done"


def pending_meta(total: int) -> dict[str, str]:
    """What the store says once the graph is committed and the search index has (almost)
    everything still to do: committed with the graph (wiki/vault/store_rebuild.py)."""
    return {"search": BUILDING, "search_done": "0", "search_total": str(total)}


def is_pending(store: Store) -> bool:
    return store.get_meta("search") == BUILDING


def stored_progress(store: Store) -> tuple[int, int] | None:
    """(pages indexed, pages in all) while the index is being filled in; None when it is done
    (or was built before this was recorded)."""
    if store.get_meta("search") != BUILDING:
        return None
    try:
        return int(store.get_meta("search_done") or 0), int(store.get_meta("search_total") or 0)
    except ValueError:
        return 0, 0


def progress_text(done: int, total: int) -> str:
    return f"indexed {done:,} of {total:,} pages for search"


def fill_index(index: SearchIndex, store: Store, missing: Sequence[str],
               read: Callable[[str], Page], *, already: int, total: int,
               stop: threading.Event, progress: Progress | None = None,
               on_commit: Callable[[int, int], None] | None = None,
               procs: int | None = None) -> bool:
    """Index the pages at ``missing`` (vault paths, read with ``read``) in growing batches,
    in ``procs`` worker processes (default: one per core) when there are many.

    ``already`` pages are indexed before this starts, out of ``total``. Returns True when all
    were indexed (the store then says ``search=done``), False when ``stop`` was set: what was
    read so far is committed, and a later call goes on from there. ``read`` must pickle (a
    module-level function or a ``functools.partial`` of one) for the worker processes."""
    done = already
    todo = list(missing)
    batch = FIRST_BATCH
    procs = worker_count() if procs is None else procs
    if procs > 1 and len(todo) >= PARALLEL_MIN:
        try:
            return _fill_in_parallel(index, store, todo, read, procs, already=already,
                                     total=total, stop=stop, progress=progress,
                                     on_commit=on_commit)
        except PartsFailed as exc:
            log.warning("search index: %s; indexing the rest in this process", exc)
            indexed = index.all_paths()
            todo = [p for p in todo if p not in indexed]
            done = min(index.doc_count(), total)
    while todo:
        chunk, todo = todo[:batch], todo[batch:]
        base = done

        def pages(chunk: list[str] = chunk) -> Iterator[Page]:
            for rel in chunk:
                if stop.is_set():
                    return
                yield read(rel)  # as the graph has it; one gone since is removed by a refresh

        def batch_progress(n: int, _total: int, _message: str = "", base: int = base) -> None:
            if progress is not None:
                progress(min(base + n, total), total, progress_text(min(base + n, total), total))

        index.build(pages(), total=len(chunk), progress=batch_progress, append=True)
        done = min(index.doc_count(), total)
        store.set_meta("search_done", str(done))
        if on_commit is not None:
            on_commit(done, total)
        if progress is not None:
            progress(done, total, progress_text(done, total))
        if stop.is_set():
            return False
        batch = min(batch * 2, MAX_BATCH)
    store.set_meta("search", DONE)
    store.set_meta("search_done", str(total))
    return True


def part_chunks(paths: Sequence[str], first: int = 2 * FIRST_BATCH,
                largest: int = MAX_PART, procs: int = 1) -> list[list[str]]:
    """``paths`` cut into growing chunks (1,000, 2,000, 4,000, ... up to ``largest``): the
    first parts come back soon, the later ones are few. With ``procs`` workers, what is left
    once it would fit in a part per worker is cut into two equal parts per worker, so that
    the workers finish together instead of one idling while another builds a big last part."""
    chunks: list[list[str]] = []
    size, start = first, 0
    while start < len(paths):
        left = len(paths) - start
        if procs > 1 and left <= largest * procs and size >= largest:
            step = max(first, -(-left // (2 * procs)))
            chunks.extend(list(paths[i:i + step]) for i in range(start, len(paths), step))
            break
        chunks.append(list(paths[start:start + size]))
        start += size
        size = min(size * 2, largest)
    return chunks


def _fill_in_parallel(index: SearchIndex, store: Store, todo: list[str],
                      read: Callable[[str], Page], procs: int, *, already: int, total: int,
                      stop: threading.Event, progress: Progress | None,
                      on_commit: Callable[[int, int], None] | None) -> bool:
    """The backlog built by worker processes, each part adopted by one commit as it is done;
    meanwhile this process indexes the first FIRST_BATCH pages itself (search answers soon)."""
    head, rest = todo[:FIRST_BATCH], todo[FIRST_BATCH:]

    def committed() -> None:
        done = min(index.doc_count(), total)
        store.set_meta("search_done", str(done))
        if on_commit is not None:
            on_commit(done, total)
        if progress is not None:
            progress(done, total, progress_text(done, total))

    def first_batch() -> None:
        def pages() -> Iterator[Page]:
            for rel in head:
                if stop.is_set():
                    return
                yield read(rel)
        index.build(pages(), total=len(head), append=True)
        committed()

    builder = PartBuilder(parts_dir_of(index.index_dir), read, procs)
    for part in builder.run(part_chunks(rest, procs=procs), stop, meanwhile=first_batch):
        index.adopt(part)
        shutil.rmtree(part, ignore_errors=True)
        committed()
    if stop.is_set():
        return False
    store.set_meta("search", DONE)
    store.set_meta("search_done", str(total))
    return True
