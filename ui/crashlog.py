"""A native crash (a segfault in libQt6Gui, an abort) leaves a trace in a log file.

``faulthandler`` writes the Python stack of every thread to ``crash.log`` in the user's state
folder (``~/.local/state/Commonplace`` on Linux, from platformdirs) when the process dies of a
fatal signal; a header line per start says when and which process, so a trace can be matched
to a session. The file is kept small: past ``MAX_BYTES`` it is moved to ``crash.log.1``.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from platformdirs import user_state_path

LOG_NAME = "crash.log"
MAX_BYTES = 1_000_000
_open_log: TextIO | None = None  # kept open for faulthandler, which writes to its descriptor


def log_path() -> Path:
    return user_state_path("Commonplace", appauthor=False) / LOG_NAME


def enable(path: Path | None = None) -> Path | None:
    """Send fatal-error tracebacks to the crash log; the log's path, or None when it cannot
    be written (then faulthandler writes to stderr, as Python would)."""
    global _open_log
    path = path or log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_name(LOG_NAME + ".1"))
        log = open(path, "a", encoding="utf-8")  # noqa: SIM115 - must stay open
        log.write(f"--- Commonplace started {time.strftime('%Y-%m-%d %H:%M:%S %z')} "
                  f"pid {os.getpid()} python {sys.version.split()[0]}\n")
        log.flush()
    except OSError:
        faulthandler.enable(all_threads=True)
        return None
    if _open_log is not None:
        _open_log.close()
    _open_log = log
    faulthandler.enable(file=log, all_threads=True)
    return path
