"""Read raw articles (the suffixes of ``wiki.core.rules.RAW_SUFFIXES``) into plain text, with
one clear message for bad input."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wiki.compile.reading import metadata
from wiki.compile.types import ArticleMeta
from wiki.core.fileio import Unreadable, decode, read_bytes
from wiki.core.rules import ANSWER_TYPE, MAX_RAW_BYTES, is_raw_file, raw_suffix_list
from wiki.markup.frontmatter import as_str, split_frontmatter

MAX_BYTES = MAX_RAW_BYTES
MAX_PDF_BYTES = 50 * 1024 * 1024  # papers with figures are large; their text is small
_FURNITURE_ROLES: Any = {"role": ["navigation", "banner", "contentinfo"]}  # (bs4 stubs: str)
_MAIN_ROLE: Any = {"role": "main"}
HTML_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
             "svg", "button", "template", "select", "menu", "dialog")
# class or id words of page furniture: cookie banners, sidebars, comments, share buttons, menus
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|sidebar|side-bar|comments?|comment-list|share|sharing|"
    r"social|newsletter|subscribe|subscription|related|recommended|breadcrumbs?|menu|navbar|"
    r"nav|site-header|site-footer|masthead|footer|advert|advertisement|ads|promo|popup|modal|"
    r"widget|skip-link|docinfo|header)(?=$|[\s_-])", re.IGNORECASE)  # (docinfo: the byline table)


class BadInput(Exception):
    """A raw file that cannot be compiled; ``str(e)`` is one line for the user."""


@dataclass(frozen=True, slots=True)
class RawText:
    text: str  # plain text; Markdown-ish for .md and .html (``#`` headings, ``•`` list items)
    title: str | None  # a title found in metadata (<title>, frontmatter), if any
    fmt: str  # "text", "markdown", "html" or "pdf"
    info: ArticleMeta = field(default_factory=ArticleMeta)  # authors, date, description, URL


def read_raw(path: Path, *, max_bytes: int = MAX_BYTES) -> RawText:
    """Read and decode one raw file. Raises :class:`BadInput` with a one-line reason."""
    suffix = path.suffix.lower()
    if not is_raw_file(path):
        raise BadInput(f"unsupported file type '{suffix or path.name}' (use {raw_suffix_list()})")
    if suffix == ".pdf":
        max_bytes = max(max_bytes, MAX_PDF_BYTES)
    try:
        data, st, truncated = read_bytes(path, max_bytes=max_bytes)
    except Unreadable as exc:
        raise BadInput(f"cannot read the file: {exc}") from None
    if truncated:
        raise BadInput(f"too large to compile: {st.st_size / 1e6:.1f} MB "
                       f"(the limit is {max_bytes / 1e6:.0f} MB)")
    if suffix == ".pdf":
        return _read_pdf(data)
    text = decode_article(data)
    if suffix in (".html", ".htm"):
        title, body, info = html_article(text)
        if not body.strip():
            raise BadInput("no readable text in this HTML page "
                           "(only scripts, styles or navigation)")
        return RawText(body, title, "html", info)
    if suffix in (".md", ".markdown"):
        toml = metadata.split_toml_frontmatter(text)
        if toml is not None:
            meta, body = toml
        else:
            meta, body, _, _ = split_frontmatter(text)
        if (as_str(meta.get("type")) or "").casefold() == ANSWER_TYPE:
            raise BadInput("a filed answer (type: answer): answers are never compiled as "
                           "sources")
        if not body.strip():
            raise BadInput("empty file: nothing to compile")
        info = metadata.from_frontmatter(meta)
        return RawText(body, info.title or None, "markdown", info)
    return RawText(text, None, "text")


def _read_pdf(data: bytes) -> RawText:
    from wiki.compile.reading.pdf import NoText, pdf_text

    if not data.startswith(b"%PDF"):
        raise BadInput("not a PDF file (it does not start with %PDF)")
    try:
        text, info = pdf_text(data)
    except NoText as exc:
        raise BadInput(str(exc)) from None
    return RawText(text, info.title or None, "pdf", info)


def decode_article(data: bytes) -> str:
    """Bytes to text by the vault's one decoding policy (``wiki.core.fileio.decode``); an
    article that is empty, binary or not clean text is refused with the reason."""
    if not data.strip():
        raise BadInput("empty file: nothing to compile")
    decoded = decode(data)
    if decoded.binary:
        raise BadInput("binary file, not text")
    if decoded.lossy:
        raise BadInput("not UTF-8 text: it has bytes that are not valid UTF-8")
    if not decoded.text.strip():
        raise BadInput("empty file: nothing to compile")
    return decoded.text


_UNNAMED_SECTION = re.compile(r"<!\[(?!CDATA\[)")


def html_to_text(html: str) -> tuple[str | None, str]:
    """Main content of an HTML page as Markdown-ish text: ``#`` headings, ``•`` list items."""
    title, text, _info = html_article(html)
    return title, text


def html_article(html: str) -> tuple[str | None, str, ArticleMeta]:
    """(title, main content as Markdown-ish text, what the page's ``<meta>`` tags say)."""
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, ParserRejectedMarkup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        try:
            soup = BeautifulSoup(html, "html.parser")
        except ParserRejectedMarkup:
            # html.parser gives up on a marked section it cannot name ("<![[" in a page about
            # wiki links): read those as text, as a browser shows them
            try:
                soup = BeautifulSoup(_UNNAMED_SECTION.sub("&lt;![", html), "html.parser")
            except ParserRejectedMarkup as exc:
                raise BadInput("this HTML page could not be parsed") from exc
    info = metadata.from_html_meta(soup)
    title = " ".join(soup.title.get_text(" ", strip=True).split()) if soup.title else None
    for tag in soup.find_all(HTML_DROP):
        if tag.decomposed or (tag.name == "header" and tag.find("h1")
                              and tag.find_parent(["article", "main"])):
            continue  # an article's own header holds its title; its nav still goes
        tag.decompose()
    for tag in soup.find_all(attrs=_FURNITURE_ROLES):
        tag.decompose()
    _drop_furniture(soup)
    roots: list[Any] = list(soup.find_all("article"))
    if not roots:
        main = soup.find("main") or soup.find(attrs=_MAIN_ROLE) or soup.body or soup
        roots = [main]
    chunks: list[str] = []
    for root in roots:
        lines: list[str] = []
        try:
            _walk(root, lines)
        except RecursionError:  # markup nested thousands deep: keep its text, lose its shape
            lines = [" ".join(line.split()) for line in root.get_text("\n").splitlines()]
        chunks.append("\n\n".join(line for line in lines if line.strip()))
    text = "\n\n".join(c for c in chunks if c.strip())
    if len(roots) == 1:
        text = _sections_under_the_title(text, title or info.title)
    heads = _H1_LINE.findall(text)
    if len(heads) == 1:
        # the page's own <h1> is a better title than <title> ("Site | Story"); what stands
        # before it is the site's furniture (a menu line), unless it is long
        first = _H1_LINE.search(text)
        assert first is not None
        title = heads[0]
        if len(text[:first.start()].strip()) < 600:
            text = text[first.start():]
    elif heads:
        title = None  # several articles, each under its own <h1>
    elif title:
        parts = re.split(r"\s+[|–—·»]\s+|\s+-\s+", title)
        if len(parts) > 1 and len(parts[0].split()) >= 3:
            title = parts[0]  # "Story title | Site name"
    return (title or None), text, info


_H1_LINE = re.compile(r"^# (.+)$", re.MULTILINE)


def _sections_under_the_title(text: str, title: str | None) -> str:
    """One document whose title is its first ``<h1>`` and whose sections are ``<h1>`` too (as
    docutils writes them): the sections become ``##`` headings, so the page is one article
    with its sections, not one article per section."""
    heads = _H1_LINE.findall(text)
    if len(heads) < 2 or not title or _plain(heads[0]) != _plain(title):
        return text
    first = _H1_LINE.search(text)
    assert first is not None
    rest = _H1_LINE.sub(r"## \1", text[first.end():])
    return text[:first.end()] + rest


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _drop_furniture(soup) -> None:
    """Drop elements whose class or id names page furniture (cookie banner, sidebar, comments),
    unless they hold the article itself (``<article>``, ``<main>``, ``<h1>``, most of the text)."""
    marked = []
    total = len(soup.get_text(" ", strip=True))
    for tag in soup.find_all(True):
        if tag.name in ("html", "body", "article", "main"):
            continue
        names = " ".join([*(tag.get("class") or []), str(tag.get("id") or "")])
        if names.strip() and _BOILERPLATE.search(names):
            marked.append(tag)
    marked += _tables_of_contents(soup)
    for tag in marked:
        if tag.decomposed or tag.find(["article", "main", "h1"]) \
                or len(tag.get_text(" ", strip=True)) * 2 > total:
            continue  # a wrapper such as "content-with-sidebar" holds the article itself
        tag.decompose()


def _tables_of_contents(soup) -> list:
    """The outermost lists of links to the page's own sections (``#anchors``) with little
    else: tables of contents, navigation rather than text. One pass from the leaves up (a
    search below every element would be quadratic in markup nested thousands deep)."""
    from bs4 import NavigableString, Tag

    # per element: [links, links to #anchors, characters of link text, characters of text]
    counts: dict[int, list[int]] = {}
    nodes = list(soup.descendants)
    for node in reversed(nodes):
        parent = node.parent
        if parent is None:
            continue
        up = counts.setdefault(id(parent), [0, 0, 0, 0])
        if isinstance(node, NavigableString):
            n = len(node.strip())
            up[3] += n
            if parent.name == "a":
                up[2] += n
            continue
        mine = counts.get(id(node), [0, 0, 0, 0])
        if node.name == "a":
            mine[0] += 1
            mine[1] += str(node.get("href") or "").startswith("#")
        for k in range(4):
            up[k] += mine[k]
        if node.name == "a":
            up[2] += mine[3] - mine[2]  # (its text is link text)
    found = []
    for node in nodes:
        if not isinstance(node, Tag) or node.name not in ("div", "ul", "ol", "table", "nav"):
            continue
        links, anchors, linked, text = counts.get(id(node), [0, 0, 0, 0])
        if links >= 3 and anchors == links and linked >= 0.8 * text \
                and not any(p in found for p in node.parents):
            found.append(node)
    return found


_BLOCK_TAGS = {"p", "div", "section", "blockquote", "pre", "td", "th", "dd", "dt", "figcaption",
               "main", "article", "body", "table", "tr", "ul", "ol", "dl", "figure", "center",
               "header", "hgroup", "address"}


def _walk(node, lines: list[str]) -> None:
    from bs4 import NavigableString, Tag

    inline: list[str] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(inline)).strip()
        if text:
            lines.append(text)
        inline.clear()

    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child).__name__ in ("Comment", "Doctype", "Declaration", "CData",
                                        "ProcessingInstruction"):
                continue
            inline.append(str(child))
        elif isinstance(child, Tag):
            name = child.name.lower()
            if re.fullmatch(r"h[1-6]", name):
                flush()
                text = re.sub(r"\s+", " ", child.get_text(" ", strip=True))  # wrapped <h1>
                text = re.sub(r"[\ue000-\uf8ff¶#\s]+$", "", text)  # permalink signs, icons
                if text:
                    lines.append("#" * max(2, int(name[1])) + " " + text if name != "h1"
                                 else "# " + text)
            elif name == "pre":
                flush()
                code = child.get_text().strip("\n")
                if code.strip():
                    lines.append("```\n" + code.replace("```", "ʼʼʼ") + "\n```")
            elif name == "code":
                code = " ".join(child.get_text().split())
                if code:
                    inline.append(f" `{code}` ")
            elif name == "li":
                flush()
                text = re.sub(r"\s+", " ", child.get_text(" ", strip=True))
                if text:
                    lines.append("• " + text)
            elif name == "br":
                inline.append(" ")
            elif name in _BLOCK_TAGS:
                flush()
                _walk(child, lines)
            else:
                inline.append(child.get_text(" "))
    flush()
