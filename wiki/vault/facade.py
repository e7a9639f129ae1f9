"""The Vault: the one facade the CLI, the watcher and the app use.

It keeps the link graph in memory, persists it in ``.wiki/state.sqlite`` and the text in a Whoosh
index in ``.wiki/index/``. Both are caches of the Markdown files, which stay the truth: anything
missing, damaged or of another version is rebuilt from them with a warning. Write operations
(``refresh``, ``update_paths``, ``rebuild``) must come from one thread at a time (the Worker); reads
may come from any thread. Only one process writes: the first takes ``.wiki/write.lock`` (an OS lock,
released when the process dies, so a crash leaves no stale lock); later ones open read-only.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from wiki.core import vault_settings
from wiki.core.memory import release_free_memory
from wiki.core.model import (
    ChangeSummary,
    Link,
    Mention,
    Page,
    PageInfo,
    ResolvedLink,
    SearchResults,
)
from wiki.core.rules import STATE_DIR, is_page_path, normalize_rel
from wiki.markup.context_text import only_links, readable
from wiki.markup.pages import iter_page_paths, make_page_info, read_page
from wiki.search.index import SearchIndex
from wiki.vault import backlog, first_read, page_stash, reopen_cache, state_dir, store_rebuild
from wiki.vault.attachments import Attachments
from wiki.vault.graph import LinkGraph
from wiki.vault.link_mention import link_mention
from wiki.vault.lock import WriterLock
from wiki.vault.mentions import MentionList, unlinked_mentions
from wiki.vault.resolve import strip_md
from wiki.vault.store import SCHEMA_VERSION, Store, StoredPage, encode_links

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
LOCK_FILE = state_dir.LOCK_FILE
MAX_MENTION_CANDIDATES = 100_000  # pages checked for one name: in practice, all of them
CACHE_SAVE_DELAY = 5.0  # seconds of quiet after a change before the reopen cache is saved


class VaultError(Exception):
    """A problem the user must hear about; ``str()`` is one clear line."""


class Vault:
    def __init__(self, root: Path, readonly: bool, lock: WriterLock | None,
                 frozen: bool = False) -> None:
        self.root = root
        self.state_dir = root / STATE_DIR
        self.readonly = readonly
        self._lock = lock
        self.graph = LinkGraph(self._stored_links, self._stored_sources)
        # The store generation the graph in memory is exactly (None: unknown, e.g. a write
        # failed half-way), and the one last saved to or loaded from the reopen cache.
        self._graph_generation: str | None = None
        self._cached_generation: str | None = None
        self._diverged = False  # a write failed half-way: the graph is not the store's
        self._store_check: threading.Thread | None = None  # PRAGMA quick_check, see _load
        self._store_problem: str | None = None  # what it found
        self._stats: dict[str, tuple[int, int]] = {}  # path -> (mtime_ns, size) last indexed
        self._problems: dict[str, str] = {}
        # frozen: .wiki cannot be written at all, so nobody else writes it either
        self.frozen = frozen
        self.store = Store(self.state_dir / "state.sqlite", readonly=readonly, immutable=frozen)
        self.index = SearchIndex(self.state_dir / "index", readonly=readonly)
        self.index.on_damage = self._index_damaged
        self._damage_listeners: list[Callable[[str], None]] = []
        self.warnings: list[str] = []
        self.readonly_reason: str | None = None  # why this vault is open read-only
        self._needs_build = False
        self._subscribers: list[Callable[[ChangeSummary], None]] = []
        self._write_guard = threading.Lock()
        self._cache_timer: threading.Timer | None = None  # saves the reopen cache when quiet
        self.attachments = Attachments(root)
        # The search index still lacks pages the graph has (phase 2 of a first open, see
        # wiki/vault/backlog.py); (indexed, total) while so, None when search sees everything.
        self._search_progress: tuple[int, int] | None = None
        # a first open's pages as phase 1 read them, for phase 2: (folder, chunks' first paths)
        self._stash: tuple[Path, list[str]] | None = None
        self._stop = threading.Event()  # close() asks a running index fill to stop
        self._settings = vault_settings.load(root)  # the folders to ignore
        self._ignored = vault_settings.ignored_keys(self._settings.ignored_folders)
        if self._settings.problem:
            self.warnings.append(self._settings.problem)

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, root: str | os.PathLike[str], *, create: bool = False) -> Vault:
        """Open a vault folder and load its persisted state. Does not scan the files: call
        ``refresh()`` (on the worker) to bring it up to date."""
        path = Path(root).expanduser().absolute()
        if not path.exists():
            if not create:
                raise VaultError(f"no vault at {path}: the folder does not exist")
            try:
                path.mkdir(parents=True)
            except OSError as exc:
                raise VaultError(f"cannot create the vault folder {path}: {exc.strerror}") from exc
        if not path.is_dir():
            raise VaultError(f"{path} is not a folder")
        state = path / STATE_DIR
        wrong = state_dir.problem(path, state)
        if wrong is not None:
            raise VaultError(wrong)
        lock: WriterLock | None = None
        reason: str | None = None
        frozen = False
        try:
            state.mkdir(exist_ok=True)
            lock = WriterLock(state / LOCK_FILE)
            if not lock.acquire():
                holder = lock.holder()
                reason = ("another Commonplace process "
                          f"{f'(pid {holder}) ' if holder else ''}is writing this vault")
                lock = None
            elif (unwritable := state_dir.unwritable(state)) is not None:
                lock.release()
                raise unwritable
        except OSError as exc:
            lock = None
            frozen = True
            reason = f"its {STATE_DIR} folder cannot be written ({exc.strerror or exc})"
            log.info("cannot write %s (%s): opening read-only", state, exc.strerror)
        vault = cls(path, reason is not None, lock, frozen)
        vault.readonly_reason = reason
        vault._load()
        return vault

    def _load(self) -> None:
        had_state = self.store.path.exists()
        try:
            store_ok = self.store.open()
        except Exception as exc:  # noqa: BLE001 - a damaged cache is rebuilt, never fatal
            raise VaultError(f"cannot open the vault's state in {self.state_dir}: {exc}") from exc
        self.warnings.extend(self.index.open())
        if self.readonly:
            self.warnings.append(f"{self.readonly_reason}: opened read-only")
        if had_state and not store_ok and not self.readonly:
            self.warnings.append("the vault's link-graph cache was damaged or outdated: "
                                 "rebuilding it from the files")
        complete = store_ok and self.store.get_meta("complete") == "1"
        if not store_ok or not complete or getattr(self.index, "was_reset", False):
            if not self.readonly:
                if store_ok and not complete:
                    self.warnings.append("the last indexing run did not finish: rebuilding")
                self._needs_build = True
        if self.readonly:
            self._load_readonly()
        elif not self._needs_build:
            # every page of the database is checked on a thread of its own, while the caller
            # goes on (refresh scans the files meanwhile, and waits for it before writing)
            self._store_check = threading.Thread(target=self._check_store, daemon=True,
                                                 name="store-check")
            self._store_check.start()
            try:
                self._load_graph()
            except sqlite3.DatabaseError as exc:  # damage the check would find: rebuild now
                log.warning("state.sqlite cannot be read (%s): rebuilding it", exc)
                self.warnings.append("the vault's link-graph cache was damaged or outdated: "
                                     "rebuilding it from the files")
                self.graph.clear()
                self._stats, self._problems = {}, {}
                self._needs_build = True
                return
            if backlog.is_pending(self.store):  # a first open was interrupted: go on
                self._search_progress = (self.index.doc_count(), len(self._stats))
            elif self._stats and self.index.doc_count() == 0:
                self.warnings.append("the search index was missing: rebuilding it")
                self._needs_build = True

    @property
    def _cache_path(self) -> Path:
        return self.state_dir / reopen_cache.FILE_NAME

    def _load_graph(self) -> None:
        """The graph of the store's committed state: from the reopen cache when it was saved
        from this very generation, else from the store's rows (and the cache saved after the
        next refresh). Links and their keys stay in SQLite either way."""
        generation = self.store.generation()
        cached = reopen_cache.load(self._cache_path, generation)
        with self.graph.lock:
            if cached is not None:
                self.graph.restore(cached.infos, cached.tables)
                self._stats = cached.stats
                self._problems = cached.problems
            else:
                self.graph.clear()
                self._stats = {}
                self._problems = {}
                with reopen_cache.gc_paused():
                    self._load_rows()
            self._graph_generation = generation
            self._cached_generation = generation if cached is not None else None
            self._diverged = False

    def _load_rows(self) -> None:
        for stored in self.store.load_pages():
            path = stored.info.path
            self._stats[path] = (stored.mtime_ns, stored.size)
            if stored.problem:
                self._problems[path] = stored.problem
            self.graph.load_page(stored.info)  # links and keys stay in SQLite

    def _save_reopen_cache(self) -> None:
        """Save the graph for the next open, when it is the store's committed state and not
        saved yet (the writer only, on the worker or while closing)."""
        generation = self._graph_generation
        if self.readonly or generation is None or generation == self._cached_generation:
            return
        try:
            if self.store.generation() != generation or self.store.get_meta("complete") != "1":
                return
        except sqlite3.DatabaseError:
            return
        with self.graph.lock:  # shallow copies (their values never change): ~30 ms at 100k
            tables = {name: dict(table) for name, table in self.graph.resolver.export().items()}
            state = reopen_cache.GraphState(generation, dict(self.graph.infos),
                                            dict(self._stats), dict(self._problems), tables)
        reopen_cache.save(self._cache_path, state)  # readers are not held up meanwhile
        self._cached_generation = generation

    def _save_reopen_cache_later(self) -> None:
        """The graph changed: save the reopen cache once the vault has been quiet for
        ``CACHE_SAVE_DELAY`` seconds. Until then the cache is of an older generation, and a
        process opening the vault meanwhile (the CLI, an MCP server, the app after a crash)
        reads every page's row from the store instead: 4-5 s at 100,000 pages."""
        if self.readonly:
            return
        if self._cache_timer is not None:
            self._cache_timer.cancel()
        timer = threading.Timer(CACHE_SAVE_DELAY, self._save_reopen_cache_now)
        timer.daemon = True
        timer.name = "wiki-reopen-cache"
        self._cache_timer = timer
        timer.start()

    def _save_reopen_cache_now(self) -> None:
        with self._write_guard:  # after a write in progress; never beside one
            if self._lock is None:  # closed meanwhile (close() saves it itself)
                return
            try:
                self._save_reopen_cache()
            except (sqlite3.Error, RuntimeError, OSError) as exc:  # costs the next open time
                log.info("reopen cache not saved: %s", exc)

    def _check_store(self) -> None:
        self._store_problem = self.store.check_integrity()

    def _store_checked(self) -> bool:
        """Wait for the check of the store started on open; when it found damage, the next
        write rebuilds the graph (True: now is the time). On the worker, before writing."""
        check, self._store_check = self._store_check, None
        if check is not None:
            check.join()
            if self._store_problem is not None:
                log.warning("state.sqlite is damaged (%s): rebuilding it", self._store_problem)
                self._needs_build = True
        return self._needs_build

    def _stored_links(self, path: str) -> str | None:
        try:
            return self.store.links_of(path)
        except (sqlite3.DatabaseError, RuntimeError):  # reset by the writer, or closed
            return None

    def _stored_sources(self, keys: set[str]) -> set[str]:
        try:
            return self.store.sources_for(keys)
        except (sqlite3.DatabaseError, RuntimeError):  # reset by the writer, or closed
            return set()

    def _load_readonly(self) -> None:
        """The writer's persisted graph, or the pages themselves when it cannot be used: from
        another version of Commonplace, being reset, or not built yet."""
        try:
            usable = self.store.get_meta("schema") == SCHEMA_VERSION
            if usable:
                self._load_graph()
                usable = bool(self._stats) or self.store.get_meta("complete") == "1"
        except sqlite3.DatabaseError:  # the writer is resetting it this very moment
            usable = False
        if not usable:
            self._load_from_files()

    def _load_from_files(self) -> None:
        """Read-only, and the writer's state cannot be used (another version of Commonplace,
        or not built yet): hold a graph read from the pages, in memory only."""
        warning = ("the vault's link-graph cache is missing or from another version: "
                   "reading the pages directly")
        if warning not in self.warnings:
            self.warnings.append(warning)
        pages = [self._read(rel) for rel in sorted(self._scan())]
        with self.graph.lock:
            self.graph.clear()
            self.graph.memory_only()
            self._graph_generation = None  # not the store's: never cached
            self._stats.clear()
            self._problems.clear()
            for page in pages:
                keys = self.graph.keys_of(page.links, page.path)
                self.graph.load_page(make_page_info(page), encode_links(page.links), keys)
                self._note_page(page, ChangeSummary())

    # -- damage found while in use ------------------------------------------------------------
    def on_index_damage(self, callback: Callable[[str], None]) -> Callable[[], None]:
        """``callback(reason)`` (on the thread whose search found it) when the search index
        turns out to be damaged; the next write operation rebuilds it, so the callback's job
        is to queue one on the worker (the watcher does)."""
        self._damage_listeners.append(callback)
        return lambda: self._damage_listeners.remove(callback) \
            if callback in self._damage_listeners else None

    def _index_damaged(self, reason: str) -> None:
        if self.readonly:
            return
        self._needs_build = True
        for callback in list(self._damage_listeners):
            callback(reason)

    # -- subscriptions ------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[ChangeSummary], None]) -> Callable[[], None]:
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers \
            else None

    def _publish(self, summary: ChangeSummary) -> ChangeSummary:
        if not summary.is_empty():
            self._save_reopen_cache_later()
            for callback in list(self._subscribers):
                callback(summary)
        return summary

    # -- writes -------------------------------------------------------------------------------
    def refresh(self, progress: Progress | None = None, *,
                search_later: bool = False) -> ChangeSummary:
        """Bring graph and index up to date with the files: only changed files are re-read.

        With ``search_later`` it returns as soon as pages, links and backlinks are up to date;
        the full-text index may then still lack pages (``search_progress()``), and the caller
        runs ``fill_search_index()`` next (on the same worker). Without it, both are done."""
        self.attachments.invalidate()
        if self.readonly:
            self._reload_readonly()
            return ChangeSummary()
        with self._write_guard:
            on_disk = {} if self._needs_build else self._scan()
            if self._store_checked():
                damaged = self._store_problem
                summary = self._build(progress)
                if damaged is not None:
                    summary.warnings.append("the vault's link-graph cache was damaged: "
                                            "rebuilt from the files")
            else:
                changed, removed = self._changes(on_disk)
                summary = self._apply(changed, removed, progress)
                if self._search_progress is None and not self._index_known_in_step():
                    summary.merge(self._reconcile_index(on_disk))
            if not search_later:
                self._fill_search_index(progress)
            if self._search_progress is None:  # else after the fill: not on a first open's way
                self._save_reopen_cache()
            return self._publish(summary)

    def fill_search_index(self, progress: Progress | None = None) -> bool:
        """Index the pages the search index still lacks (phase 2 of a first open); searches
        meanwhile answer from what is indexed so far. True when search now sees every page,
        False when ``close()`` interrupted it (the next open goes on from there)."""
        if self.readonly:
            return self._search_progress is None
        with self._write_guard:
            return self._fill_search_index(progress)

    def _fill_search_index(self, progress: Progress | None) -> bool:
        if self._search_progress is None:
            return True
        indexed = self.index.all_paths()
        missing = sorted(p for p in self._stats if p not in indexed)
        total = len(self._stats)

        def committed(done: int, of: int) -> None:
            self._search_progress = (done, of)

        # the links are in the graph already; a partial of a module function pickles, for the
        # worker processes that read and index the pages (wiki/search/parallel.py)
        read_text: Callable[[str], Page] = functools.partial(read_page, self.root, links=False)
        if self._stash is not None:  # phase 1's pages, where their files are unchanged
            read_text = page_stash.StashedReader(self.root, *self._stash)
        finished = backlog.fill_index(
            self.index, self.store, missing, read_text, already=total - len(missing),
            total=total, stop=self._stop, progress=progress, on_commit=committed)
        if finished:
            self._search_progress = None
            self._drop_stash()
            self._index_in_step()
        self._save_reopen_cache()  # not saved on a first open's way to navigable (refresh)
        release_free_memory()  # what the phases freed (~70 MB of a 13,415-page first open)
        return finished

    def search_progress(self) -> tuple[int, int] | None:
        """(pages indexed, pages in all) while the search index is being filled in, else
        None: then search sees every page."""
        if self.readonly:
            try:
                return backlog.stored_progress(self.store)
            except sqlite3.DatabaseError:
                return None
        return self._search_progress

    def update_paths(self, paths: Iterable[str]) -> ChangeSummary:
        """These vault-relative paths were created, changed or deleted. Unchanged files (same
        size and mtime as last indexed) cost a stat and nothing more."""
        if self.readonly:
            return ChangeSummary()
        with self._write_guard:
            if self._store_checked():
                summary = self._build(None)
                self._fill_search_index(None)
                return self._publish(summary)
            changed, removed = [], []
            for raw in paths:
                rel = normalize_rel(str(raw))
                if rel is None or not is_page_path(rel):
                    continue
                if vault_settings.is_ignored(rel, self._ignored):  # gone from the vault's view
                    if rel in self._stats:
                        removed.append(rel)
                    continue
                st = self._page_stat(rel)
                if st is None:  # gone, or not a page a scan would find (folder, outside link)
                    if rel in self._stats:
                        removed.append(rel)
                    continue
                if (st.st_mtime_ns, st.st_size) != self._stats.get(rel):
                    changed.append(rel)
            removed += self._case_renamed([p for p in changed if p not in self._stats])
            return self._publish(self._apply(sorted(set(changed)), sorted(set(removed)), None))

    def rebuild(self, progress: Progress | None = None, *,
                search_later: bool = False) -> ChangeSummary:
        """Drop every derived file and build graph and index again from the pages (the index
        only later with ``search_later``: see ``refresh``)."""
        if self.readonly:
            raise VaultError("another Commonplace process is writing this vault; "
                             "cannot rebuild now")
        with self._write_guard:
            summary = self._build(progress)
            if not search_later:
                self._fill_search_index(progress)
            return self._publish(summary)

    def _case_renamed(self, new: list[str]) -> list[str]:
        """Known pages that differ from a new one only in case and are no longer listed: on a
        case-insensitive disk (macOS, Windows) ``foo.md`` still stats after its rename to
        ``Foo.md``, and would stay behind as a ghost duplicate."""
        if not new:
            return []
        known: dict[str, list[str]] = {}
        for path in self._stats:
            known.setdefault(path.casefold(), []).append(path)
        gone = []
        for rel in new:
            for old in known.get(rel.casefold(), ()):
                folder, _, name = old.rpartition("/")
                try:
                    listed = name in os.listdir(self.root / folder if folder else self.root)
                except OSError:
                    listed = False
                if old != rel and not listed:
                    gone.append(old)
        return gone

    def _page_stat(self, rel: str) -> os.stat_result | None:
        """The stat of a page file as ``_scan`` would see it: a regular file (symlinks
        followed) inside the vault; None otherwise."""
        path = self.root / rel
        try:
            st = path.stat()
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        inside = os.path.realpath(self.root).rstrip(os.sep) + os.sep
        return st if os.path.realpath(path).startswith(inside) else None

    def _changes(self, on_disk: dict[str, tuple[int, int]]) -> tuple[list[str], list[str]]:
        """The pages changed or new on disk, and those gone, since last indexed."""
        if on_disk == self._stats:  # compared in C: most reopens change nothing
            return [], []
        known = self._stats
        return ([p for p, st in on_disk.items() if known.get(p) != st],
                [p for p in known if p not in on_disk])

    def _scan(self) -> dict[str, tuple[int, int]]:
        found = iter_page_paths(self.root, self._settings.ignored_folders)
        return {rel: (st.st_mtime_ns, st.st_size) for rel, st in found if is_page_path(rel)}

    # -- the vault's settings -----------------------------------------------------------------
    def ignored_folders(self) -> tuple[str, ...]:
        """The folders whose pages are left out (not listed, linked or indexed)."""
        return self._settings.ignored_folders

    def set_ignored_folders(self, folders: Iterable[str]) -> ChangeSummary:
        """Ignore these folders from now on (vault-relative, as the user typed them), saved in
        ``.wiki/settings.json``; pages in newly ignored folders leave the graph and the index,
        those in folders no longer ignored come back. Runs on the worker."""
        if self.readonly:
            raise VaultError("another Commonplace process is writing this vault; "
                             "its settings cannot change now")
        try:
            chosen = vault_settings.VaultSettings(vault_settings.clean_folders(list(folders)))
            vault_settings.save(self.root, chosen)
        except vault_settings.SettingsError as exc:
            raise VaultError(str(exc)) from exc
        except OSError as exc:
            raise VaultError(f"cannot save the vault's settings: {exc.strerror or exc}") from exc
        self._settings = chosen
        self._ignored = vault_settings.ignored_keys(chosen.ignored_folders)
        return self.refresh()

    def _read(self, rel: str) -> Page:
        return read_page(self.root, rel)

    def _apply(self, changed: list[str], removed: list[str],
               progress: Progress | None) -> ChangeSummary:
        summary = ChangeSummary()
        if not changed and not removed:
            return summary
        pages: list[Page] = []
        total = len(changed)
        for n, rel in enumerate(changed, 1):
            page = self._read(rel)
            if "unreadable" in page.flags and not (self.root / rel).exists():
                removed.append(rel)  # vanished between the stat and the read
                continue
            pages.append(page)
            if progress and (n % 200 == 0 or n == total):
                progress(n, total, f"reading {rel}")
        removed = [p for p in dict.fromkeys(removed) if p in self._stats]
        self._graph_generation = None  # until the store has committed what the graph holds
        try:
            return self._commit_pages(pages, removed, summary)
        except BaseException:
            self._diverged = True
            raise

    def _commit_pages(self, pages: list[Page], removed: list[str],
                    summary: ChangeSummary) -> ChangeSummary:
        self.store.set_meta("complete", "0")
        self.index.update(pages, removed)
        self._index_in_step()
        rows: list[StoredPage] = []
        with self.graph.lock:  # readers see the graph before or after, never half of a rename
            for rel in removed:
                summary.links_changed |= self.graph.remove_page(rel)
                self._stats.pop(rel, None)
                self._problems.pop(rel, None)
                summary.removed.add(rel)
            for page in pages:
                (summary.modified if page.path in self._stats else summary.added).add(page.path)
                info = make_page_info(page)
                affected, encoded, keys = self.graph.set_page(info, page.links)
                summary.links_changed |= affected
                rows.append(StoredPage(info, page.mtime_ns, page.size, page.problem, encoded,
                                       keys))
                self._note_page(page, summary)
        generation = self.store.write_batch(rows, removed)
        self.store.set_meta("complete", "1")
        self._graph_generation = None if self._diverged else generation
        summary.links_changed -= summary.removed
        return summary

    def _note_page(self, page: Page, summary: ChangeSummary) -> None:
        self._stats[page.path] = (page.mtime_ns, page.size)
        if page.problem:
            self._problems[page.path] = page.problem
            summary.warnings.append(f"{page.path}: {page.problem}")
        else:
            self._problems.pop(page.path, None)

    def _build(self, progress: Progress | None) -> ChangeSummary:
        """Phase 1 of a first open or rebuild: every page read for its name, links, aliases
        and tags into the store's side tables as it comes (no body nor row is kept), swapped
        in by one transaction with the new graph (the old one is seen until then); the index
        is left empty for ``_fill_search_index`` (phase 2)."""
        summary = ChangeSummary(rebuilt=True)
        self._store_checked()
        damaged, self._store_problem = self._store_problem is not None, None  # past: replaced
        self._needs_build = True  # until the new graph is committed: a failure builds again
        on_disk = self._scan()
        self.store.set_meta("complete", "0")  # the old rows stay until the new ones replace them
        rebuild = None if damaged else store_rebuild.start(self.store)
        if rebuild is None:  # damaged: the old graph keeps its pages, not its stored links
            with self.graph.lock:
                self._graph_generation = None
                self.store.reset()
            rebuild = store_rebuild.StoreRebuild(self.store)
        self.index.close()
        shutil.rmtree(self.state_dir / "index", ignore_errors=True)
        self.index.open()
        paths = sorted(on_disk)
        total = len(paths)
        self._search_progress = (0, total)  # searches say the index is being filled in
        self._drop_stash()
        stash = None
        if page_stash.worth_keeping(self.state_dir, sum(size for _, size in on_disk.values())):
            stash = page_stash.new_stash_dir(self.state_dir)
        try:  # on every core when there are many (wiki/vault/first_read.py); in path order
            pages = first_read.read_into(rebuild, self.root, paths, progress=lambda n: progress(
                n, total, f"reading pages: {n:,} of {total:,}") if progress else None,
                stash_dir=stash)
            rebuild.finish()
            with self.graph.lock:  # the old graph (and its stored links) stay visible until now
                self._graph_generation = None
                generation = rebuild.swap({**backlog.pending_meta(total), "complete": "1"})
                self.graph.replace(pages.infos, pages.resolver)
                self._stats, self._problems = pages.stats, pages.problems
        except BaseException:
            rebuild.abandon()  # the store still says complete=0: the next open builds again
            raise
        rebuild.drop_old()  # readers are let in again meanwhile
        if stash is not None and stash.is_dir():  # (none when the pages were read here)
            self._stash = (stash, paths[::first_read.CHUNK])
        summary.warnings.extend(f"{path}: {problem}" for path, problem in pages.problems.items())
        self._graph_generation = generation
        self._diverged = False
        self._needs_build = False
        summary.added = set(paths)
        return summary

    def _reconcile_index(self, on_disk: dict[str, tuple[int, int]]) -> ChangeSummary:
        """After a crash or damage the index may disagree with the graph: fix both ways. The
        paths are compared, not just counted (lost and ghost entries can cancel out); reading
        them costs about 20 ms for 10,000 pages."""
        indexed = self.index.all_paths()
        missing = [p for p in self._stats if p not in indexed]
        ghosts = [p for p in indexed if p not in self._stats]
        pages = [self._read(p) for p in missing if p in on_disk]
        self.index.update(pages, ghosts)
        self._index_in_step()
        summary = ChangeSummary()
        if missing or ghosts:
            summary.warnings.append(
                f"search index repaired: {len(missing)} pages added, {len(ghosts)} removed")
            summary.modified |= set(missing)
        return summary

    def _index_in_step(self) -> None:
        """Record that the index, at its current commit, holds exactly the pages the store
        holds (called after each index write that keeps them in step)."""
        self.store.set_meta("index_generation", str(self.index.generation()))

    def _index_known_in_step(self) -> bool:
        """The store says the index is at the commit it recorded as in step with it, and
        holds as many pages: comparing every path (``_reconcile_index``) is not needed.
        Anything else (a kill between the two writes, an index from elsewhere, a merge by
        another program) has another generation, and the paths are compared."""
        recorded = self.store.get_meta("index_generation")
        return recorded is not None and recorded == str(self.index.generation()) \
            and self.index.doc_count() == len(self._stats)

    def _reload_readonly(self) -> None:
        """Another process writes; pick up what it has committed (nothing to read when the
        store is at the generation the graph was loaded from)."""
        try:
            unchanged = self._graph_generation is not None \
                and self.store.generation() == self._graph_generation
        except sqlite3.DatabaseError:  # the writer is resetting it this very moment
            unchanged = False
        if not unchanged:
            self._load_readonly()
        if hasattr(self.index, "refresh"):
            self.index.refresh()

    # -- reads --------------------------------------------------------------------------------
    def pages(self) -> list[PageInfo]:
        with self.graph.lock:
            return [self.graph.infos[p] for p in sorted(self.graph.infos)]

    def page_count(self) -> int:
        return len(self.graph.infos)

    def page_info(self, path: str) -> PageInfo | None:
        return self.graph.infos.get(path)

    def find_attachment(self, name: str, source: str = "") -> str | None:
        """The vault path of a non-Markdown file linked as ``name`` from page ``source``."""
        return self.attachments.find(name, source)

    def label(self, path: str) -> str:
        """The page's name as shown everywhere: told apart by folder when names are shared."""
        with self.graph.lock:
            return self.graph.resolver.label(path)

    def problem(self, path: str) -> str | None:
        return self._problems.get(path)

    def problems(self) -> dict[str, str]:
        return dict(self._problems)

    def find_page(self, name: str) -> str | None:
        with self.graph.lock:
            return self.graph.resolver.find(name)

    def resolve(self, target: str, source: str, kind: str = "wiki") -> str | None:
        with self.graph.lock:
            return self.graph.resolver.resolve(target, source, kind)

    def read_page(self, path: str) -> Page:
        rel = normalize_rel(path)
        if rel is None:
            raise VaultError(f"{path} is outside the vault")
        return read_page(self.root, rel)

    def outgoing(self, path: str) -> list[ResolvedLink]:
        return self.graph.outgoing(path)

    def backlinks(self, path: str) -> list[Mention]:
        found = []
        with self.graph.lock:  # titles from the same state as the links
            for src, link in self.graph.backlinks(path):
                if src == path:
                    continue
                # readable text; nothing when the line is only links ("Related: [[X]]")
                context = "" if only_links(link.context) else readable(link.context)
                found.append(Mention(src, self.graph.resolver.label(src), context, link.line))
        return found

    def unlinked_mentions(self, path: str, limit: int = 50) -> list[Mention]:
        """The first ``limit`` pages that name this page without linking to it."""
        return self.unlinked_mention_list(path, limit).mentions

    def unlinked_mention_list(self, path: str, limit: int = 50) -> MentionList:
        """The first ``limit`` unlinked mentions and the real total (every candidate page is
        checked; see wiki.vault.mentions for names that are everyday words)."""
        info = self.graph.infos.get(path)
        if info is None:
            return MentionList()
        linked = {src for src, _ in self.graph.backlinks(path)}
        return unlinked_mentions(
            info, phrase_candidates=lambda name: self.index.phrase_candidates(
                name, limit=MAX_MENTION_CANDIDATES),
            read_page=self.read_page, exclude=linked | {path}, limit=limit, label=self.label)

    def link_unlinked_mention(self, mention: Mention, target_path: str) -> ChangeSummary:
        """Turn one unlinked mention of ``target_path`` into a link in the mentioning file
        (etag-safe, see wiki.vault.link_mention) and index the change. A writer operation:
        call it from the worker, as ``update_paths``."""
        if self.readonly:
            raise VaultError("this vault is open read-only (another window writes to it)")
        info = self.graph.infos.get(target_path)
        if info is None:
            raise VaultError(f"{target_path} is no longer in the vault")
        names = [info.title, info.name, *info.aliases]
        target = info.name if self.resolve(info.name, mention.path) == target_path \
            else strip_md(target_path)
        link_mention(self.root, mention, target, names)
        return self.update_paths([mention.path])

    def broken_links(self) -> list[tuple[str, Link]]:
        return self.graph.broken_links()

    def orphans(self) -> list[str]:
        with self.graph.lock:  # never a page removed meanwhile
            return [p for p in sorted(self.graph.infos) if not self.graph.has_backlinks(p)]

    def search(self, query: str, limit: int = 20, offset: int = 0) -> SearchResults:
        """Ranked hits (after the best ``offset``: the next page of a list); while the index
        is still being filled in, from the pages indexed so far, and ``indexed``/
        ``index_total`` say how far it is."""
        before = self.search_progress()
        results = self.index.search(query, limit=limit, offset=offset)
        now = self.search_progress() if before is not None else None
        if now is not None:
            results.indexed, results.index_total = now
        return results

    def index_being_built(self) -> bool:
        """Another process is building the index right now, so a search sees only part of the
        vault (or nothing). Our own builds finish before anyone can search."""
        if not self.readonly or self.frozen:  # frozen: nobody can be writing it
            return False
        try:
            return self.store.get_meta("complete") != "1" or backlog.is_pending(self.store)
        except sqlite3.DatabaseError:  # the writer is resetting it this very moment
            return True

    # -- closing ------------------------------------------------------------------------------
    def stop_background(self) -> None:
        """Ask a running (or queued) ``fill_search_index`` to commit what it has and stop; it
        goes on at the next open. Safe from any thread."""
        self._stop.set()

    def close(self) -> None:
        self._stop.set()  # a running index fill commits what it has and stops
        if self._cache_timer is not None:
            self._cache_timer.cancel()  # (the cache is saved below)
        guarded = self._write_guard.acquire(timeout=60)
        try:
            self._close()
        finally:
            if guarded:
                self._write_guard.release()

    def _drop_stash(self) -> None:
        """Delete phase 1's pages (kept for phase 2 of a first open), and any left by a
        first open that was killed."""
        self._stash = None
        if not self.readonly:
            page_stash.clear(self.state_dir)

    def _close(self) -> None:
        if self._store_check is not None:  # never left reading a file being closed
            self._store_check.join()
        self._drop_stash()
        try:
            self._save_reopen_cache()
        except (sqlite3.Error, RuntimeError) as exc:  # only costs the next open some time
            log.info("reopen cache not saved: %s", exc)
        self.index.close()
        self.store.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
