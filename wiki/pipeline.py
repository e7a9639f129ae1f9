"""Compile, then index what was written: the one way raw articles reach the search index.

The CLI (``wiki build``, ``wiki ingest``), the watcher, the app's import and its first run all
go through here, so they agree on the order: an article's own pages are indexed first (they are
searchable at once), the vault-wide ``index.md`` and ``log.md`` last (in a big vault index.md is
the slowest page to index). Runs on the caller's thread: in the app and the watcher that is the
engine worker, which serialises every index write.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wiki.core.model import ChangeSummary
from wiki.core.rules import is_special_page

if TYPE_CHECKING:
    from wiki.compile.compiler import Compiler
    from wiki.compile.types import CompileReport
    from wiki.vault.facade import Vault

Progress = Callable[[int, int, str], None] | None
OnChange = Callable[[ChangeSummary], None] | None


@dataclass(slots=True)
class Compiled:
    """What a compile did (``report``) and what indexing it changed (``summary``)."""

    report: CompileReport
    summary: ChangeSummary = field(default_factory=ChangeSummary)

    @property
    def first_source_page(self) -> str | None:
        """The first source page the compile produced: the page to open after an import."""
        for pages in self.report.source_pages.values():
            if pages:
                return pages[0]
        return self.report.created[0] if self.report.created else None


def index_written(vault: Vault, written: Iterable[str],
                  on_change: OnChange = None) -> ChangeSummary:
    """Index these vault-relative paths, the compiler's vault-wide pages last. ``on_change``
    gets each part's summary as soon as it is indexed. Always indexes at least once, so a vault
    whose ``.wiki/`` is new gets its first full index even when the compile wrote nothing."""
    paths = list(dict.fromkeys(written))
    total = ChangeSummary()
    own = [p for p in paths if not is_special_page(p)]
    special = [p for p in paths if is_special_page(p)]
    for i, part in enumerate((own, special)):
        if not part and (i or special):
            continue
        summary = vault.update_paths(part)
        if on_change is not None and not summary.is_empty():
            on_change(summary)
        total.merge(summary)
    return total


def _index(vault: Vault, report: CompileReport, on_change: OnChange) -> Compiled:
    # created pages are in ``written`` too; listing them again costs nothing and guards
    # against a compiler that forgets one
    done = Compiled(report, index_written(vault, [*report.written, *report.created], on_change))
    refused = refused_summary(report)
    if on_change is not None and not refused.is_empty():
        on_change(refused)
    done.summary.merge(refused)
    return done


def refused_summary(report: CompileReport) -> ChangeSummary:
    """The files the compiler refused, as a change summary the app shows (``compile_errors``,
    ``unsupported_files``): a file dropped into raw/ is never silently ignored."""
    return ChangeSummary(compile_errors=list(report.errors),
                         unsupported_files=list(report.unsupported))


def compile_and_index(vault: Vault, *, only: list[Path] | None = None,
                      repeat_errors: bool | None = None, progress: Progress = None,
                      on_change: OnChange = None, today: _dt.date | None = None) -> Compiled:
    """Compile the raw articles that are new, changed or deleted (or just ``only``), then index."""
    from wiki.compile import compile_vault  # the compiler loads only when first needed

    report = compile_vault(vault.root, only=only, progress=progress, today=today,
                           repeat_errors=repeat_errors)
    return _index(vault, report, on_change)


def ingest_and_index(vault: Vault, files: Iterable[Path], *, progress: Progress = None,
                     on_change: OnChange = None, today: _dt.date | None = None,
                     compiler: Compiler | None = None) -> Compiled:
    """Copy articles into ``raw/``, compile them (with ``compiler``, default the rules), then
    index."""
    from wiki.compile import ingest_files

    report = ingest_files(vault.root, [Path(f) for f in files], progress, today=today,
                          compiler=compiler)
    return _index(vault, report, on_change)


def build_and_index(vault: Vault, source_dir: Path, *, progress: Progress = None,
                    on_change: OnChange = None, today: _dt.date | None = None,
                    compiler: Compiler | None = None) -> Compiled:
    """Copy every article of ``source_dir`` into ``raw/``, compile, then index (``wiki build``
    and the first run's seeds)."""
    from wiki.compile import build_from

    report = build_from(vault.root, source_dir, progress, today=today, compiler=compiler)
    return _index(vault, report, on_change)
