"""`wiki pages`, `wiki mv`, `wiki rm` and `wiki export --html`: managing pages from scripts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wiki.cli.main import CliError, _need_page, open_vault
from wiki.vault.editing import EditError


def _writable(vault) -> None:
    if vault.readonly:
        raise CliError("another Commonplace process is writing this vault; try again when it "
                       "has finished (or do it in the app)")


def cmd_pages(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        rows = [{"path": info.path, "name": info.title, "label": vault.label(info.path),
                 "aliases": list(info.aliases), "tags": list(info.tags), "type": info.type}
                for info in vault.pages()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        tags: list[str] = list(row["tags"] or [])
        extra = "".join(f"  #{t}" for t in tags)
        print(f"{row['path']}  —  {row['label']}{extra}")
    print(f"{len(rows)} pages", file=sys.stderr)
    return 0


def cmd_mv(args: argparse.Namespace) -> int:
    from wiki.vault.rename import apply_rename, plan_rename

    with open_vault(args) as vault:
        _writable(vault)
        path = _need_page(vault, args.page)
        try:
            plan = plan_rename(vault, path, args.new)
        except EditError as exc:
            raise CliError(str(exc)) from None
        print(plan.summary())
        for src in sorted(plan.edits):
            print(f"  {src}")
        if args.dry_run:
            return 0
        if sys.stdin.isatty() and not args.yes and plan.files:
            answer = input("Rename and update them? [y/N] ").strip().lower()
            if answer not in ("y", "yes"):
                print("not renamed")
                return 1
        try:
            apply_rename(vault, plan)
        except EditError as exc:
            raise CliError(str(exc)) from None
        print(f"renamed: {plan.new}")
    return 0


def cmd_rm(args: argparse.Namespace) -> int:
    from wiki.vault.trash import delete_page

    with open_vault(args) as vault:
        _writable(vault)
        path = _need_page(vault, args.page)
        links = len({src for src, _l in vault.graph.backlinks(path) if src != path})
        try:
            deleted, _summary = delete_page(vault, path)
        except EditError as exc:
            raise CliError(str(exc)) from None
    still = ""
    if links:
        still = f"; {links} pages still link to it" if links > 1 else "; 1 page still links to it"
    print(f"deleted {path} (moved to the {deleted.where}){still}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from wiki.vault.export_html import ExportError, export_html

    with open_vault(args) as vault:
        pages = [_need_page(vault, name) for name in args.pages] or None
        try:
            report = export_html(vault, Path(args.html), pages)
        except ExportError as exc:
            raise CliError(str(exc)) from None
    for problem in report.problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"{report.pages} pages and {report.files} files written to {args.html}")
    return 0


def add_commands(sub, vault_opt: argparse.ArgumentParser) -> None:
    p = sub.add_parser("pages", parents=[vault_opt],
                       help="every page with its path, name, aliases, tags and type")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_pages)

    p = sub.add_parser("mv", parents=[vault_opt],
                       help="rename or move a page, updating every link to it")
    p.add_argument("page", help="a page name, alias or path")
    p.add_argument("new", help="a new name (same folder) or a path from the vault root")
    p.add_argument("--dry-run", action="store_true", help="only say what would change")
    p.add_argument("--yes", action="store_true", help="do not ask (asked only on a terminal)")
    p.set_defaults(func=cmd_mv)

    p = sub.add_parser("rm", parents=[vault_opt],
                       help="delete a page to the system trash (or the vault's .trash/)")
    p.add_argument("page", help="a page name, alias or path")
    p.set_defaults(func=cmd_rm)

    p = sub.add_parser("export", parents=[vault_opt],
                       help="the vault (or some pages) as a static HTML site")
    p.add_argument("--html", required=True, metavar="OUT", help="folder to write the site to")
    p.add_argument("pages", nargs="*", metavar="PAGE", help="only these pages")
    p.set_defaults(func=cmd_export)
