"""Import articles (dropped files or File > Import Articles…): compile, index, then report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Signal

from ui.tasks import Tasks
from wiki.core.model import ChangeSummary
from wiki.core.rules import raw_file_filter

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


def _ingest(root: Path, files: list[Path], compiler=None, progress: Callable | None = None):
    from wiki.compile import ingest_files  # the compiler loads only when first needed

    return ingest_files(root, files, progress, compiler=compiler)


class Importer(QObject):
    """Runs ``ingest_files`` then ``vault.update_paths`` on the engine worker.

    ``finished(first_source_page or "", message)`` is emitted on the UI thread when both are done.
    """

    started = Signal(int)  # number of files
    finished = Signal(str, str)

    def __init__(self, tasks: Tasks, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.vault = None
        # () -> the compiler to use, None for the rules (the Ask pane's "let the model write")
        self.compiler_factory: Callable[[Path], object] | None = None

    def import_files(self, files: Iterable[Path]) -> bool:
        files = [Path(f) for f in files]
        if self.vault is None or not files:
            return False
        if self.vault.readonly:
            self.finished.emit("", "This vault is open read-only: cannot import.")
            return False
        vault = self.vault
        self.started.emit(len(files))

        def compiled(report) -> None:
            written = list(dict.fromkeys([*report.written, *report.created]))
            self.tasks.run(vault.update_paths, written,
                           on_done=lambda summary: self._indexed(report, summary),
                           on_error=self._failed)

        compiler = self.compiler_factory(vault.root) if self.compiler_factory else None
        self.tasks.run(_ingest, vault.root, files, compiler, with_progress=True,
                       on_done=compiled, on_error=self._failed)
        return True

    def _indexed(self, report, _summary: ChangeSummary) -> None:
        sources = [page for pages in report.source_pages.values() for page in pages]
        first = sources[0] if sources else (report.created[0] if report.created else "")
        parts = [f"Imported {len(report.source_pages)} file"
                 f"{'' if len(report.source_pages) == 1 else 's'}: "
                 f"{len(report.created)} new page{'' if len(report.created) == 1 else 's'}, "
                 f"{len(report.updated)} updated"]
        if report.errors:
            name, message = report.errors[0]
            parts.append(f"{Path(name).name}: {message}")
            if len(report.errors) > 1:
                parts.append(f"and {len(report.errors) - 1} more error(s)")
        if report.conflicts:
            parts.append(f"{len(report.conflicts)} page(s) you edited were left alone")
        self.finished.emit(first, "; ".join(parts))

    def _failed(self, message: str) -> None:
        self.finished.emit("", f"Import failed: {message}")
