"""Markdown page -> HTML for the app's page view (Python-Markdown + our WikiLinkExtension).

No Qt here. ``render_page`` strips frontmatter (shown as a small tags/aliases line), renders
tables, fenced code, heading anchors, wiki links and embeds (one level deep), highlights search
terms and drops scripts, styles, frames and ``on*`` attributes from raw HTML.
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown import Markdown

from wiki.core.rules import normalize_rel
from wiki.markup.frontmatter import as_str, as_str_list, as_tag_list, split_frontmatter
from wiki.markup.obsidian_inline import ObsidianExtension
from wiki.markup.render_ext import (
    RenderState,
    WikiLinkExtension,
    anchor_of,
    file_href,
    missing_href,
    slug,
    terms_pattern,
    wiki_href,
)
from wiki.markup.render_guard import hide_open_tags, install_guards, restore_html, too_deep
from wiki.markup.safe_urls import safe_mailto
from wiki.markup.sanitize import clean_html
from wiki.markup.syntax import HEADING_LINE

__all__ = ["RenderedPage", "render_page", "parse_href", "slug", "extract_section", "wiki_href",
           "missing_href", "sanitize", "qt_blocks", "render_vault_page"]

Resolve = Callable[[str], str | None]

MAX_PAGE_BYTES = 4 * 1024 * 1024
_HEADING = HEADING_LINE
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_LIST_LINE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]")
_FOOTNOTE_ID = re.compile(r'<(?:li|sup) id="((?:fn|fnref):[^"]+)">')
_FOOTNOTE_ANCHOR = re.compile(r'<a name="((?:fn|fnref):[^"]+)">')
_PRE = re.compile(r"<pre\b[^>]*>.*?</pre>", re.DOTALL)
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")
_QUOTE_TAG = re.compile(r"<(/?)blockquote\b[^>]*>", re.IGNORECASE)
_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
_QUOTE_START = ('<table class="quote" width="100%" cellspacing="0" cellpadding="8"><tr>'
                '<td class="quote-bar" width="4"></td><td class="quote-body">')
_QUOTE_END = "</td></tr></table>"
MAX_TABLE_DEPTH = 5


@dataclass
class RenderedPage:
    html: str
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # (level, text, id)
    title: str | None = None  # the page's name: frontmatter title, else the file name
    problem: str | None = None  # e.g. malformed frontmatter, shown above the page
    # Everything the page view may load, by URL: drawn formulas now, vault images once read
    # (``images``: the vault paths behind the ``vault:`` image URLs). Nothing else is loaded.
    resources: dict[str, bytes] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)  # vault: URL -> vault path
    anchors: list[str] = field(default_factory=list)  # block ids (^id) and footnote anchors


class _Renderers(threading.local):
    """One cached Markdown instance per thread (and one for embeds, which get no anchors)."""

    def __init__(self) -> None:
        self.main = self._make(with_toc=True)
        self.embed = self._make(with_toc=False)

    @staticmethod
    def _make(with_toc: bool) -> tuple[Markdown, WikiLinkExtension, ObsidianExtension]:
        ext = WikiLinkExtension()
        obsidian = ObsidianExtension()
        extensions: list = [
            "tables", "footnotes", "pymdownx.highlight", "pymdownx.superfences", "sane_lists",
            "pymdownx.mark", "pymdownx.tilde", obsidian, ext]
        configs: dict = {
            # Fences inside quotes, callouts and list items too; Pygments' token classes,
            # coloured by the stylesheet for the palette (wiki.markup.code_style).
            "pymdownx.highlight": {"noclasses": False, "guess_lang": False,
                                   "use_pygments": True},
            "pymdownx.tilde": {"subscript": False},
            "footnotes": {"BACKLINK_TEXT": "↩", "SUPERSCRIPT_TEXT": "{}"},
        }
        if with_toc:
            extensions.append("toc")
            configs["toc"] = {"slugify": lambda value, sep: slug(value)}
        md = Markdown(extensions=extensions, extension_configs=configs, output_format="html")
        install_guards(md)  # linear on hostile pages (wiki.markup.render_guard)
        return md, ext, obsidian


_local = _Renderers()
_FAILURES = (RecursionError, ValueError, IndexError, KeyError, TypeError, AttributeError)


def render_page(
    markdown_text: str,
    *,
    resolve: Resolve,
    embed_loader: Callable[[str], str | None] | None = None,
    highlight_terms: Sequence[str] = (),
    resolve_asset: Resolve | None = None,
    resolve_markdown: Resolve | None = None,
    resolve_file: Resolve | None = None,
    embed_file: Callable[[str], str | None] | None = None,
    flipped: frozenset[int] | None = frozenset(),
) -> RenderedPage:
    """Render a page. ``resolve(target)`` gives the vault path of a wiki link target or None
    (``resolve_markdown``, if given, does the same for ``[text](relative/path.md)`` targets);
    ``embed_loader(path)`` gives the text of a page to embed; ``resolve_asset(name)`` gives a
    URL for an image file, or None when there is no such file; ``resolve_file(name)`` gives the
    vault path of an attachment and ``embed_file(path)`` the HTML that shows it embedded.
    ``flipped``: the foldable callouts the user has opened or closed (None: all open)."""
    meta, body, _offset, problem = split_frontmatter(markdown_text)
    terms = terms_pattern(tuple(highlight_terms))
    resources: dict[str, bytes] = {}
    images: set[str] = set()

    def embed(path: str, heading: str | None) -> str | None:
        return _render_embed(path, heading, embed_loader, resolve, resolve_asset, resolve_file,
                             terms, resources, images)

    md, ext, obsidian = _local.main
    obsidian.folds.flipped = flipped or frozenset()
    obsidian.folds.open_all = flipped is None
    ext.state = RenderState(resolve=resolve, resolve_markdown=resolve_markdown,
                            resolve_asset=resolve_asset, resolve_file=resolve_file,
                            embed_file=embed_file,
                            embed=embed if embed_loader else None, terms=terms)
    md.reset()
    anchors: list[str] = []
    try:
        deep = too_deep(body)
        if deep:
            problem = problem or deep
            raise ValueError(deep)
        out = restore_html(md.convert(hide_open_tags(body)))
        tokens = getattr(md, "toc_tokens", [])
        resources.update(obsidian.resources)
        images.update(ext.state.vault_images)
        anchors = ["^" + b for b in obsidian.blocks]
    except _FAILURES as exc:
        # Python-Markdown gives up on pathological input (e.g. lists nested 1000 deep):
        # show the text as it is rather than nothing.
        problem = problem or f"This page could not be formatted ({type(exc).__name__}); " \
                             "it is shown as plain text."
        out, tokens = f"<pre>{html_lib.escape(body)}</pre>", []
        if not deep:  # a converter that gave up mid-document keeps half its state: start
            _local.main = _Renderers._make(with_toc=True)  # the next page with a fresh one
    finally:
        ext.state = RenderState(resolve=_no_resolve)
    out = qt_blocks(out)
    if table_depth(out) > MAX_TABLE_DEPTH:
        problem = problem or "Tables nest too deeply on this page; it is shown as plain text."
        out, tokens = qt_blocks(f"<pre>{html_lib.escape(body)}</pre>"), []
    headings = list(_flatten(tokens))
    anchors += _FOOTNOTE_ANCHOR.findall(out)
    title = as_str(meta.get("title"))
    header = _meta_line(meta, terms)
    if problem:
        header = f'<p class="problem">{html_lib.escape(problem)}</p>' + header

    def relative_image(src: str) -> str | None:
        return resolve_asset(unquote(src)) if resolve_asset else None

    def relative_link(href: str) -> str | None:
        target = unquote(href.partition("#")[0].partition("?")[0])
        if target.lower().endswith(".md"):
            found = (resolve_markdown or resolve)(target)
            return wiki_href(found) if found else missing_href(target)
        file = resolve_file(target) if resolve_file else None
        return file_href(file) if file else None

    allowed = images | set(resources)
    html = clean_html(header + out, allowed_images=allowed, relative_image=relative_image,
                      relative_link=relative_link)
    vault_images = {url: unquote(url[len("vault:"):]) for url in allowed
                    if url.startswith("vault:")}
    return RenderedPage(html=html, headings=headings, title=title, problem=problem,
                        resources=resources, images=vault_images, anchors=anchors)


def _no_resolve(_target: str) -> str | None:
    return None


def _render_embed(path: str, heading: str | None, loader: Callable[[str], str | None] | None,
                  resolve: Resolve, resolve_asset: Resolve | None, resolve_file: Resolve | None,
                  terms: re.Pattern[str] | None, resources: dict[str, bytes],
                  images: set[str]) -> str | None:
    """The embedded page (or one section or block of it) in a framed box, its own embeds as
    links."""
    text = loader(path) if loader else None
    if text is None:
        return None
    _meta, body, _o, _p = split_frontmatter(text)
    if heading and heading.startswith("^"):
        block = extract_block(body, heading[1:])
        body = block if block is not None else body
    elif heading:
        section = extract_section(body, heading)
        body = section if section is not None else body
    md, ext, obsidian = _local.embed
    obsidian.folds.open_all, obsidian.folds.links = True, False
    ext.state = RenderState(resolve=resolve, resolve_asset=resolve_asset, terms=terms,
                            resolve_file=resolve_file, self_path=path)
    md.reset()
    try:
        if too_deep(body):
            raise ValueError("nested too deeply")
        inner = _HEADING_TAG.sub(_demote, qt_blocks(restore_html(md.convert(hide_open_tags(body)))))
        resources.update(obsidian.resources)
        images.update(ext.state.vault_images)
    except _FAILURES:
        _local.embed = _Renderers._make(with_toc=False)
        inner = f"<pre>{html_lib.escape(body)}</pre>"
    finally:
        ext.state = RenderState(resolve=_no_resolve)
    name = path.rpartition("/")[2].removesuffix(".md")
    label = f"{name} › {heading}" if heading else name
    href = wiki_href(path, anchor_of(heading) if heading else None)
    return (
        '<table class="embed" width="100%" cellspacing="0" cellpadding="10"><tr>'
        f'<td class="embed-body"><p class="embed-title"><a href="{html_lib.escape(href)}">'
        f"{html_lib.escape(label)}</a></p>{inner}</td></tr></table>"
    )


_BLOCK_LINE = re.compile(r"(?:^|\s)\^([A-Za-z0-9][A-Za-z0-9\-]*)\s*$")


def _outside_fences(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of the lines that are not a code fence or inside one."""
    fence: str | None = None
    for i, line in enumerate(lines):
        f = _FENCE.match(line)
        if f:
            fence = None if fence == f.group(1) else (fence or f.group(1))
            continue
        if not fence:
            yield i, line


def extract_block(body: str, block_id: str) -> str | None:
    """The paragraph, list item or (for an id on a line of its own) the block above it that
    carries ``^block_id``, or None. Code fences don't count."""
    lines = body.splitlines()
    for i, line in _outside_fences(lines):
        m = _BLOCK_LINE.search(line)
        if not m or m.group(1) != block_id:
            continue
        if line.strip() == "^" + block_id:  # on its own line: the block above
            end = i
            while end > 0 and not lines[end - 1].strip():
                end -= 1
            start = end
            while start > 0 and lines[start - 1].strip():
                start -= 1
            return "\n".join(lines[start:end])
        if _LIST_LINE.match(line):
            return line.lstrip()
        start = i
        while start > 0 and lines[start - 1].strip() and not _HEADING.match(lines[start - 1]):
            start -= 1
        return "\n".join(lines[start:i + 1])
    return None


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
    for i, line in _outside_fences(lines):
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
    html = html.replace("<mark>", '<span class="highlight">').replace("</mark>", "</span>")
    html = html.replace("<del>", "<s>").replace("</del>", "</s>")
    html = _FOOTNOTE_ID.sub(r'\g<0><a name="\1"></a>', html)
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
    """``html`` through the page view's allow-list (see ``wiki.markup.sanitize``), with no
    vault images known: only web image sources survive."""
    return clean_html(html, allowed_images=set())


def parse_href(href: str) -> tuple[str, str, str]:
    """Split an href from a rendered page into (kind, target, anchor).

    kind is ``"page"`` (target: vault path), ``"missing"`` (target: the link target as written),
    ``"anchor"`` (same page), ``"external"`` (http, https, mailto: target is the URL; a mailto
    link without its ``attach=`` and other non-mail fields), ``"tag"``
    (target: the tag), ``"task"`` (target: the body line of a task box), ``"fold"`` (target: the
    number of a foldable callout), ``"file"`` (target: the vault path of an attachment),
    ``"whole"`` (show all of a long page) or ``"refused"`` (anything else)."""
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
    if scheme == "mailto":  # never ?attach=: wiki.markup.safe_urls
        return "external", safe_mailto(href)[0], ""
    if scheme in ("http", "https"):
        return "external", href, ""
    if scheme == "tag":
        return "tag", unquote(rest), ""
    if scheme in ("task", "fold") and rest.isdigit():
        return scheme, rest, ""
    if href == "commonplace:whole-page":  # a long page's "Show the whole page"
        return "whole", "", ""
    if scheme == "vault":
        file = normalize_rel(unquote(rest.partition("#")[0]))
        return ("file", file, "") if file else ("refused", href, "")
    return "refused", href, ""


def render_vault_page(vault, path: str, terms: Sequence[str] = (),
                      flipped: frozenset[int] | None = frozenset()) -> RenderedPage:
    """``wiki.markup.vault_page.render_vault_page`` (kept here for the callers of old)."""
    from wiki.markup.vault_page import render_vault_page as render

    return render(vault, path, terms, flipped)
