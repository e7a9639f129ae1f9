"""The `wiki` command: a thin layer over the engine. With no subcommand it opens the app."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from wiki.cli.errors import EXIT_USAGE, CliError
from wiki.core.paths import vault_from_args
from wiki.vault.facade import Vault, VaultError

if TYPE_CHECKING:
    from wiki.vault.lint import LintReport

APP_ENTRY_POINT = "commonplace"  # [project.gui-scripts] in pyproject.toml


def _progress_printer(label: str) -> Callable[[int, int, str], None] | None:
    if not sys.stderr.isatty():
        return None
    last = [0.0]

    def show(done: int, total: int, _message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] < 0.1 and done < total:
            return
        last[0] = now
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def open_vault(args: argparse.Namespace, *, refresh: bool = True) -> Vault:
    root = vault_from_args(args.vault)
    vault = Vault.open(root)
    for warning in vault.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if refresh:
        summary = vault.refresh(_progress_printer("indexing"))
        for warning in summary.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return vault


def _need_page(vault: Vault, name: str) -> str:
    path = vault.find_page(name)
    if path is None:
        raise CliError(f"no page named '{name}' in {vault.root}")
    return path


# -- commands -------------------------------------------------------------------------------
def cmd_index(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with open_vault(args, refresh=False) as vault:
        progress = _progress_printer("indexing")
        if vault.readonly:
            if args.rebuild:
                raise CliError(f"cannot rebuild the index: {vault.readonly_reason}")
            print(f"{vault.readonly_reason}; the index is kept up to date there",
                  file=sys.stderr)
            summary = vault.refresh()
        elif args.rebuild:
            summary = vault.rebuild(progress)
        else:
            summary = vault.refresh(progress)
        for warning in summary.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        elapsed = time.perf_counter() - started
        print(f"{vault.page_count()} pages indexed in {elapsed:.2f} s "
              f"({len(summary.added)} added, {len(summary.modified)} changed, "
              f"{len(summary.removed)} removed)")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        building = vault.index_being_built()  # before and after: a rebuild may begin, or
        results = vault.search(args.query, limit=args.limit)  # end, while we search
        building = vault.index_being_built() or building
    if results.error:
        raise CliError(results.error)
    if building and not results.hits:
        raise CliError("the search index is being rebuilt by another Commonplace process; "
                       "search again when it has finished")
    if building:
        how_far = (f" ({results.indexed:,} of {results.index_total:,} pages indexed so far)"
                   if results.index_total else "")
        print("wiki: warning: the search index is being rebuilt by another Commonplace "
              f"process{how_far}: these results may be incomplete", file=sys.stderr)
    if args.json:
        print(json.dumps([{"path": h.path, "title": h.title, "score": round(h.score, 4),
                           "snippet": h.snippet} for h in results.hits], ensure_ascii=False,
                         indent=2))
    else:
        for hit in results.hits:
            print(f"{hit.path}  —  {hit.title}")
            if hit.snippet:
                print(f"    {hit.snippet}")
    if not results.hits:
        if results.suggestion:
            print(f"no results; did you mean: {results.suggestion}", file=sys.stderr)
        elif not args.json:
            print("no results", file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        path = _need_page(vault, args.page)
        info = vault.page_info(path)
        assert info is not None
        data: dict[str, Any] = {
            "path": path,
            "title": info.title,
            "aliases": list(info.aliases),
            "tags": list(info.tags),
            "type": info.type,
            "links": [{"target": r.link.target or path, "path": r.path,
                       "text": r.link.text or r.link.target} for r in vault.outgoing(path)],
            "backlinks": [{"path": m.path, "title": m.title, "context": m.context}
                          for m in vault.backlinks(path)],
            "unlinked_mentions": [{"path": m.path, "title": m.title, "context": m.context}
                                  for m in vault.unlinked_mentions(path)],
        }
        problem = vault.problem(path)
    if problem:
        data["problem"] = problem
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{data['title']}  ({path})")
    for key in ("aliases", "tags"):
        if data[key]:
            print(f"{key}: {', '.join(data[key])}")
    if problem:
        print(f"problem: {problem}")
    print(f"\nlinks ({len(data['links'])}):")
    for link in data["links"]:
        print(f"  {link['text']} -> {link['path'] or '(missing)'}")
    print(f"\nbacklinks ({len(data['backlinks'])}):")
    for mention in data["backlinks"]:
        print(f"  {mention['path']}: {mention['context']}")
    print(f"\nunlinked mentions ({len(data['unlinked_mentions'])}):")
    for mention in data["unlinked_mentions"]:
        print(f"  {mention['path']}: {mention['context']}")
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from wiki.vault.lint import lint

    with open_vault(args) as vault:
        report = lint(vault)
        if getattr(args, "llm", False):  # contradictions, asked of the configured model
            from wiki.cli.ask import lint_with_model

            return lint_with_model(vault, report, as_json=args.json)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print_lint(report)
    print(f"{report.count()} findings")
    return 0


def print_lint(report: LintReport) -> None:
    for item in report.broken_links:
        print(f"broken link: {item['path']}:{item['line']} -> [[{item['target']}]]")
    for path in report.orphans:
        print(f"orphan: {path}")
    for item in report.duplicate_names:
        print(f"duplicate name '{item['name']}': {', '.join(item['paths'])}")
    for path in report.empty_pages:
        print(f"empty: {path}")
    for item in report.problems:
        print(f"problem: {item['path']}: {item['problem']}")


def _lazy(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        import importlib

        return getattr(importlib.import_module(module), name)(args)

    return run


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    vault_opt = argparse.ArgumentParser(add_help=False)
    vault_opt.add_argument("--vault", metavar="PATH",
                           help="the vault folder (default: $WIKI_VAULT, then the per-user vault)")
    parser = argparse.ArgumentParser(
        prog="wiki", parents=[vault_opt],
        description="Commonplace: a personal wiki compiled from what you read. "
                    "With no command, opens the app.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", parents=[vault_opt], help="bring the index and graph up to date")
    p.add_argument("--rebuild", action="store_true", help="rebuild everything from the files")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", parents=[vault_opt], help="full-text search")
    p.add_argument("query")
    p.add_argument("--limit", type=_positive_int, default=20, help="at most this many hits")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", parents=[vault_opt],
                       help="a page with its links, backlinks and unlinked mentions")
    p.add_argument("page", help="a page name, alias or path")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("lint", parents=[vault_opt],
                       help="broken links, orphans, duplicate names, empty pages")
    p.add_argument("--json", action="store_true")
    p.add_argument("--llm", action="store_true",
                   help="also ask the configured model for sources that contradict each other")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("build", parents=[vault_opt],
                       help="compile raw articles (the seeds by default) into the vault")
    p.add_argument("--from", dest="source", metavar="DIR",
                   help="folder of raw articles (default: the seeds)")
    p.add_argument("--llm", action="store_true",
                   help="let the configured model write summaries and descriptions")
    p.set_defaults(func=_lazy("wiki.cli.compile", "cmd_build"))

    p = sub.add_parser("ingest", parents=[vault_opt],
                       help="copy articles into raw/ and compile them")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--llm", action="store_true",
                   help="let the configured model write summaries and descriptions")
    p.set_defaults(func=_lazy("wiki.cli.compile", "cmd_ingest"))

    p = sub.add_parser("watch", parents=[vault_opt],
                       help="keep the vault compiled and indexed as files change")
    p.set_defaults(func=_lazy("wiki.cli.watch", "cmd_watch"))

    from wiki.cli.pages import add_commands

    add_commands(sub, vault_opt)

    p = sub.add_parser("ask", parents=[vault_opt],
                       help="answer a question from the vault's pages, with citations "
                            "(needs a model: COMMONPLACE_LLM_URL and COMMONPLACE_LLM_MODEL)")
    p.add_argument("question")
    p.add_argument("--json", action="store_true",
                   help='print {"answer", "citations": [{"path", "title"}], "saved"}')
    p.add_argument("--save", action="store_true",
                   help="file the answer under answers/ (indexed, logged in log.md)")
    p.set_defaults(func=_lazy("wiki.cli.ask", "cmd_ask"))

    p = sub.add_parser("mcp", parents=[vault_opt],
                       help="serve the vault to an AI agent (Model Context Protocol, stdio)")
    p.set_defaults(func=_lazy("wiki.cli.mcp", "cmd_mcp"))
    return parser


def _start_app(argv: list[str]) -> int:
    """Start the desktop app through its installed entry point: the engine never imports it."""
    from importlib.metadata import entry_points

    found = entry_points(group="gui_scripts", name=APP_ENTRY_POINT)
    if not found:
        print("wiki: the desktop app is not installed; use a command (see `wiki --help`)",
              file=sys.stderr)
        return EXIT_USAGE
    app_main = next(iter(found)).load()
    return int(app_main(argv) or 0)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if args.command is None:
        return _start_app(argv)  # the app's own options (--open, --screenshot) pass through
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return args.func(args)
    except (VaultError, CliError) as exc:
        print(f"wiki: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("wiki: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
