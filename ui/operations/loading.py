"""Opening a vault on the engine worker, including the first run that compiles the seeds."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from wiki.core.paths import SEEDS_DIR, default_vault_path

if TYPE_CHECKING:
    from ui.context import AppContext
    from wiki.vault.facade import Vault

Progress = Callable[[int, int, str], None]

# A first open's full-text index waits this long at most for the first page to be on screen:
# its first batch is indexed in this process, and would hold up the page's reading, rendering
# and the navigator (1.3 s of 13,415 pages' first open, bench_ui --first-open).
FIRST_PAGE_WAIT = 3.0


def has_no_pages(path: Path) -> bool:
    """True when ``path`` does not exist or holds no Markdown page outside hidden folders
    (an interrupted first run leaves ``raw/`` behind: it is simply compiled again)."""
    if not path.exists():
        return True
    if not path.is_dir():
        return False
    for page in path.rglob("*.md"):
        if not any(part.startswith(".") for part in page.relative_to(path).parts):
            return False
    return True


def needs_first_run(path: Path) -> bool:
    """The default vault without pages: it is built from the seed articles."""
    return path.resolve() == default_vault_path().resolve() and has_no_pages(path)


def read_whole_ahead(path: Path, first_run: bool) -> None:
    """A vault with no state yet is read whole when it opens: the worker processes that read
    it start now, and start up while the window paints and the vault's folders are scanned
    (wiki/vault/first_read.py). (Imported here, on the UI thread: importing in two threads at
    once can meet a module half made.)"""
    if first_run or (path / ".wiki" / "state.sqlite").exists():
        return
    from wiki.vault import first_read

    first_read.warm_up()


def open_vault(root: Path, first_run: bool = False, progress: Progress | None = None) -> Vault:
    """Runs on the worker. On the first run the seed articles are compiled into ``root`` and
    indexed (``wiki.pipeline``: each article's pages first, ``index.md``/``log.md`` last)."""
    from wiki.vault.facade import Vault  # imported on the worker, while the window is shown

    if first_run:
        root.mkdir(parents=True, exist_ok=True)
    vault = Vault.open(root, create=True)
    if first_run:
        from wiki.pipeline import build_and_index  # the compiler loads only when needed

        if progress:
            progress(0, 0, "Compiling the starter articles…")
        try:
            build_and_index(vault, SEEDS_DIR, progress=progress)
        except BaseException:
            vault.close()
            raise
    return vault


def refresh(ctx: AppContext, *, on_done: Callable[[object], None] | None = None,
            on_error: Callable[[str], None],
            on_indexed: Callable[[int], None] | None = None,
            shown: threading.Event | None = None) -> None:
    """Re-read what changed on disk (F5, and once after a vault opens), in two steps on the
    worker: pages, links and backlinks first (``on_done`` then, the summary broadcast by
    ``Tasks``), then the full-text index fills in batches, with progress, while search answers
    from what is indexed so far. A first open of a big vault is navigable in seconds. When
    there is an index to fill, it starts once ``shown`` is set (the first page is on screen),
    or after ``FIRST_PAGE_WAIT`` seconds."""
    vault = ctx.vault
    ctx.tasks.run(partial(vault.refresh, search_later=True), with_progress=True,
                  on_done=on_done, on_error=on_error)

    def fill(progress: Progress | None = None) -> int:
        """Phase 2. The number of pages search sees, when it had to fill the index in (a
        first open) and finished; else 0 (search saw every page already: most opens)."""
        pending = vault.search_progress()
        if pending is not None and shown is not None:
            shown.wait(FIRST_PAGE_WAIT)
        finished = vault.fill_search_index(progress)
        return pending[1] if pending is not None and finished else 0

    ctx.tasks.run(fill, with_progress=True, on_error=on_error,
                  on_done=lambda indexed: on_indexed(indexed) if on_indexed and indexed
                  else None)
