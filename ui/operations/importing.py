"""Import articles (dropped files or File > Import Articles…): compile, index, then report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData

from ui.context import AppContext

IMPORT_FILTER = "Articles (*.txt *.html *.htm *.md *.markdown);;All files (*)"


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


def _ingest(root: Path, files: list[Path], progress: Callable | None = None):
    from wiki.compile import ingest_files  # the compiler loads only when first needed

    return ingest_files(root, files, progress)


def describe(report) -> tuple[str, str]:
    """(the page to open or "", one line for the status bar) for a ``CompileReport``."""
    sources = [page for pages in report.source_pages.values() for page in pages]
    first = sources[0] if sources else (report.created[0] if report.created else "")
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
    return first, "; ".join(parts)


def import_articles(ctx: AppContext, files: list[Path], *,
                    on_done: Callable[[str, str], None]) -> bool:
    """Copy ``files`` into ``raw/``, compile them and index what was written, on the engine
    worker; then ``on_done(first_source_page or "", message)`` on the UI thread. False (and
    nothing done) when there is nothing to import or the vault is read-only."""
    files = [Path(f) for f in files]
    if not files:
        return False
    vault = ctx.vault
    if vault.readonly:
        on_done("", "This vault is open read-only: cannot import.")
        return False

    def failed(message: str) -> None:
        on_done("", f"Import failed: {message}")

    def compiled(report) -> None:
        written = list(dict.fromkeys([*report.written, *report.created]))
        ctx.tasks.run(vault.update_paths, written,
                      on_done=lambda _summary: on_done(*describe(report)), on_error=failed)

    ctx.tasks.run(_ingest, vault.root, files, with_progress=True, on_done=compiled,
                  on_error=failed)
    return True
