"""Python-Markdown pieces for Obsidian syntax: wiki links, embeds, .md links, term highlighting.

``WikiLinkExtension`` reads its per-document state from ``ext.state`` (a ``RenderState``) which
``wiki.markup.render`` sets before each conversion. Hrefs use schemes the page view routes itself:
``wiki:<quoted path>#<anchor>``, ``wiki-missing:<quoted target>`` and ``#anchor``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from wiki.core.scripts import has_no_space_script
from wiki.markup.syntax import URL_SCHEME

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp")
WIKI_LINK_RE = r"(!?)\[\[([^\[\]\n]+)\]\]"
SCHEME_RE = URL_SCHEME
_PLACEHOLDER = re.compile("\x02[^\x03]*\x03")
_SKIP_MARK = {"code", "pre", "script", "style"}


def slug(text: str) -> str:
    """The anchor id of a heading: what ``toc`` gives it and what links to it use."""
    return slugify_unicode(text, "-")


def wiki_href(path: str, anchor: str | None = None) -> str:
    href = "wiki:" + quote(path, safe="/")
    return href + "#" + quote(anchor, safe="") if anchor else href


def missing_href(target: str) -> str:
    return "wiki-missing:" + quote(target, safe="/")


def file_href(path: str) -> str:
    """An attachment inside the vault (opened with the system's app, never as a page)."""
    return "vault:" + quote(path, safe="/")


def anchor_of(heading: str) -> str:
    """A link's anchor: a heading's slug, or ``^id`` for a block."""
    heading = heading.strip()
    return heading if heading.startswith("^") else slug(heading)


def has_file_suffix(target: str) -> bool:
    """``x.pdf``, ``x.canvas``: a name with a suffix that is not a page's."""
    name = target.rpartition("/")[2]
    stem, dot, suffix = name.rpartition(".")
    return bool(dot and stem and suffix and suffix.lower() != "md" and " " not in suffix
                and len(suffix) <= 10)


@dataclass
class RenderState:
    """What one conversion needs to know about the vault."""

    resolve: Callable[[str], str | None]
    resolve_markdown: Callable[[str], str | None] | None = None  # relative .md link targets
    resolve_asset: Callable[[str], str | None] | None = None  # image name -> vault: URL
    resolve_file: Callable[[str], str | None] | None = None  # attachment name -> vault path
    embed_file: Callable[[str], str | None] | None = None  # attachment path -> html (canvas)
    embed: Callable[[str, str | None], str | None] | None = None  # (path, heading) -> html
    terms: re.Pattern[str] | None = None
    self_path: str | None = None  # set inside embeds: same-page links point at the embedded page
    vault_images: set[str] = field(default_factory=set)  # srcs we resolved inside the vault


def _split_inner(inner: str) -> tuple[str, str | None, str | None]:
    left, bar, text = inner.partition("|")
    if bar and left.endswith("\\"):  # [[Page\|text]] inside a table
        left = left[:-1]
    target, hash_, heading = left.partition("#")
    return target.strip(), (heading.strip() if hash_ else None), (text.strip() if bar else None)


class WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, ext: WikiLinkExtension) -> None:
        super().__init__(pattern, md)
        self.ext = ext

    def handleMatch(self, m: re.Match[str], data: str):
        start = m.start(0)
        if start > 0 and data[start - 1] == "\\":
            return None, None, None  # \[[x]] is literal; the escape pattern handles it
        state = self.ext.state
        target, heading, text = _split_inner(m.group(2))
        if not target and heading is None:
            return None, None, None
        if m.group(1):
            return self._embed(state, target, heading, text), start, m.end(0)
        return self._link(state, target, heading, text), start, m.end(0)

    def _link(self, state: RenderState, target: str, heading: str | None,
              text: str | None) -> etree.Element:
        el = etree.Element("a")
        if not target:  # [[#Heading]]
            anchor = anchor_of(heading or "")
            el.set("href", wiki_href(state.self_path, anchor) if state.self_path
                   else "#" + anchor)
            label = heading or ""
        else:
            path = state.resolve(target)
            file = None
            if path is None and has_file_suffix(target) and state.resolve_file:
                file = state.resolve_file(target)
            if file is not None:
                el.set("href", file_href(file))
                el.set("class", "attachment")
            elif path is None and has_file_suffix(target):
                el = etree.Element("span", {"class": "missing",
                                            "title": "no such file in the vault"})
            elif path is None:
                el.set("href", missing_href(target))
                el.set("class", "missing")
            else:
                el.set("href", wiki_href(path, anchor_of(heading) if heading else None))
            label = f"{target} › {heading}" if heading else target
        el.text = AtomicString(text or label)
        return el

    def _embed(self, state: RenderState, target: str, heading: str | None,
               text: str | None) -> etree.Element | str:
        lower = target.lower()
        if lower.endswith(IMAGE_SUFFIXES):
            src = state.resolve_asset(target) if state.resolve_asset else None
            if src is None:
                el = etree.Element("span", {"class": "missing"})
                el.text = AtomicString(f"{target} (missing image)")
                return el
            state.vault_images.add(src)
            img = etree.Element("img", {"src": src, "alt": target})
            _set_size(img, text)
            return img
        path = state.resolve(target) if target else state.self_path
        if path is None and has_file_suffix(target):
            file = state.resolve_file(target) if state.resolve_file else None
            html = state.embed_file(file) if file and state.embed_file else None
            if html is not None:
                return self.md.htmlStash.store(html)
        if path is not None and state.embed is not None:
            html = state.embed(path, heading)
            if html is not None:
                return self.md.htmlStash.store(html)
        link = self._link(state, target, heading, text)
        card = etree.Element("span", {"class": "embed-card"})
        card.text = AtomicString("↪ ")
        card.append(link)
        return card


_SIZE = re.compile(r"^\s*(\d{1,5})(?:\s*x\s*(\d{1,5}))?\s*$")


def _set_size(img: etree.Element, spec: str | None) -> bool:
    """``300`` or ``300x200`` (Obsidian's image size) as width/height; True when it was one."""
    m = _SIZE.match(spec or "")
    if not m:
        return False
    img.set("width", m.group(1))
    if m.group(2):
        img.set("height", m.group(2))
    return True


class LinkRewriter(Treeprocessor):
    """Markdown links to ``.md`` files become ``wiki:`` links; relative images get a file URL."""

    def __init__(self, md: Markdown, ext: WikiLinkExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        state = self.ext.state
        for el in root.iter("a"):
            href = el.get("href", "")
            if not href or href.startswith("#") or SCHEME_RE.match(href):
                continue
            path_part, hash_, frag = href.partition("#")
            target = unquote(path_part.partition("?")[0])
            if not target.lower().endswith(".md"):
                file = state.resolve_file(target) if state.resolve_file else None
                if file is not None:
                    el.set("href", file_href(file))
                    el.set("class", "attachment")
                continue
            resolved = (state.resolve_markdown or state.resolve)(target)
            anchor = anchor_of(unquote(frag)) if hash_ and frag else None
            if resolved is None:
                el.set("href", missing_href(target))
                el.set("class", "missing")
            else:
                el.set("href", wiki_href(resolved, anchor))
        # Images: only files inside the vault (or web images, which the viewer never fetches).
        # A local path outside the vault, or a file: URL, shows its alt text instead.
        for el in root.iter("img"):
            alt, bar, size = el.get("alt", "").rpartition("|")
            if bar and _set_size(el, size):  # ![alt|300](x.png)
                el.set("alt", alt)
            src = el.get("src", "")
            if src in state.vault_images or "math" in el.get("class", "").split():
                continue
            if SCHEME_RE.match(src):
                if not src.lower().startswith(("http:", "https:")):
                    el.set("src", "")
                continue
            found = state.resolve_asset(unquote(src)) if state.resolve_asset and src else None
            el.set("src", found or "")


class HighlightProcessor(Treeprocessor):
    """Wrap whole-word matches of the search terms in ``<span class="match">`` (text only)."""

    def __init__(self, md: Markdown, ext: WikiLinkExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        rx = self.ext.state.terms
        if rx is not None:
            self._mark(root, rx)

    def _mark(self, el: etree.Element, rx: re.Pattern[str]) -> None:
        children = list(el)
        if el.text:
            el.text, spans = _split(el.text, rx)
            for i, span in enumerate(spans):
                el.insert(i, span)
        for child in children:
            if isinstance(child.tag, str) and child.tag not in _SKIP_MARK:
                self._mark(child, rx)
            if child.tail:
                child.tail, spans = _split(child.tail, rx)
                at = list(el).index(child) + 1
                for i, span in enumerate(spans):
                    el.insert(at + i, span)


def _split(text: str, rx: re.Pattern[str]) -> tuple[str, list[etree.Element]]:
    """(leading text, match spans each carrying the text after it as tail)."""
    pieces: list[tuple[int, int]] = []
    pos = 0
    for ph in [*_PLACEHOLDER.finditer(text), None]:
        end = ph.start() if ph else len(text)
        pieces.extend((m.start(), m.end()) for m in rx.finditer(text, pos, end))
        if ph:
            pos = ph.end()
    if not pieces:
        return text, []
    head = text[:pieces[0][0]]
    spans: list[etree.Element] = []
    for i, (s, e) in enumerate(pieces):
        span = etree.Element("span", {"class": "match"})
        span.text = text[s:e]
        span.tail = text[e:pieces[i + 1][0]] if i + 1 < len(pieces) else text[e:]
        spans.append(span)
    return head, spans


def terms_pattern(terms: list[str] | tuple[str, ...]) -> re.Pattern[str] | None:
    words = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words:
        return None
    # A whole word; in Chinese, Japanese, Thai... (no spaces between words) anywhere it stands
    return re.compile("|".join(
        ("" if has_no_space_script(w[0]) else r"(?<!\w)") + re.escape(w)
        + ("" if has_no_space_script(w[-1]) else r"(?!\w)") for w in words), re.IGNORECASE)


class WikiLinkExtension(Extension):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = RenderState(resolve=lambda _t: None)

    def extendMarkdown(self, md: Markdown) -> None:
        # Above 'escape' (180) so a backslash before [[ is seen, below 'backtick' (190) so
        # [[x]] in a code span stays code.
        md.inlinePatterns.register(WikiLinkProcessor(WIKI_LINK_RE, md, self), "wikilink", 185)
        md.treeprocessors.register(LinkRewriter(md, self), "wiki_md_links", 15)
        md.treeprocessors.register(HighlightProcessor(md, self), "wiki_highlight", 4)
