"""Run engine work off the UI thread and hand results back to it.

Writes (compile, refresh, index updates) go to the engine's single ``Worker``; reads that may
touch the disk (search, page loading) go to a separate reader thread, so a long build never
stalls search-as-you-type; rendering pages has a thread of its own (``render``), so a huge page
never holds up a search either. Results and errors come back through queued signals, so callbacks
always run on the UI thread.
"""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

from wiki.core.model import ChangeSummary
from wiki.core.worker import Worker


def _receiver_alive(callback: Callable[..., Any] | None) -> bool:
    """False when the callback is a method of a Qt object whose C++ side is already deleted
    (a window closed while its page or backlinks were loading)."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class Tasks(QObject):
    vault_changed = Signal(object)  # ChangeSummary, after each write that changed something
    busy_changed = Signal(bool)
    progress = Signal(int, int, str)  # done, total, message (from write tasks)
    error = Signal(str)  # one line for the status bar
    _deliver = Signal(object, object)  # (callback, value): hops to the UI thread

    def __init__(self, worker: Worker | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker or Worker()
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wiki-reader")
        self._renderer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wiki-render")
        self._generation: dict[str, int] = {}
        self._counter = itertools.count()
        self._writes_pending = 0
        self._deliver.connect(self._on_deliver)

    # -- writes -------------------------------------------------------------------------------
    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        with_progress: bool = False,
    ) -> Future:
        """Run ``fn(*args)`` on the engine worker. With ``with_progress`` it gets a
        ``progress=(done, total, message)`` keyword that feeds the ``progress`` signal.
        A ``ChangeSummary`` result is also broadcast as ``vault_changed``."""
        kwargs = {"progress": self._emit_progress} if with_progress else {}
        self._writes_pending += 1
        if self._writes_pending == 1:
            self.busy_changed.emit(True)
        future = self.worker.submit(fn, *args, **kwargs)
        future.add_done_callback(lambda f: self._deliver.emit(self._write_done, (f, on_done,
                                                                                    on_error)))
        return future

    def _emit_progress(self, done: int, total: int, message: str = "") -> None:
        self.progress.emit(done, total, message)

    def _write_done(self, payload: tuple) -> None:
        future, on_done, on_error = payload
        self._writes_pending -= 1
        if self._writes_pending == 0:
            self.busy_changed.emit(False)
        self._settle(future, on_done, on_error)
        if not future.cancelled() and not future.exception():
            result = future.result()
            if isinstance(result, ChangeSummary):
                self.broadcast(result)

    def broadcast(self, summary: ChangeSummary) -> None:
        """Tell every widget what changed (on the UI thread); an empty summary says nothing."""
        if not summary.is_empty():
            self.vault_changed.emit(summary)

    def broadcast_from_worker(self, summary: ChangeSummary) -> None:
        """``broadcast`` from an engine thread: delivered on the UI thread, in order."""
        self._deliver.emit(self.broadcast, summary)

    # -- reads --------------------------------------------------------------------------------
    def query(
        self,
        key: str,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run a read on the reader thread. A newer query with the same ``key`` supersedes an
        older one: the older one's result is dropped (search-as-you-type), and it is not run at
        all if it has not started yet."""
        self._read_on(self._reader, key, fn, args, on_done, on_error)

    def render(
        self,
        key: str,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """``query`` on the render thread: a page that takes long to render (megabytes of
        Markdown) never keeps a search waiting."""
        self._read_on(self._renderer, key, fn, args, on_done, on_error)

    def _read_on(self, executor: ThreadPoolExecutor, key: str, fn: Callable[..., Any],
                 args: tuple, on_done, on_error) -> None:
        generation = next(self._counter)
        self._generation[key] = generation

        def run() -> Any:
            if self._generation.get(key) != generation:
                return None  # superseded while it waited: its result would be dropped
            return fn(*args)

        def finished(future: Future) -> None:
            self._deliver.emit(self._read_done, (key, generation, future, on_done, on_error))

        executor.submit(run).add_done_callback(finished)

    def _read_done(self, payload: tuple) -> None:
        key, generation, future, on_done, on_error = payload
        if self._generation.get(key) != generation:
            return
        self._settle(future, on_done, on_error)

    # -- plumbing -----------------------------------------------------------------------------
    def _settle(self, future: Future, on_done, on_error) -> None:
        if future.cancelled():  # dropped by close()
            return
        if not (_receiver_alive(on_done) and _receiver_alive(on_error)):
            return  # its widget was closed while the work ran: nobody to show it to
        exc = future.exception()
        if exc is None:
            if on_done is not None:
                on_done(future.result())
            return
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if on_error is not None:
            on_error(message)
        else:
            traceback.print_exception(exc)
            self.error.emit(message)

    @Slot(object, object)
    def _on_deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)

    def wait_idle(self, timeout: float | None = None) -> bool:
        return self.worker.wait_idle(timeout)

    def close(self) -> None:
        self.worker.close(wait=True)
        self._reader.shutdown(wait=True, cancel_futures=True)
        self._renderer.shutdown(wait=True, cancel_futures=True)
