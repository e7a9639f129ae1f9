"""A whole new page table written beside the store's own, and swapped in by one transaction.

A first open or a rebuild reads every page: tens of seconds at 100,000 notes. Holding every
row in memory until the last page was read cost ~0.5 GB there (and the process kept most of
it after); writing them into the live tables as they come would show readers a half graph.
So the rows go, a batch at a time as they are read, into side tables that nothing reads
(``pages_next``, and their link keys unsorted in ``keys_next``); ``finish()`` sorts the keys
into the table backlinks are asked of, and ``swap()`` replaces the live tables with them in
one transaction, with the meta values the caller gives. Until that commit, every reader (the
old graph in this process, a read-only process) sees the old state whole.

A kill or an exception before the swap leaves the side tables behind, never read: the store
still says ``complete=0`` (the caller sets it before a build), so the next open rebuilds, and
every build starts by dropping what an earlier one left.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from wiki.vault.store import (
    KEYS_NEXT,
    KEYS_SORTED,
    LINK_KEYS_COLUMNS,
    PAGES_COLUMNS,
    PAGES_NEXT,
    SCHEMA_VERSION,
    SIDE_TABLES,
    Store,
    StoredPage,
    new_generation,
    page_row,
)


def drop_leftovers(db: sqlite3.Connection) -> None:
    """Drop the side tables of a build that did not finish (killed, failed)."""
    for table in SIDE_TABLES:
        db.execute(f"DROP TABLE IF EXISTS {table}")


class StoreRebuild:
    """``add()`` batches of rows in path order, then ``finish()`` (no lock needed: nothing
    reads the side tables) and ``swap()`` (under the caller's lock, quick), or ``abandon()``."""

    def __init__(self, store: Store) -> None:
        self._store = store
        db = store.db
        drop_leftovers(db)
        db.execute(f"CREATE TABLE {PAGES_NEXT} {PAGES_COLUMNS}")
        db.execute(f"CREATE TABLE {KEYS_NEXT} (key TEXT NOT NULL, src TEXT NOT NULL)")
        self.pages = 0

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
        self.pages += len(rows)

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
            db.execute("DROP TABLE pages")
            db.execute("DROP TABLE link_keys")  # and its index on src
            db.execute(f"ALTER TABLE {PAGES_NEXT} RENAME TO pages")
            db.execute(f"ALTER TABLE {KEYS_SORTED} RENAME TO link_keys")
            db.execute("CREATE INDEX link_keys_src ON link_keys (src)")
            db.execute("DELETE FROM meta")
            db.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("schema", SCHEMA_VERSION), ("generation", generation), *meta.items()])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return generation

    def abandon(self) -> None:
        """Drop the side tables (a failed build); the live ones are untouched."""
        try:
            drop_leftovers(self._store.db)
        except (sqlite3.Error, RuntimeError):  # the next build drops them
            pass
