"""``wiki build`` and ``wiki ingest``: compile raw articles into the vault, then index it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wiki.cli.errors import EXIT_USAGE
from wiki.compile.types import CompileReport
from wiki.core.paths import SEEDS_DIR, vault_from_args
from wiki.pipeline import Compiled, build_and_index, ingest_and_index
from wiki.vault.facade import Vault, VaultError


def cmd_build(args: argparse.Namespace) -> int:
    root = vault_from_args(getattr(args, "vault", None))
    source = Path(args.source).expanduser() if getattr(args, "source", None) else SEEDS_DIR
    if not source.is_dir():
        raise VaultError(f"{source}: not a folder")
    with _writable_vault(root) as vault:
        return _finish(build_and_index(vault, source, progress=_progress))


def cmd_ingest(args: argparse.Namespace) -> int:
    root = vault_from_args(getattr(args, "vault", None))
    with _writable_vault(root) as vault:
        files = [Path(f).expanduser() for f in args.files]
        return _finish(ingest_and_index(vault, files, progress=_progress))


def _writable_vault(root: Path) -> Vault:
    """Open (creating) the vault and hold its writer lock for the whole compile, so two
    processes never compile or index the same vault at once."""
    vault = Vault.open(root, create=True)
    if vault.readonly:
        vault.close()
        raise VaultError("another Commonplace process (the app or `wiki watch`) is writing this "
                         "vault; import the files there, or drop them into its raw/ folder")
    return vault


def _progress(done: int, total: int, message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r[{done}/{total}] {message[:70]:<70}", end="", file=sys.stderr, flush=True)


def print_report(report: CompileReport, out=None) -> None:
    out = out or sys.stdout
    for rel in report.created:
        print(f"created  {rel}", file=out)
    for rel in report.updated:
        print(f"updated  {rel}", file=out)
    for rel in report.removed:
        print(f"removed  {rel}", file=out)
    for message in report.conflicts:
        print(f"conflict {message}", file=out)
    for file, message in report.errors:  # one line each on stderr, as every wiki error
        print(f"wiki: {file}: {message}", file=sys.stderr)
    n_sources = sum(len(v) for v in report.source_pages.values())
    print(f"{len(report.created)} created, {len(report.updated)} updated, "
          f"{len(report.removed)} removed, {n_sources} source page(s) compiled, "
          f"{len(report.conflicts)} conflict(s), {len(report.errors)} error(s)", file=out)


def _finish(done: Compiled) -> int:
    report = done.report
    if sys.stderr.isatty():
        print("\r" + " " * 80 + "\r", end="", file=sys.stderr)
    print_report(report)
    compiled = any(report.source_pages.values())
    return EXIT_USAGE if report.errors and not compiled else 0
