"""``wiki export --html OUT``: the vault (or some pages) as a static site that opens from disk.

Each page is rendered exactly as the app renders it (``render_vault_page``) and written to
``OUT/<page path>.html``. Links between pages become relative ``.html`` links (links to pages
not exported, to missing pages, tags and task boxes become plain text), images and linked
attachments are copied to the same relative place, formulas are written as ``.svg`` files, and
the app's stylesheet (light colours) is inlined. No script, no server.
"""

from __future__ import annotations

import html as html_lib
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from wiki.core import fileio
from wiki.markup.code_style import code_css
from wiki.markup.render import RenderedPage
from wiki.markup.vault_page import render_vault_page

CSS_FILE = Path(__file__).resolve().parents[2] / "resources" / "page.css"
COLOURS = {"heading": "#1f2328", "muted": "#656d76", "link": "#0b62c4", "missing": "#c2410c",
           "code_bg": "#f1f3f5", "code_fg": "#24292f", "quote_bg": "#f6f8fa", "rule": "#d0d7de",
           "match_bg": "#ffe066", "match_fg": "#000000", "tag": "#6f42c1", "embed_bg": "#fafbfc",
           "embed_rule": "#c9d1d9", "quote_bar": "#c9d1d9", "text": "#1f2328", "size": "11",
           "mono": "'DejaVu Sans Mono', Menlo, Consolas, monospace"}
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024
_HREF = re.compile(r'(<a\b[^>]*?\s)href="([^"]*)"')
_SRC = re.compile(r'(<img\b[^>]*?\s)src="([^"]*)"')


class ExportError(Exception):
    """``str(e)`` is one line for the user."""


@dataclass
class ExportReport:
    pages: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


def _stylesheet() -> str:
    try:
        css = CSS_FILE.read_text(encoding="utf-8")
    except OSError:
        return ""
    for key, value in COLOURS.items():
        css = css.replace(f"@{key}@", value)
    css += code_css(dark=False)
    return css + "\nbody { max-width: 860px; margin: 24px auto; font-family: sans-serif; }\n" \
                 "img { max-width: 100%; }\n"


def export_html(vault, out: Path, pages: list[str] | None = None) -> ExportReport:
    """Write the site; ``pages`` (vault paths) limits it to those pages."""
    out = Path(out)
    root_real = os.path.realpath(vault.root)
    out_real = os.path.realpath(out)
    if out_real == root_real or out_real.startswith(root_real + os.sep):
        raise ExportError("the export folder must be outside the vault (it would be indexed)")
    wanted = sorted(pages) if pages else [info.path for info in vault.pages()]
    exported = set(wanted)
    css = _stylesheet()
    report = ExportReport()
    copied: set[str] = set()
    for path in wanted:
        try:
            page = render_vault_page(vault, path, flipped=None)  # every callout open
        except (OSError, ValueError) as exc:
            report.problems.append(f"{path}: {exc}")
            continue
        body = _rewrite(page, path, exported, out, copied, vault.root, report)
        title = html_lib.escape(page.title or path)
        doc = (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
               f"<title>{title}</title><style>{css}</style></head>\n<body>\n{body}\n"
               "</body></html>\n")
        target = out / (path[:-3] + ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        fileio.atomic_write(target, doc.encode("utf-8"), durable=False)
        report.pages += 1
    report.files = len(copied)
    return report


def _relative(from_page: str, to_file: str) -> str:
    return quote(posixpath.relpath(to_file, from_page.rpartition("/")[0] or "."), safe="/#")


def _rewrite(page: RenderedPage, path: str, exported: set[str], out: Path, copied: set[str],
             root: Path, report: ExportReport) -> str:
    def href(m: re.Match[str]) -> str:
        url = html_lib.unescape(m.group(2))
        scheme, colon, rest = url.partition(":")
        if url.startswith("#") or scheme in ("http", "https", "mailto"):
            return m.group(0)
        if scheme == "wiki":
            target, _h, anchor = rest.partition("#")
            target = unquote(target)
            if target in exported:
                link = _relative(path, target[:-3] + ".html") + (f"#{anchor}" if anchor else "")
                return f'{m.group(1)}href="{html_lib.escape(link)}"'
        if scheme == "vault":
            rel = unquote(rest)
            if _copy(root, rel, out, copied, report):
                return f'{m.group(1)}href="{html_lib.escape(_relative(path, rel))}"'
        return m.group(1).rstrip()  # tag:, task:, missing pages, pages not exported

    def src(m: re.Match[str]) -> str:
        url = html_lib.unescape(m.group(2))
        if url.startswith("math:") and url in page.resources:
            rel = "_math/" + url[len("math:"):]
            target = out / rel
            if rel not in copied:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(page.resources[url])
                copied.add(rel)
            return f'{m.group(1)}src="{html_lib.escape(_relative(path, rel))}"'
        if url.startswith("vault:"):
            rel = unquote(url[len("vault:"):])
            if _copy(root, rel, out, copied, report):
                return f'{m.group(1)}src="{html_lib.escape(_relative(path, rel))}"'
        if url.startswith(("http:", "https:")):
            return m.group(0)
        return m.group(1).rstrip()

    return _SRC.sub(src, _HREF.sub(href, page.html))


def _copy(root: Path, rel: str, out: Path, copied: set[str], report: ExportReport) -> bool:
    if rel in copied:
        return True
    try:
        data, _st, truncated = fileio.read_bytes(root / rel, max_bytes=MAX_ATTACHMENT_BYTES,
                                                 root=root)
    except fileio.Unreadable as exc:
        report.problems.append(f"{rel}: {exc}")
        return False
    if truncated:
        report.problems.append(f"{rel}: larger than {MAX_ATTACHMENT_BYTES >> 20} MB, not copied")
        return False
    target = out / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    copied.add(rel)
    return True
