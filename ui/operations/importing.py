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
    """(the page to open or "", one line for the status bar) for an import. An article that
    was in the vault already says so and opens its page; a refused file is named, and the
    line starts with the warning sign."""
    report = compiled.report
    files, created = len(report.source_pages), len(report.created)
    already = {Path(f).name: pages for f, pages in report.already_imported.items()}
    page = compiled.first_source_page or ""
    parts = []
    if files or not (already or report.errors):
        parts.append(f"Imported {files} file{'' if files == 1 else 's'}: "
                     f"{created} new page{'' if created == 1 else 's'}, "
                     f"{len(report.updated)} updated")
    if already:
        name, pages = next(iter(already.items()))
        more = f" (and {len(already) - 1} more)" if len(already) > 1 else ""
        line = f"“{name}”{more} {'was' if not more else 'were'} already in the vault"
        if pages and not page:
            page = pages[0]
            line += f": opened {Path(pages[0]).stem}"
        parts.append(line)
    if report.errors:
        name, message = report.errors[0]
        parts.append(f"{'' if parts else 'Nothing imported: '}“{Path(name).name}”: {message}")
        if len(report.errors) > 1:
            parts.append(f"and {len(report.errors) - 1} more error(s)")
    if report.conflicts:
        parts.append(f"{len(report.conflicts)} page(s) you edited were left alone")
    return page, ("⚠ " if report.errors else "") + "; ".join(parts)


def problems(compiled: Compiled) -> list[str]:
    """Every file an import refused or could not compile, one line each (for the list of
    warnings)."""
    return [f"{Path(name).name}: {message}" for name, message in compiled.report.errors]


def import_articles(ctx: AppContext, files: list[Path], *, compiler: object | None = None,
                    on_done: Callable[[str, str], None],
                    on_problems: Callable[[list[str]], None] | None = None) -> bool:
    """Copy ``files`` into ``raw/``, compile them and index what was written
    (``wiki.pipeline.ingest_and_index``) on the engine worker. Each part of the index update is
    broadcast as soon as it is done (the article's own pages before ``index.md``); then
    ``on_problems(lines)`` when files were refused, and ``on_done(page or "", message)`` on the
    UI thread (the page: the first source page, or that of an article imported before).
    False (and nothing done) when there is nothing to import or the vault is read-only."""
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

    def done(compiled: Compiled) -> None:
        if on_problems is not None and compiled.report.errors:
            on_problems(problems(compiled))
        on_done(*describe(compiled))

    ctx.tasks.run(job, with_progress=True, on_done=done,
                  on_error=lambda message: on_done("", f"Import failed: {message}"))
    return True
