"""When is a changed file ready to act on: per-path debouncing, then a completeness check.

``Debouncer``: a path becomes ready once it has had no event for ``quiet`` seconds, or
``ceiling`` seconds after the first event of its pending run, whichever comes first. Paths that
become ready at about the same time are delivered together in one ``on_ready(set_of_paths)``
call, so a burst of a thousand files gives a handful of batches. Delivery happens on the
debouncer's own timer thread.

``FileSettler``: of the debounced paths, which files are complete (not still being written)?
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


class Debouncer:
    """Thread-safe: ``touch`` may be called from any thread."""

    def __init__(self, quiet: float = 0.3, ceiling: float = 2.0, *,
                 on_ready: Callable[[set[str]], None]) -> None:
        if quiet <= 0 or ceiling < quiet:
            raise ValueError("need 0 < quiet <= ceiling")
        self.quiet = quiet
        self.ceiling = ceiling
        # Paths due within this much of the earliest ready one go in the same batch.
        self.slack = quiet / 2
        self._on_ready = on_ready
        self._pending: dict[str, tuple[float, float]] = {}  # path -> (first event, last event)
        self._cond = threading.Condition()
        self._closed = False
        self._flush = False
        self.batches = 0  # number of on_ready calls so far
        self._thread = threading.Thread(target=self._run, name="wiki-debounce", daemon=True)
        self._thread.start()

    def touch(self, path: str) -> None:
        self.touch_many((path,))

    def touch_many(self, paths: Iterable[str]) -> None:
        now = time.monotonic()
        with self._cond:
            if self._closed:
                return
            for path in paths:
                first = self._pending.get(path, (now, now))[0]
                self._pending[path] = (first, now)
            self._cond.notify()

    def pending(self) -> int:
        with self._cond:
            return len(self._pending)

    def flush(self) -> None:
        """Deliver every pending path now (on the timer thread)."""
        with self._cond:
            self._flush = True
            self._cond.notify()

    def close(self, flush: bool = False) -> None:
        """Stop the timer thread; pending paths are dropped unless ``flush``."""
        with self._cond:
            if self._closed:
                return
            self._flush = flush
            self._closed = True
            self._cond.notify()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)

    def _due(self, times: tuple[float, float]) -> float:
        first, last = times
        return min(last + self.quiet, first + self.ceiling)

    def _take_ready(self, now: float) -> tuple[set[str], float | None]:
        """Ready paths (removed from pending) and the time to wait for the next check."""
        if self._flush:
            ready = set(self._pending)
            self._pending.clear()
            self._flush = False
            return ready, None
        if not self._pending:
            return set(), None
        dues = {path: self._due(times) for path, times in self._pending.items()}
        earliest = min(dues.values())
        if earliest > now:
            return set(), earliest - now
        ready = {path for path, due in dues.items() if due <= now + self.slack}
        for path in ready:
            del self._pending[path]
        return ready, 0.0 if self._pending else None

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._closed and not self._flush:
                    self._pending.clear()
                    return
                ready, wait = self._take_ready(time.monotonic())
                if not ready:
                    if self._closed:
                        return
                    self._cond.wait(wait)
                    continue
                self.batches += 1
            try:
                self._on_ready(ready)
            except Exception:  # a bad callback must not stop the debouncer
                log.exception("debounce callback failed")


CREATED, WRITTEN = 1, 2  # what was seen of a file since its last close-after-write


@dataclass(slots=True)
class _FileState:
    writing: int = 0  # 0, CREATED or WRITTEN
    stat: tuple[int, int] | None = None  # (size, mtime_ns) at the last check or close
    since: float = 0.0  # when ``stat`` was taken


class FileSettler:
    """Tracks files between their first event and the moment they can be read whole.

    A file created or written since its last close-after-write must keep its size and mtime
    across two checks (a debounce window apart); one that was written (a writer may still hold
    it open), or is still empty, also waits for the close-after-write event, at most ``grace``
    seconds without change. A ``strict`` file (a raw article, compiled once, complete) always
    waits for its close or a rename into place, and is checked twice (the first check may be
    the close). Set ``use_close = False`` when no close events come (polling). Thread-safe.
    """

    def __init__(self, root: Path, *, grace: float = 5.0) -> None:
        self.root = root
        self.grace = grace
        self.use_close = True
        self._files: dict[str, _FileState] = {}
        self._lock = threading.Lock()

    def event(self, rel: str, *, strict: bool, complete: bool = False, writing: int = 0) -> None:
        """Record an event: ``complete`` for a close-after-write or a rename into place,
        ``writing`` CREATED or WRITTEN for a create or a write."""
        with self._lock:
            if complete:
                if strict:
                    self._files[rel] = _FileState(0, self._stat(rel), time.monotonic())
                else:
                    self._files.pop(rel, None)
            elif writing and self.use_close:
                old = self._files.get(rel)
                level = max(writing, old.writing if old else 0)
                self._files[rel] = _FileState(level, None, time.monotonic())

    def ready(self, rel: str, *, strict: bool) -> bool:
        """True when the file can be read now (or is gone); False: check again later."""
        now = time.monotonic()
        with self._lock:
            state = self._files.pop(rel, None)
            if state is None and not strict:
                return True
            state = state or _FileState()
            current = self._stat(rel)
            if current is None:
                return True
            if current != state.stat and (state.writing or strict):
                state.stat, state.since = current, now
            elif not (now - state.since < self.grace and (state.writing == WRITTEN or (
                    state.writing and (strict or current[0] == 0)))):
                return True
            self._files[rel] = state
            return False

    def _stat(self, rel: str) -> tuple[int, int] | None:
        try:
            st = (self.root / rel).stat()
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns)
