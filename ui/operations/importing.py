"""Import articles (dropped files or File > Import Articles…): compile, index, then report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData

from ui.context import AppContext
from wiki.core.rules import raw_file_filter

if TYPE_CHECKING:
    from wiki.pipeline import Compiled

IMPORT_FILTER = raw_file_filter()


def local_files(mime: QMimeData) -> list[Path]:
    """The local files (not folders, not remote URLs) carried by a drag."""
    if not mime.hasUrls():
        return []
    out = []
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.is_file():
                out.append(path)
    return out


def describe(compiled: Compiled) -> tuple[str, str]:
    """(the page to open or "", one line for the status bar) for an import."""
    report = compiled.report
    files, created = len(report.source_pages), len(report.created)
    parts = [f"Imported {files} file{'' if files == 1 else 's'}: "
             f"{created} new page{'' if created == 1 else 's'}, {len(report.updated)} updated"]
    if report.errors:
        name, message = report.errors[0]
        parts.append(f"{Path(name).name}: {message}")
        if len(report.errors) > 1:
            parts.append(f"and {len(report.errors) - 1} more error(s)")
    if report.conflicts:
        parts.append(f"{len(report.conflicts)} page(s) you edited were left alone")
    return compiled.first_source_page or "", "; ".join(parts)


def import_articles(ctx: AppContext, files: list[Path], *, compiler: object | None = None,
                    on_done: Callable[[str, str], None]) -> bool:
    """Copy ``files`` into ``raw/``, compile them and index what was written
    (``wiki.pipeline.ingest_and_index``) on the engine worker. Each part of the index update is
    broadcast as soon as it is done (the article's own pages before ``index.md``); then
    ``on_done(first_source_page or "", message)`` on the UI thread. False (and nothing done)
    when there is nothing to import or the vault is read-only."""
    files = [Path(f) for f in files]
    if not files:
        return False
    vault = ctx.vault
    if vault.readonly:
        on_done("", "This vault is open read-only: cannot import.")
        return False

    def job(progress: Callable | None = None) -> Compiled:
        from wiki.pipeline import ingest_and_index  # the compiler loads only when first needed

        return ingest_and_index(vault, files, progress=progress, compiler=compiler,  # type: ignore[arg-type]
                                on_change=ctx.tasks.broadcast_from_worker)

    ctx.tasks.run(job, with_progress=True, on_done=lambda compiled: on_done(*describe(compiled)),
                  on_error=lambda message: on_done("", f"Import failed: {message}"))
    return True
