"""``wiki build`` and ``wiki ingest``: compile raw articles into the vault, then index it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wiki.cli.errors import EXIT_USAGE
from wiki.compile.types import CompileReport
from wiki.core.paths import SEEDS_DIR, vault_from_args
from wiki.pipeline import Compiled, build_and_index, ingest_and_index
from wiki.vault.facade import Vault, VaultError

if TYPE_CHECKING:
    from wiki.llm.compile import LLMCompiler


def cmd_build(args: argparse.Namespace) -> int:
    root = vault_from_args(getattr(args, "vault", None))
    source = Path(args.source).expanduser() if getattr(args, "source", None) else SEEDS_DIR
    if not source.is_dir():
        raise VaultError(f"{source}: not a folder")
    compiler = _llm_compiler(args, root)
    with _writable_vault(root) as vault:
        return _finish(build_and_index(vault, source, progress=_progress, compiler=compiler),
                       compiler)


def cmd_ingest(args: argparse.Namespace) -> int:
    root = vault_from_args(getattr(args, "vault", None))
    compiler = _llm_compiler(args, root)
    with _writable_vault(root) as vault:
        files = [Path(f).expanduser() for f in args.files]
        return _finish(ingest_and_index(vault, files, progress=_progress, compiler=compiler),
                       compiler)


def _llm_compiler(args: argparse.Namespace, root: Path) -> LLMCompiler | None:
    """With ``--llm``: the compiler whose prose a model writes (see wiki/llm/compile.py)."""
    if not getattr(args, "llm", False):
        return None
    from wiki.llm.client import LLMClient, LLMError
    from wiki.llm.compile import LLMCache, LLMCompiler
    from wiki.llm.config import NotConfigured, require_config

    try:
        client = LLMClient(require_config())
    except (NotConfigured, LLMError) as exc:
        raise VaultError(str(exc).splitlines()[0] + " (set COMMONPLACE_LLM_URL and "
                         "COMMONPLACE_LLM_MODEL; see the README's 'Bring your own AI')") from None
    return LLMCompiler(client, LLMCache(root))


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


def _finish(done: Compiled, compiler: LLMCompiler | None = None) -> int:
    report = done.report
    if sys.stderr.isatty():
        print("\r" + " " * 80 + "\r", end="", file=sys.stderr)
    print_report(report)
    if compiler is not None:
        for line in compiler.stats.lines():
            print(line)
        if compiler.stats.stopped:  # the pages are compiled, but not as asked: say so, exit 2
            reason = compiler.stats.stopped.removeprefix("stopped asking: ")
            print(f"wiki: {reason}; the rule compiler's text was kept", file=sys.stderr)
            return EXIT_USAGE
    compiled = any(report.source_pages.values())
    return EXIT_USAGE if report.errors and not compiled else 0
