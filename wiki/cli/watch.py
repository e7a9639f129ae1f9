"""`wiki watch`: run the VaultWatcher headless, one line per change, until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from types import FrameType

from wiki.core.model import ChangeSummary
from wiki.core.paths import default_vault_path, vault_from_args
from wiki.core.worker import Worker
from wiki.vault.facade import Vault, VaultError
from wiki.watch.watcher import VaultWatcher

EXIT_BUSY = 2


def _say(line: str) -> None:
    print(line, flush=True)


def print_summary(summary: ChangeSummary) -> None:
    if summary.rebuilt:
        _say(f"rebuilt the index ({len(summary.added)} pages)")
    else:
        for path in sorted(summary.added | summary.modified):
            _say(f"indexed {path}")
    for path in sorted(summary.removed):
        _say(f"removed {path}")
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr, flush=True)


def cmd_watch(args: argparse.Namespace) -> int:
    root = vault_from_args(getattr(args, "vault", None))
    try:  # the default vault is created on first use; a --vault that does not exist is a typo
        vault = Vault.open(root, create=root == default_vault_path())
    except VaultError as exc:
        print(f"wiki: {exc}", file=sys.stderr)
        return EXIT_BUSY
    if vault.readonly:
        vault.close()
        print(f"wiki: another Commonplace process is already watching or writing {root}; "
              "stop it first (searches and `wiki show` work meanwhile)", file=sys.stderr)
        return EXIT_BUSY
    for warning in vault.warnings:
        print(f"warning: {warning}", file=sys.stderr, flush=True)

    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():  # asked twice: leave now; the next start recovers (crash-safe)
            print("wiki: stopping now without finishing the current step", file=sys.stderr)
            os._exit(130)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    worker = Worker("wiki-watch")
    watcher = VaultWatcher(vault, worker, on_change=print_summary, on_message=_say)
    try:
        watcher.start()
        _say(f"watching {root} (Ctrl+C to stop)")
        while not stop.wait(0.5):
            pass
        _say("stopping (press Ctrl+C again to stop at once)" if worker.busy else "stopping")
    finally:
        watcher.stop()
        worker.close(wait=True)
        vault.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
