"""The second phase of a first open: the full-text index, filled in after the vault is navigable.

A first open (or a rebuild) first reads every page for its name, links, aliases and tags and
commits the link graph; pages, links, backlinks and the quick switcher answer from then on. The
pages still missing from the search index are its *backlog*: they are read again from disk and
indexed in growing batches (500, 1,000, 2,000, … up to ``MAX_BATCH``), each its own commit, so
search answers from the first few hundred pages within a second or two and then from more and
more. How far it is lives in the store's ``meta`` table (``search``, ``search_done``,
``search_total``): a read-only process reads it there, and a first open that was interrupted
(app closed, crash) finds ``search=building`` on reopen and indexes only what is still missing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence

from wiki.core.model import Page
from wiki.search.index import SearchIndex
from wiki.vault.store import Store

Progress = Callable[[int, int, str], None]

FIRST_BATCH = 500
MAX_BATCH = 16_000  # a crash loses at most this many pages' indexing work
BUILDING, DONE = "building", "done"


def mark_pending(store: Store, total: int) -> None:
    """The graph is committed; the search index has (almost) everything still to do."""
    store.set_meta("search", BUILDING)
    store.set_meta("search_done", "0")
    store.set_meta("search_total", str(total))


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
               on_commit: Callable[[int, int], None] | None = None) -> bool:
    """Index the pages at ``missing`` (vault paths, read with ``read``) in growing batches.

    ``already`` pages are indexed before this starts, out of ``total``. Returns True when all
    were indexed (the store then says ``search=done``), False when ``stop`` was set: what was
    read so far is committed, and a later call goes on from there."""
    done = already
    todo = list(missing)
    batch = FIRST_BATCH
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
