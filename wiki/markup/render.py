"""Markdown page -> HTML for the app's page view (Python-Markdown + our WikiLinkExtension).

No Qt here. ``render_page`` strips frontmatter (shown as a small tags/aliases line), renders
tables, fenced code, heading anchors, wiki links and embeds (one level deep), highlights search
terms and drops scripts, styles, frames and ``on*`` attributes from raw HTML.
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown import Markdown

from wiki.core.rules import is_hidden_part, normalize_rel
from wiki.markup.frontmatter import as_str, as_str_list, as_tag_list, split_frontmatter
from wiki.markup.render_ext import (
    RenderState,
    WikiLinkExtension,
    missing_href,
    slug,
    terms_pattern,
    wiki_href,
)

__all__ = ["RenderedPage", "render_page", "parse_href", "slug", "extract_section", "wiki_href",
           "missing_href", "sanitize", "qt_blocks", "render_vault_page"]

Resolve = Callable[[str], str | None]

MAX_PAGE_BYTES = 4 * 1024 * 1024
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_DANGEROUS_BLOCK = re.compile(
    r"<(script|style|iframe|object|embed|frameset|frame|applet)\b.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL)
_DANGEROUS_TAG = re.compile(
    r"</?(?:script|style|iframe|object|embed|frameset|frame|applet|meta|link|base)\b[^>]*>",
    re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_PRE = re.compile(r"<pre>.*?</pre>", re.DOTALL)
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")
_QUOTE_TAG = re.compile(r"<(/?)blockquote\b[^>]*>", re.IGNORECASE)
_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
_QUOTE_START = ('<table class="quote" width="100%" cellspacing="0" cellpadding="8"><tr>'
                '<td class="quote-bar" width="4"></td><td class="quote-body">')
_QUOTE_END = "</td></tr></table>"
MAX_TABLE_DEPTH = 5
_EVENT_ATTR = re.compile(r"""\s+on[a-zA-Z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"""(\s(?:href|src)\s*=\s*["']?)\s*(?:javascript|vbscript):""",
                         re.IGNORECASE)


@dataclass
class RenderedPage:
    html: str
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # (level, text, id)
    title: str | None = None  # frontmatter title, else the first heading's text
    problem: str | None = None  # e.g. malformed frontmatter, shown above the page


class _Renderers(threading.local):
    """One cached Markdown instance per thread (and one for embeds, which get no anchors)."""

    def __init__(self) -> None:
        self.main = self._make(with_toc=True)
        self.embed = self._make(with_toc=False)

    @staticmethod
    def _make(with_toc: bool) -> tuple[Markdown, WikiLinkExtension]:
        ext = WikiLinkExtension()
        extensions: list = ["tables", "fenced_code", "sane_lists", ext]
        configs = {}
        if with_toc:
            extensions.append("toc")
            configs["toc"] = {"slugify": lambda value, sep: slug(value)}
        md = Markdown(extensions=extensions, extension_configs=configs, output_format="html")
        return md, ext


_local = _Renderers()


def render_page(
    markdown_text: str,
    *,
    resolve: Resolve,
    embed_loader: Callable[[str], str | None] | None = None,
    highlight_terms: Sequence[str] = (),
    resolve_asset: Resolve | None = None,
    resolve_markdown: Resolve | None = None,
) -> RenderedPage:
    """Render a page. ``resolve(target)`` gives the vault path of a wiki link target or None
    (``resolve_markdown``, if given, does the same for ``[text](relative/path.md)`` targets);
    ``embed_loader(path)`` gives the text of a page to embed; ``resolve_asset(name)`` gives a
    URL for an image file, or None when there is no such file."""
    meta, body, _offset, problem = split_frontmatter(markdown_text)
    terms = terms_pattern(tuple(highlight_terms))

    def embed(path: str, heading: str | None) -> str | None:
        return _render_embed(path, heading, embed_loader, resolve, resolve_asset, terms)

    md, ext = _local.main
    ext.state = RenderState(resolve=resolve, resolve_markdown=resolve_markdown,
                            resolve_asset=resolve_asset,
                            embed=embed if embed_loader else None, terms=terms)
    md.reset()
    try:
        out = md.convert(body)
        tokens = getattr(md, "toc_tokens", [])
    except (RecursionError, ValueError, IndexError, KeyError, TypeError) as exc:
        # Python-Markdown gives up on pathological input (e.g. lists nested 1000 deep):
        # show the text as it is rather than nothing.
        problem = problem or f"This page could not be formatted ({type(exc).__name__}); " \
                             "it is shown as plain text."
        out, tokens = f"<pre>{html_lib.escape(body)}</pre>", []
        # A converter that gave up mid-document keeps half its state: start the next page
        # with a fresh one.
        _local.main = _Renderers._make(with_toc=True)
    finally:
        ext.state = RenderState(resolve=_no_resolve)
    out = qt_blocks(out)
    if table_depth(out) > MAX_TABLE_DEPTH:
        problem = problem or "Tables nest too deeply on this page; it is shown as plain text."
        out, tokens = qt_blocks(f"<pre>{html_lib.escape(body)}</pre>"), []
    headings = list(_flatten(tokens))
    title = as_str(meta.get("title")) or (headings[0][1] if headings else None)
    header = _meta_line(meta, terms)
    if problem:
        header = f'<p class="problem">{html_lib.escape(problem)}</p>' + header
    return RenderedPage(html=sanitize(header + out), headings=headings, title=title,
                        problem=problem)


def _no_resolve(_target: str) -> str | None:
    return None


def _render_embed(path: str, heading: str | None, loader: Callable[[str], str | None] | None,
                  resolve: Resolve, resolve_asset: Resolve | None,
                  terms: re.Pattern[str] | None) -> str | None:
    """The embedded page (or one section of it) in a framed box, its own embeds as links."""
    text = loader(path) if loader else None
    if text is None:
        return None
    _meta, body, _o, _p = split_frontmatter(text)
    if heading:
        section = extract_section(body, heading)
        body = section if section is not None else body
    md, ext = _local.embed
    ext.state = RenderState(resolve=resolve, resolve_asset=resolve_asset, terms=terms,
                            self_path=path)
    md.reset()
    try:
        inner = _HEADING_TAG.sub(_demote, qt_blocks(md.convert(body)))
    except (RecursionError, ValueError, IndexError, KeyError, TypeError):
        _local.embed = _Renderers._make(with_toc=False)
        inner = f"<pre>{html_lib.escape(body)}</pre>"
    finally:
        ext.state = RenderState(resolve=_no_resolve)
    name = path.rpartition("/")[2].removesuffix(".md")
    label = f"{name} › {heading}" if heading else name
    href = wiki_href(path, slug(heading) if heading else None)
    return (
        '<table class="embed" width="100%" cellspacing="0" cellpadding="10"><tr>'
        f'<td class="embed-body"><p class="embed-title"><a href="{html_lib.escape(href)}">'
        f"{html_lib.escape(label)}</a></p>{inner}</td></tr></table>"
    )


def _demote(m: re.Match[str]) -> str:
    """Embedded headings are two levels smaller than the page's own."""
    return f"<{m.group(1)}h{min(6, int(m.group(2)) + 2)}"


def extract_section(body: str, heading: str) -> str | None:
    """The lines under ``heading`` (matched by anchor id) up to the next heading of the same or
    a higher level, or None when there is no such heading. Headings in code fences don't count."""
    want = slug(heading)
    lines = body.splitlines(keepends=True)
    start: int | None = None
    level = 0
    fence: str | None = None
    for i, line in enumerate(lines):
        f = _FENCE.match(line)
        if f:
            fence = None if fence == f.group(1) else (fence or f.group(1))
            continue
        if fence:
            continue
        m = _HEADING.match(line.rstrip("\r\n"))
        if not m:
            continue
        if start is None:
            if slug(m.group(2)) == want:
                start, level = i, len(m.group(1))
        elif len(m.group(1)) <= level:
            return "".join(lines[start:i])
    return "".join(lines[start:]) if start is not None else None


def _flatten(tokens: list[dict]) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for tok in tokens:
        out.append((int(tok["level"]), html_lib.unescape(tok["name"]), tok["id"]))
        out.extend(_flatten(tok.get("children", [])))
    return out


def _meta_line(meta: dict, terms: re.Pattern[str] | None) -> str:
    tags = as_tag_list(meta.get("tags") if "tags" in meta else meta.get("tag"))
    aliases = as_str_list(meta.get("aliases") if "aliases" in meta else meta.get("alias"))
    parts: list[str] = []
    if tags:
        parts.append(" ".join(f'<span class="tag">#{html_lib.escape(t)}</span>' for t in tags))
    if aliases:
        parts.append("also: " + ", ".join(html_lib.escape(a) for a in aliases))
    kind = as_str(meta.get("type"))
    if kind:
        parts.insert(0, f'<span class="kind">{html_lib.escape(kind)}</span>')
    return f'<p class="meta">{" · ".join(parts)}</p>' if parts else ""


def qt_blocks(html: str) -> str:
    """Shapes QTextBrowser can style: code blocks and quotes become one-row tables (Qt gives
    padding, borders and a left bar only to table cells); Markdown tables get cell padding."""
    html = html.replace("\n</code></pre>", "</code></pre>")
    html = _PRE.sub(r'<table class="code" width="100%" cellspacing="0" cellpadding="10">'
                    r"<tr><td>\g<0></td></tr></table>", html)
    if "<blockquote" in html:
        html = _outer_quotes(html)
    return html.replace("<table>\n", '<table class="md" cellspacing="0" cellpadding="6">\n')


def _outer_quotes(html: str) -> str:
    """Outermost quotes become a table with a bar; nested ones stay quotes (Qt lays nested
    tables out in exponential time: 20 levels take seconds)."""
    out: list[str] = []
    depth = pos = 0
    for m in _QUOTE_TAG.finditer(html):
        out.append(html[pos:m.start()])
        pos = m.end()
        if m.group(1):  # closing tag
            depth = max(0, depth - 1)
            out.append(_QUOTE_END if depth == 0 else m.group(0))
        else:
            out.append(_QUOTE_START if depth == 0 else m.group(0))
            depth += 1
    out.append(html[pos:])
    return "".join(out)


def table_depth(html: str) -> int:
    """How deeply tables nest in ``html``."""
    depth = deepest = 0
    for m in _TABLE_TAG.finditer(html):
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def sanitize(html: str) -> str:
    """Drop scripts, styles, frames, objects, ``on*`` attributes and javascript: URLs."""
    html = _DANGEROUS_BLOCK.sub("", html)
    html = _DANGEROUS_TAG.sub("", html)

    def clean(m: re.Match[str]) -> str:
        tag = _EVENT_ATTR.sub("", m.group(0))
        return _SCRIPT_URL.sub(r"\1about:blank#", tag)

    return _TAG.sub(clean, html)


def parse_href(href: str) -> tuple[str, str, str]:
    """Split an href from a rendered page into (kind, target, anchor).

    kind is ``"page"`` (target: vault path), ``"missing"`` (target: the link target as written),
    ``"anchor"`` (same page), ``"external"`` (http, https, mailto: target is the URL) or
    ``"refused"`` (anything else)."""
    href = href.strip()
    scheme, colon, rest = href.partition(":")
    scheme = scheme.lower() if colon else ""
    if href.startswith("#"):
        return "anchor", "", unquote(href[1:])
    if scheme == "wiki":
        path, _h, frag = rest.partition("#")
        return "page", unquote(path), unquote(frag)
    if scheme == "wiki-missing":
        return "missing", unquote(rest.partition("#")[0]), ""
    if scheme in ("http", "https", "mailto"):
        return "external", href, ""
    return "refused", href, ""


def render_vault_page(vault, path: str, terms: Sequence[str] = ()) -> RenderedPage:
    """Read page ``path`` of ``vault`` (a ``wiki.vault.facade.Vault``) from disk and render it with
    links resolved from that page, embeds loaded and images found next to it or at the root.
    A missing file raises ``FileNotFoundError``; bad content gives a page with a problem line."""
    root: Path = vault.root
    clean = normalize_rel(path)
    if clean is None or any(is_hidden_part(p) for p in clean.split("/")):
        raise ValueError(f"{path} is not a page of this vault")
    text, problem = _read_text(root / clean)

    def embed_loader(target: str) -> str | None:
        try:
            return _read_text(root / target)[0]
        except OSError:
            return None

    def asset(name: str) -> str | None:
        folder = clean.rpartition("/")[0]
        for rel in (f"{folder}/{name}" if folder else name, name):
            found = normalize_rel(rel)
            if found is None or any(is_hidden_part(p) for p in found.split("/")):
                continue
            file = root / found
            if file.is_file() and file.resolve().is_relative_to(root.resolve()):
                return file.as_uri()
        return None

    cache: dict[tuple[str, str], str | None] = {}

    def resolve(target: str, kind: str = "wiki") -> str | None:
        key = (target, kind)
        if key not in cache:
            cache[key] = vault.resolve(target, clean, kind)
        return cache[key]

    page = render_page(
        text,
        resolve=resolve,
        resolve_markdown=lambda t: resolve(t, "markdown"),
        embed_loader=embed_loader,
        resolve_asset=asset,
        highlight_terms=terms,
    )
    info = vault.page_info(clean)
    page.title = (info.title if info else None) or page.title or Path(clean).stem
    if problem:
        page.html = f'<p class="problem">{html_lib.escape(problem)}</p>' + page.html
    return page


def _read_text(file: Path) -> tuple[str, str | None]:
    """(text, problem): never raises for bad content; a missing file raises FileNotFoundError."""
    with file.open("rb") as fh:
        data = fh.read(MAX_PAGE_BYTES + 1)
    problem = None
    if len(data) > MAX_PAGE_BYTES:
        data, problem = data[:MAX_PAGE_BYTES], "This page is very large; only the start is shown."
    if b"\x00" in data[:8192]:
        return "", "This file looks binary, not like a Markdown page."
    try:
        return data.decode("utf-8-sig"), problem
    except UnicodeDecodeError:
        return (data.decode("utf-8", errors="replace"),
                "This page is not valid UTF-8; some characters are shown as �.")
