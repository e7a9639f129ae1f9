"""VaultWatcher: follow file changes in a vault and keep its index and compiled pages current.

A watchdog observer (inotify on Linux, polling as a fallback) feeds a per-path ``Debouncer``.
Ready ``.md`` pages are indexed with ``Vault.update_paths``; articles in ``raw/`` are compiled
once they are complete and stable, then the pages the compiler wrote are indexed. All of this
runs on the single ``Worker``. Lost events (a queue overflow, the app being closed, a dead
observer) are made good by a reconcile: ``Vault.refresh()`` plus compiling changed raw files.
"""

from __future__ import annotations

import errno
import importlib.util
import logging
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
    FileSystemMovedEvent,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from wiki.core.model import ChangeSummary
from wiki.core.rules import is_special_page
from wiki.core.worker import Worker
from wiki.pipeline import index_written
from wiki.watch.debounce import CREATED, WRITTEN, Debouncer, FileSettler
from wiki.watch.events import RAW, classify, network_fs_type, scan_dir

if TYPE_CHECKING:
    from wiki.vault.facade import Vault

log = logging.getLogger(__name__)

MAX_BATCH = 250  # pages per index commit: a big copy gives a few commits, the worker stays free
OVERFLOW_LOGGERS = ("watchdog.observers.inotify_c", "watchdog.observers.inotify")
OPEN_GRACE = 5.0  # a file still open for writing is taken anyway after this long unchanged
HEALTH_INTERVAL = 1.0


class WatchError(Exception):
    """The watcher cannot run; ``str()`` is one clear line."""


@dataclass(slots=True)
class WatchStats:
    index_batches: int = 0  # update_paths calls made for page events (= index commits)
    pages_indexed: int = 0
    compile_batches: int = 0
    reconciles: int = 0


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: VaultWatcher) -> None:
        self._watcher = watcher

    def dispatch(self, event: FileSystemEvent) -> None:
        try:
            self._watcher._on_event(event)  # noqa: SLF001 - the watcher's own handler
        except Exception:  # never let one odd event kill the observer thread
            log.exception("cannot handle %r", event)


class _OverflowLog(logging.Handler):
    """watchdog (6/7) reports a kernel queue overflow only as a log warning: listen for it."""

    def __init__(self, on_overflow: Callable[[], object]) -> None:
        super().__init__(logging.WARNING)
        self._on_overflow = on_overflow

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().lower()
        if "overflow" in message or "unable to rebuild" in message:
            self._on_overflow()


class VaultWatcher:
    def __init__(self, vault: Vault, worker: Worker, *,
                 compile_raw: Callable[[list[Path] | None], Any] | None = None,
                 update_index: Callable[[], Any] | None = None,
                 on_change: Callable[[ChangeSummary], None] | None = None,
                 on_message: Callable[[str], None] | None = None,
                 quiet: float = 0.3, ceiling: float = 2.0, force_polling: bool = False,
                 poll_interval: float = 1.0) -> None:
        self.vault = vault
        self.root = Path(vault.root)
        self.worker = worker
        self._compile_raw = compile_raw if compile_raw is not None else _default_compiler(
            self.root)
        self._update_index = update_index if update_index is not None else \
            _default_index_updater(self.root)
        self._on_change = on_change
        self._on_message = on_message
        self.quiet, self.ceiling = quiet, ceiling
        self.force_polling = force_polling
        self.poll_interval = poll_interval
        self.polling = False
        self.stats = WatchStats()
        self._observer: BaseObserver | None = None
        self._debouncer: Debouncer | None = None
        self._lock = threading.Lock()
        self._pending_pages: set[str] = set()
        self._drain_scheduled = False
        self._reconcile_queued: Future[None] | None = None
        self._settler = FileSettler(self.root, grace=OPEN_GRACE)
        self._overflow = _OverflowLog(lambda: self.reconcile("file events were lost"))
        self._stopping = threading.Event()
        self._health: threading.Thread | None = None
        self._unhook_damage: Callable[[], None] | None = None
        self._root_str = os.path.abspath(self.root)

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> Future[None] | None:
        """Start watching, then reconcile with the disk on the worker (returned future)."""
        if getattr(self.vault, "readonly", False):
            raise WatchError("another Commonplace process is already writing this vault")
        if self._observer is not None:
            return None
        self._stopping.clear()
        self._debouncer = Debouncer(self.quiet, self.ceiling, on_ready=self._on_ready)
        for name in OVERFLOW_LOGGERS:
            logger = logging.getLogger(name)
            logger.addHandler(self._overflow)
            if not logger.isEnabledFor(logging.WARNING):
                logger.setLevel(logging.WARNING)
        self._observer = self._start_observer()
        self._health = threading.Thread(target=self._watch_health, name="wiki-watch-health",
                                        daemon=True)
        self._health.start()
        hook = getattr(self.vault, "on_index_damage", None)  # a search found the index damaged
        if hook is not None:
            self._unhook_damage = hook(
                lambda reason: self.reconcile("the search index is damaged: rebuilding it"))
        return self.reconcile(None)

    def stop(self) -> None:
        """Stop watching: the observer is joined; page changes already seen are handed to the
        worker (the caller closes the worker); anything else is picked up by the next start."""
        self._stopping.set()
        if self._unhook_damage is not None:
            self._unhook_damage()
            self._unhook_damage = None
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)
        if self._health is not None:
            self._health.join(timeout=5)
            self._health = None
        if self._debouncer is not None:
            self._debouncer.close(flush=True)
            self._debouncer = None
        for name in OVERFLOW_LOGGERS:
            logging.getLogger(name).removeHandler(self._overflow)

    def _start_observer(self) -> BaseObserver:
        reason = "asked for" if self.force_polling else None
        fs_type = network_fs_type(self.root)
        if reason is None and fs_type:
            reason = f"the vault is on a network drive ({fs_type})"
        if reason is None:
            observer: BaseObserver = Observer()
            try:
                observer.schedule(_Handler(self), self._root_str, recursive=True)
                observer.start()
                self.polling, self._settler.use_close = False, True
                return observer
            except OSError as exc:
                reason = exc.strerror or str(exc)
                if exc.errno == errno.ENOSPC:  # the per-user inotify watch limit
                    reason = "inotify watch limit reached"
                _stop_quietly(observer)
        observer = PollingObserver(timeout=self.poll_interval)
        observer.schedule(_Handler(self), self._root_str, recursive=True)
        observer.start()
        self.polling, self._settler.use_close = True, False
        self._message(f"watching by polling ({reason})")
        return observer

    def _watch_health(self) -> None:
        """Restart a dead observer (the root vanished, a read error) and reconcile."""
        while not self._stopping.wait(HEALTH_INTERVAL):
            observer = self._observer
            if observer is None:
                return
            alive = observer.is_alive() and all(e.is_alive() for e in observer.emitters)
            if alive:
                continue
            if not self.root.is_dir():
                self._message(f"the vault folder {self.root} is gone; waiting for it")
                while not self._stopping.wait(HEALTH_INTERVAL) and not self.root.is_dir():
                    pass
                if self._stopping.is_set():
                    return
            self._message("file watching stopped unexpectedly; restarting it")
            _stop_quietly(observer)
            try:
                self._observer = self._start_observer()
            except OSError as exc:
                self._message(f"cannot watch {self.root}: {exc.strerror or exc}")
                return
            self.reconcile("the watcher was restarted")

    # -- events (observer thread) ----------------------------------------------------------
    def _rel(self, path: str | bytes) -> str | None:
        """The vault-relative path of an event, or None when it is outside the vault or in a
        hidden folder (.wiki/ gets events on every index commit: they cost nothing here)."""
        text = os.fsdecode(path)
        if not text.startswith(self._root_str + os.sep):
            return None
        rel = text[len(self._root_str) + 1:].replace(os.sep, "/")
        if rel.startswith(".") or "/." in rel:
            return None
        return rel

    def _on_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind in ("opened", "closed_no_write") or (kind == "modified" and event.is_directory):
            return
        src = self._rel(event.src_path)
        dest = self._rel(event.dest_path) if isinstance(event, FileSystemMovedEvent) else None
        if event.is_directory:
            if isinstance(event, DirMovedEvent | DirDeletedEvent) and src:
                self._touch(self._pages_under(src))
            if isinstance(event, DirMovedEvent) and dest:
                self._touch(scan_dir(self.root, dest), complete=True)
            elif isinstance(event, DirCreatedEvent) and src:
                self._touch(scan_dir(self.root, src))
            return
        closed = isinstance(event, FileClosedEvent)
        if src:
            # a rename's source is gone; anything else (created, modified, closed, attrib)
            self._touch([src], complete=closed,
                        writing={"created": CREATED, "modified": WRITTEN}.get(kind, 0))
        if dest:
            self._touch([dest], complete=True)  # a rename gives a complete file

    def _pages_under(self, folder: str) -> list[str]:
        prefix = folder + "/"
        return [info.path for info in self.vault.pages() if info.path.startswith(prefix)]

    def _touch(self, rels: Iterable[str], *, complete: bool = False, writing: int = 0) -> None:
        debouncer = self._debouncer
        if debouncer is None:
            return
        ready = []
        for rel in rels:
            kind = classify(rel)
            if kind is not None:
                self._settler.event(rel, strict=kind == RAW, complete=complete, writing=writing)
                ready.append(rel)
        debouncer.touch_many(ready)

    # -- debounced batches (timer thread) --------------------------------------------------
    def _on_ready(self, batch: set[str]) -> None:
        """Pages go to the index, complete raw files to the compiler; files still being
        written go back to the debouncer (see ``FileSettler``)."""
        pages: list[str] = []
        raws: list[str] = []
        again: list[str] = []
        for rel in sorted(batch):
            strict = classify(rel) == RAW
            if not self._settler.ready(rel, strict=strict):
                again.append(rel)
            else:
                (raws if strict else pages).append(rel)
        if again and self._debouncer is not None:
            self._debouncer.touch_many(again)
        if pages:
            with self._lock:
                self._pending_pages |= set(pages)
                schedule = not self._drain_scheduled
                self._drain_scheduled = True
            if schedule and not self._submit(self._drain_pages):
                with self._lock:
                    self._drain_scheduled = False
        if raws:  # a deleted raw file too: the compiler drops what it made from it
            self._submit(self._compile, raws)

    # -- work (worker thread) --------------------------------------------------------------
    def _submit(self, fn: Callable[..., Any], *args: Any) -> Future[None] | None:
        try:
            return self.worker.submit(self._guarded, fn, *args)
        except RuntimeError:  # the worker is closed: we are shutting down
            return None

    def _guarded(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            fn(*args)
        except Exception as exc:
            log.exception("watch task failed")
            self._message(f"error: {exc}")

    def _drain_pages(self) -> None:
        """Index the pending pages, at most ``MAX_BATCH`` per commit; the rest is queued
        behind whatever else the worker was asked to do meanwhile."""
        with self._lock:
            batch = sorted(self._pending_pages)[:MAX_BATCH]
            self._pending_pages.difference_update(batch)
            more = bool(self._pending_pages)
            if not more:
                self._drain_scheduled = False
        if more and not self._submit(self._drain_pages):
            with self._lock:
                self._drain_scheduled = False
        if not batch:
            return
        summary = self.vault.update_paths(batch)
        self.stats.index_batches += 1
        self.stats.pages_indexed += len(summary.added | summary.modified)
        self._emit(summary)
        if self._update_index is not None and any(not is_special_page(p)
                                                  for p in summary.pages_changed):
            # a page added, deleted or changed by hand: index.md, which lists every page,
            # follows (the compiler writes it only when it reads differently)
            written = getattr(self._update_index(), "written", None)
            if written:
                index_written(self.vault, written, on_change=self._emit)

    def _compile(self, rels: list[str] | None) -> None:
        """Compile these raw files (None: every raw file new, changed or deleted since the
        last compile, which only the compiler knows)."""
        if self._compile_raw is None:
            return
        report = self._compile_raw(None if rels is None else [self.root / rel for rel in rels])
        self.stats.compile_batches += 1
        written = [str(p) for p in getattr(report, "written", None) or []]
        for file, message in getattr(report, "errors", None) or []:
            self._message(f"cannot compile {file}: {message}")
        sources: dict[str, list[str]] = getattr(report, "source_pages", None) or {}
        made = {p for pages in sources.values() for p in pages}
        others = len(set(written) - made)
        lines = [f"compiled {raw} -> {', '.join(pages)}" for raw, pages in sorted(sources.items())
                 if pages and (rels is None or raw in rels)]
        if lines:
            lines[-1] += f" (+{others} pages)" if others else ""
        for line in lines:
            self._message(line)
        index_written(self.vault, written, on_change=self._emit)
        # the files it could not compile, for the app to name (the messages above say it too)
        self._emit(ChangeSummary(compile_errors=list(getattr(report, "errors", None) or []),
                                 unsupported_files=list(getattr(report, "unsupported", None)
                                                        or [])))

    def reconcile(self, reason: str | None) -> Future[None] | None:
        """Make index and compiled pages agree with the disk (on the worker). Requests made
        while one is still queued share it."""
        with self._lock:
            if self._reconcile_queued is not None:
                return self._reconcile_queued
            if reason:
                self._message(f"checking the whole vault: {reason}")
            future = self._reconcile_queued = self._submit(self._reconcile)
            return future

    def _reconcile(self) -> None:
        with self._lock:
            self._reconcile_queued = None
        self.stats.reconciles += 1
        # every raw file, including those deleted while nobody watched
        self._compile(None)
        self._emit(self.vault.refresh())

    # -- output ---------------------------------------------------------------------------
    def _emit(self, summary: ChangeSummary) -> None:
        if self._on_change is not None and not summary.is_empty():
            self._on_change(summary)

    def _message(self, text: str) -> None:
        log.info("%s", text)
        if self._on_message is not None:
            try:
                self._on_message(text)
            except Exception:
                log.exception("on_message failed")


def _stop_quietly(observer: BaseObserver) -> None:
    try:
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=5)
    except Exception:  # a half-started observer: nothing more to release
        log.debug("observer stop failed", exc_info=True)


def _compiler_available() -> bool:
    return importlib.util.find_spec("wiki.compile") is not None


def _default_index_updater(root: Path) -> Callable[[], Any] | None:
    if not _compiler_available():
        return None

    def update(root: Path = root) -> Any:
        from wiki.compile import update_index  # (~0.1 s: imported when first needed)
        return update_index(root)

    return update


def _default_compiler(root: Path) -> Callable[[list[Path] | None], Any] | None:
    if not _compiler_available():
        return None

    def compile_raw(paths: list[Path] | None) -> Any:
        # imported when a raw article first needs it, on the worker: importing the compiler
        # took 0.1 s of the UI thread when the app started watching a vault
        from wiki.compile import compile_vault
        return compile_vault(root, only=paths, repeat_errors=False)

    return compile_raw
