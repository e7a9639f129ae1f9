"""Helpers shared by the engine tests (not tests themselves): polling waits and running the
real `wiki` entry point in a subprocess."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def wait_until(cond: Callable[[], bool], timeout: float = 15.0, interval: float = 0.05) -> bool:
    """Poll ``cond`` until it holds or ``timeout`` passes; the last answer is returned."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(interval)
    return cond()


def wiki_command(*args: str, vault: Path | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "wiki", *args]
    return cmd + ["--vault", str(vault)] if vault is not None else cmd


def run_wiki(*args: str, vault: Path | None = None, **kw) -> subprocess.CompletedProcess[str]:
    """Run `python -m wiki ARGS [--vault VAULT]` to completion, capturing text output."""
    kw.setdefault("timeout", 120)
    return subprocess.run(wiki_command(*args, vault=vault), capture_output=True, text=True,
                          cwd=REPO, **kw)


def popen_wiki(*args: str, vault: Path | None = None, **kw) -> subprocess.Popen[str]:
    """Start `python -m wiki ARGS [--vault VAULT]` with piped output."""
    return subprocess.Popen(wiki_command(*args, vault=vault), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO, **kw)


def read_page_failing_in_workers(root: Path, rel: str, *, links: bool = False):
    """``read_page``, except in a worker process of a parallel index build, where it fails
    (a worker that dies or hits a bug): the build must go on in the main process."""
    import multiprocessing

    from wiki.markup.pages import read_page

    if multiprocessing.parent_process() is not None:
        raise OSError("simulated failure in a worker process")
    return read_page(root, rel, links=links)


def rows_failing_in_workers(root: Path, rels, stash_dir=None, number=0):
    """``first_read.packed_rows_of``, failing in a worker process (the main process reads
    instead)."""
    import multiprocessing

    from wiki.vault.first_read import packed_rows_of

    if multiprocessing.parent_process() is not None:
        raise OSError("simulated failure in a worker process")
    return packed_rows_of(root, rels, stash_dir, number)
