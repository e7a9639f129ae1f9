"""A whole new page table written beside the store's own, and swapped in by one transaction.

A first open or a rebuild reads every page: tens of seconds at 100,000 notes. Holding every
row in memory until the last page was read cost ~0.5 GB there (and the process kept most of
it after); writing them into the live tables as they come would show readers a half graph.
So the rows go, a batch at a time as they are read, into side tables that nothing reads
(``pages_next``, and their link keys unsorted in ``keys_next``); ``finish()`` sorts the keys
into the table backlinks are asked of, and ``swap()`` puts the new tables in the live ones'
place in one transaction, with the meta values the caller gives; ``drop_old()`` then drops the
old ones. Until that commit, every reader (the old graph in this process, a read-only process)
sees the old state whole.

A kill or an exception before the swap leaves the side tables behind, never read: the store
still says ``complete=0`` (the caller sets it before a build), so the next open rebuilds. The
writer's next open drops whatever side tables it finds, and so does every build.

While it runs the store holds both states: a rebuild of 100,000 notes over an existing store
doubles the file (318 -> 639 MB), and SQLite reuses the freed half for later writes rather
than shrinking the file.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence

from wiki.vault.store import (
    KEYS_NEXT,
    KEYS_OLD,
    KEYS_SORTED,
    LINK_KEYS_COLUMNS,
    PAGES_COLUMNS,
    PAGES_NEXT,
    PAGES_OLD,
    SCHEMA_VERSION,
    Store,
    StoredPage,
    new_generation,
    page_row,
)

log = logging.getLogger(__name__)


def start(store: Store) -> StoreRebuild | None:
    """A rebuild with its side tables made, or None when the store cannot be written (damaged
    where its check did not look): the caller resets it and starts again."""
    try:
        return StoreRebuild(store)
    except sqlite3.DatabaseError as exc:
        log.warning("state.sqlite cannot be written (%s): starting it afresh", exc)
        return None


class StoreRebuild:
    """``add()`` batches of rows in path order, then ``finish()`` (no lock needed: nothing
    reads the side tables) and ``swap()`` (under the caller's lock, quick), or ``abandon()``."""

    def __init__(self, store: Store) -> None:
        self._store = store
        db = store.db
        store.drop_side_tables()
        db.execute(f"CREATE TABLE {PAGES_NEXT} {PAGES_COLUMNS}")
        db.execute(f"CREATE TABLE {KEYS_NEXT} (key TEXT NOT NULL, src TEXT NOT NULL)")

    def add(self, rows: Sequence[StoredPage]) -> None:
        """Write these rows into the side tables, one transaction (nobody reads them yet)."""
        if not rows:
            return
        db = self._store.db
        db.execute("BEGIN")
        try:
            db.executemany(f"INSERT INTO {PAGES_NEXT} VALUES (?,?,?,?,?,?,?,?,?,?)",
                           [page_row(s) for s in rows])
            db.executemany(f"INSERT INTO {KEYS_NEXT} VALUES (?, ?)",
                           [(key, s.info.path) for s in rows for key in s.keys])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def finish(self) -> None:
        """Sort the link keys into the table backlinks are asked of (SQLite's sorter, one
        pass: what random inserts into a B-tree would cost several times over)."""
        db = self._store.db
        db.execute("BEGIN")
        try:
            db.execute(f"CREATE TABLE {KEYS_SORTED} {LINK_KEYS_COLUMNS}")
            db.execute(f"INSERT OR IGNORE INTO {KEYS_SORTED} SELECT key, src FROM {KEYS_NEXT} "
                       "ORDER BY key, src")
            db.execute(f"DROP TABLE {KEYS_NEXT}")
            # The index on src is for writers (a page's keys replaced); readers ask by key.
            # Made here, not in swap(), so the swap holds readers up for less: ~0.35 s at
            # 100,000 notes. Index names are the schema's, so the live table's goes first:
            # no writer but this build runs until the swap (or abandon(), which puts it back).
            db.execute("DROP INDEX IF EXISTS link_keys_src")
            db.execute(f"CREATE INDEX link_keys_src ON {KEYS_SORTED} (src)")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def swap(self, meta: dict[str, str]) -> str:
        """Replace the live tables by the new ones and every meta value by ``meta`` (and a
        new generation), in one transaction; the new generation. Call it under the lock that
        keeps this connection's readers out: their tables are dropped here."""
        generation = new_generation()
        db = self._store.db
        db.execute("BEGIN")
        try:
            # renamed, not dropped: dropping them frees every page of the old tables (1.7 s
            # at 100,000 notes), done by drop_old() once readers are let in again
            db.execute(f"ALTER TABLE pages RENAME TO {PAGES_OLD}")
            db.execute(f"ALTER TABLE link_keys RENAME TO {KEYS_OLD}")
            db.execute(f"ALTER TABLE {PAGES_NEXT} RENAME TO pages")
            db.execute(f"ALTER TABLE {KEYS_SORTED} RENAME TO link_keys")  # with its index
            db.execute("DELETE FROM meta")
            db.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("schema", SCHEMA_VERSION), ("generation", generation), *meta.items()])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return generation

    def drop_old(self) -> None:
        """Drop the tables the swap replaced (a kill before leaves them to the next open)."""
        self._store.drop_side_tables()

    def abandon(self) -> None:
        """Drop the side tables (a failed build); the live ones are as they were."""
        try:
            self._store.drop_side_tables()
            self._store.db.execute("CREATE INDEX IF NOT EXISTS link_keys_src ON link_keys (src)")
        except (sqlite3.Error, RuntimeError):  # the next build drops them
            pass
