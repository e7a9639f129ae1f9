"""The persisted page table and link graph: SQLite in ``<vault>/.wiki/state.sqlite``.

A disposable cache like the search index: a schema version in ``meta``; on mismatch or damage the
file is dropped and rebuilt from the pages. Each page's outgoing links are replaced wholesale on
every change (no diffing), stored as one encoded value per page, and the lookup keys they can be
found under are rows of ``link_keys`` (key, page), indexed both ways: backlinks are asked of
SQLite, so no link and no key is held in Python for a page nobody looks at, and a page's links
are decoded only when somebody looks at them. ``meta.generation`` counts the committed batches:
what was saved from the graph of one generation (``wiki.vault.reopen_cache``) is valid exactly
while the store is at that generation.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from wiki.core.model import Link, PageInfo

SCHEMA_VERSION = "8"  # 6: a page is named by its file name; 7: only valid Obsidian tags;
# 8: link keys in their own table
KEY_SEP = "\x1f"

PAGES_COLUMNS = """(
    path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL,
    title TEXT NOT NULL, aliases TEXT NOT NULL, tags TEXT NOT NULL, type TEXT,
    flags TEXT NOT NULL, problem TEXT, links TEXT NOT NULL
)"""
LINK_KEYS_COLUMNS = "(key TEXT NOT NULL, src TEXT NOT NULL, PRIMARY KEY (key, src)) WITHOUT ROWID"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages {PAGES_COLUMNS};
CREATE TABLE IF NOT EXISTS link_keys {LINK_KEYS_COLUMNS};
CREATE INDEX IF NOT EXISTS link_keys_src ON link_keys (src);
"""
# the tables of a rebuild not swapped in yet (wiki/vault/store_rebuild.py)
SIDE_TABLES = PAGES_NEXT, KEYS_NEXT, KEYS_SORTED, PAGES_OLD, KEYS_OLD = (
    "pages_next", "keys_next", "link_keys_next", "pages_old", "link_keys_old")
BIG_BATCH = 20_000  # link keys from which a batch rebuilds the page index of link_keys
_MAX_VARS = 500  # keys per query (SQLite allows 32,766 variables; a page has a few keys)


@dataclass(slots=True)
class StoredPage:
    info: PageInfo
    mtime_ns: int
    size: int
    problem: str | None
    links: str | None  # encode_links() of its outgoing links; None: not read (load_pages)
    keys: frozenset[str]  # every lookup key of those links (see LinkGraph); empty when loaded


def join_values(values) -> str:
    return KEY_SEP.join(v.replace(KEY_SEP, " ") for v in values)


def _split(value: str) -> tuple[str, ...]:
    return tuple(value.split(KEY_SEP)) if value else ()


def page_row(s: StoredPage) -> tuple:
    """The values of one row of ``pages``, in column order."""
    return (s.info.path, s.mtime_ns, s.size, s.info.title, join_values(s.info.aliases),
            join_values(s.info.tags), s.info.type, join_values(s.info.flags), s.problem, s.links)


def _insert_keys(db: sqlite3.Connection, keyed: list[tuple[str, str]]) -> None:
    """Add (key, page) rows to ``link_keys`` (inside the caller's transaction). A big batch (a
    first open, a migration) goes through a table without index and is copied over in key
    order by SQLite's sorter, the page index made afresh after it: random inserts into both
    B-trees took 3.7 s for 550,000 keys, this 2.0 s."""
    if len(keyed) < BIG_BATCH:
        db.executemany("INSERT OR IGNORE INTO link_keys VALUES (?, ?)", keyed)
        return
    db.execute("DROP INDEX IF EXISTS link_keys_src")
    db.execute("CREATE TEMP TABLE IF NOT EXISTS new_keys (key TEXT, src TEXT)")
    db.executemany("INSERT INTO new_keys VALUES (?, ?)", keyed)
    db.execute("INSERT OR IGNORE INTO link_keys SELECT key, src FROM new_keys "
               "ORDER BY key, src")
    db.execute("DROP TABLE new_keys")
    db.execute("CREATE INDEX link_keys_src ON link_keys (src)")


def new_generation() -> str:
    """Unique across resets and processes (a counter would repeat after a reset)."""
    return uuid.uuid4().hex


def encode_links(links: list[Link]) -> str:
    return json.dumps([[ln.target, ln.heading, ln.text, int(ln.embed), ln.kind, ln.line,
                        ln.context] for ln in links], ensure_ascii=False)


def decode_links(data: str) -> list[Link]:
    return [Link(t, h, x, bool(e), k, line, c) for t, h, x, e, k, line, c in json.loads(data)]


class Store:
    def __init__(self, path: Path, *, readonly: bool = False, immutable: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        # on a disk nobody can write (read-only mount, no permission): SQLite then reads the
        # file without its WAL and shared-memory files, which it could not create
        self.immutable = immutable
        self._db: sqlite3.Connection | None = None
        # Held by the reads other threads make (the graph's backlinks, a read-only process's
        # progress) and by close(): a connection closed under a query that another thread is
        # stepping through crashed the process (a segfault in sources_for, as a vault closed)
        self._in_use = threading.RLock()

    # -- lifecycle ----------------------------------------------------------------------------
    def open(self) -> bool:
        """Open or create the store. Returns False when it was missing, damaged or of another
        version and has been reset to empty (the caller then rebuilds from the files)."""
        if self.readonly:
            if not self.path.exists():
                self._db = sqlite3.connect(":memory:", check_same_thread=False)
                self._db.executescript(_SCHEMA)
                return False
            uri = f"{self.path.as_uri()}?mode=ro{'&immutable=1' if self.immutable else ''}"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            try:
                return self._version() == SCHEMA_VERSION
            except sqlite3.DatabaseError:
                return False
        existed = self.path.exists()
        try:
            self._connect()
            if existed and (self._version() == SCHEMA_VERSION or self._migrated()):
                self.drop_side_tables()  # a rebuild's, left by a kill
                return True  # its pages are checked by check_integrity(), beside the scan
        except sqlite3.DatabaseError:
            pass
        self.reset()
        return False

    def _migrated(self) -> bool:
        """A store of version 7 (each page's link keys in a column of ``pages``) made into this
        version in place, without reading a page again: seconds at 100,000 notes, where a
        rebuild takes minutes. False (the caller resets it) for any other version."""
        if self._version() != "7" or sqlite3.sqlite_version_info < (3, 35):  # DROP COLUMN
            return False
        db = self.db
        db.execute("BEGIN")
        try:
            db.execute(f"CREATE TABLE link_keys {LINK_KEYS_COLUMNS}")
            rows = db.execute("SELECT path, keys FROM pages").fetchall()
            db.execute("CREATE INDEX link_keys_src ON link_keys (src)")
            _insert_keys(db, [(key, path) for path, keys in rows if keys
                              for key in keys.split(KEY_SEP)])
            db.execute("ALTER TABLE pages DROP COLUMN keys")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)",
                       (new_generation(),))
            db.execute("COMMIT")
        except sqlite3.DatabaseError:
            db.execute("ROLLBACK")
            return False
        return True

    def check_integrity(self) -> str | None:
        """None when every page of the database file reads back well (``PRAGMA quick_check``,
        on a connection of its own: any thread may run it while this one is used); else what
        is wrong. It reads the whole file: 0.3 s at 100,000 notes."""
        try:
            db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
            try:
                result = db.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            return str(exc)
        return None if result == "ok" else str(result)

    def drop_side_tables(self) -> None:
        """Drop what a rebuild left beside the live tables (wiki/vault/store_rebuild.py)."""
        marks = ",".join("?" * len(SIDE_TABLES))
        for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                       f"AND name IN ({marks})", SIDE_TABLES).fetchall():
            self.db.execute(f"DROP TABLE {name}")

    def _connect(self) -> None:
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")

    def _version(self) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        return row[0] if row else None

    def reset(self) -> None:
        """Drop everything and start empty (the cache is rebuilt from the files).

        Resetting inside the database keeps the file other processes may have open (a read-only
        `wiki search` beside `wiki watch`); only a file SQLite cannot read is deleted."""
        try:
            if self._db is None:
                self._connect()
            self.db.executescript("DROP TABLE IF EXISTS pages; DROP TABLE IF EXISTS links; "
                                  "DROP TABLE IF EXISTS link_keys; DROP TABLE IF EXISTS meta;"
                                  + "".join(f"DROP TABLE IF EXISTS {t};" for t in SIDE_TABLES))
        except sqlite3.DatabaseError:
            if self._db is not None:
                self._db.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._connect()
        self.db.executescript(_SCHEMA)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        # a new generation, never one a cache was saved from before the reset
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)",
                        (new_generation(),))

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("store is not open")
        return self._db

    def close(self) -> None:
        with self._in_use:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- meta ---------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._in_use:
            row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def generation(self) -> str | None:
        """Which committed state the store is in: changes with every ``write_batch``."""
        return self.get_meta("generation")

    # -- reads --------------------------------------------------------------------------------
    def load_pages(self) -> Iterator[StoredPage]:
        """Every page's metadata; not its links (see ``links_of``) nor their keys."""
        rows = self.db.execute("SELECT path, mtime_ns, size, title, aliases, tags, type, flags, "
                               "problem FROM pages")
        empty: frozenset[str] = frozenset()
        for path, mtime_ns, size, title, aliases, tags, type_, flags, problem in rows:
            info = PageInfo(path, title, _split(aliases), _split(tags), type_, _split(flags))
            yield StoredPage(info, mtime_ns, size, problem, None, empty)

    def sources_for(self, keys: Iterable[str]) -> set[str]:
        """The pages with a link stored under any of these lookup keys."""
        keys = list(keys)
        found: set[str] = set()
        with self._in_use:
            for i in range(0, len(keys), _MAX_VARS):
                chunk = keys[i:i + _MAX_VARS]
                marks = ",".join("?" * len(chunk))
                found.update(src for (src,) in self.db.execute(
                    f"SELECT src FROM link_keys WHERE key IN ({marks})", chunk))
        return found

    def links_of(self, path: str) -> str | None:
        """The encoded links of one page (None when it is not stored)."""
        with self._in_use:
            row = self.db.execute("SELECT links FROM pages WHERE path=?", (path,)).fetchone()
        return row[0] if row else None

    # -- writes (one transaction per batch) --------------------------------------------------
    def write_batch(self, pages: Iterable[StoredPage], removed: Iterable[str]) -> str:
        """Replace these pages and delete those, in one transaction; the new generation."""
        pages = list(pages)
        gone = [(p,) for p in removed]
        generation = new_generation()
        db = self.db
        db.execute("BEGIN")
        try:
            db.executemany("DELETE FROM pages WHERE path=?", gone)
            db.executemany("DELETE FROM link_keys WHERE src=?",
                           gone + [(s.info.path,) for s in pages])
            db.executemany("INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?,?,?,?,?)",
                           [page_row(s) for s in pages])
            _insert_keys(db, [(key, s.info.path) for s in pages for key in s.keys])
            db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (generation,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return generation
