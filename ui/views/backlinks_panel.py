"""The right-hand link panel: linked mentions, unlinked mentions and outgoing links of a page."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from wiki.core.model import Mention, ResolvedLink

if TYPE_CHECKING:
    from wiki.vault.facade import Vault

_WIKILINK = re.compile(r"(!?\[\[[^\[\]\n]+\]\])")
_WORDS = re.compile(r"\w")
_EMPHASIS = re.compile(r"\*\*|__")
MAX_CONTEXT = 200


@dataclass
class Neighbourhood:
    """Everything the link panel and the local graph show for one page."""

    path: str
    title: str
    backlinks: list[Mention] = field(default_factory=list)
    unlinked: list[Mention] = field(default_factory=list)  # the first ones
    unlinked_total: int = 0  # how many pages mention it in all
    outgoing: list[ResolvedLink] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # path -> title of every neighbour
    files: dict[str, str] = field(default_factory=dict)  # link target -> attachment path


def load_neighbourhood(vault: Vault, path: str) -> Neighbourhood:
    """Read a page's links from the vault (runs on the reader thread)."""
    info = vault.page_info(path)
    hood = Neighbourhood(path, vault.label(path))
    if info is None:
        return hood
    hood.backlinks = [m for m in vault.backlinks(path) if m.path != path]
    unlinked = vault.unlinked_mention_list(path)
    hood.unlinked, hood.unlinked_total = unlinked.mentions, unlinked.total
    hood.outgoing = vault.outgoing(path)
    for mention in hood.backlinks:
        hood.titles[mention.path] = mention.title
    for link in hood.outgoing:
        if link.path is None and link.link.target and link.link.target not in hood.files:
            found = vault.find_attachment(link.link.target, path)
            if found is not None:  # an attachment is a file, never a missing page
                hood.files[link.link.target] = found
        if link.path and link.path not in hood.titles:
            hood.titles[link.path] = vault.label(link.path)
    return hood


def _link_text(link: str) -> str:
    """``[[target#heading|text]]`` as a reader sees it: ``text``, else ``target``."""
    inner = link.lstrip("!")[2:-2]
    target, _, text = inner.partition("|")
    return (text or target.partition("#")[0] or target).strip()


def _context_html(context: str) -> str:
    """The context line as rich text: links shown bold by their text, Markdown emphasis
    markers dropped, long lines cut."""
    text = _EMPHASIS.sub("", " ".join(context.split()))
    parts = _WIKILINK.split(text)
    out: list[str] = []
    used = 0
    for i, part in enumerate(parts):
        shown = _link_text(part) if i % 2 else part
        if used + len(shown) > MAX_CONTEXT:
            shown = shown[:max(0, MAX_CONTEXT - used)].rstrip() + "…"
        out.append(f"<b>{html.escape(shown)}</b>" if i % 2 else html.escape(shown))
        used += len(shown)
        if used >= MAX_CONTEXT:
            break
    return "".join(out)


def _says_more_than_the_link(context: str) -> bool:
    """False for a context that is only the link itself (a "Related: [[X]]" list item)."""
    return bool(_WORDS.search(_WIKILINK.sub("", context)))


def _page_anchor(path: str, label: str) -> str:
    return f"<a href='page:{quote(path)}'>{html.escape(label)}</a>"


class BacklinksPanel(QTextBrowser):
    """Shows a ``Neighbourhood`` as rich text; every page name is a link."""

    page_requested = Signal(str)
    create_requested = Signal(str)
    link_requested = Signal(object, str)  # an unlinked Mention, the page it names: link it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.hood: Neighbourhood | None = None
        self.document().setDefaultStyleSheet(
            "h3 { margin-top: 10px; margin-bottom: 4px; }"
            " p.ctx { margin-left: 10px; margin-top: 0px; margin-bottom: 6px; }"
            " .dim { color: gray; } a.missing { color: #c0392b; }"
            " a.act { font-size: small; text-decoration: none; }"
        )
        self.show_placeholder("No page open.")

    def show_placeholder(self, text: str) -> None:
        self.hood = None
        self.setHtml(f"<p class='dim'>{html.escape(text)}</p>")

    def show_neighbourhood(self, hood: Neighbourhood) -> None:
        """Show ``hood``: a new page starts at the top, the same page again (its links
        changed) keeps the place the reader scrolled to."""
        same_page = self.hood is not None and self.hood.path == hood.path
        self.hood = hood
        bar = self.verticalScrollBar().value() if same_page else 0
        self.setHtml(self.render_html(hood))
        self.verticalScrollBar().setValue(bar)

    @staticmethod
    def render_html(hood: Neighbourhood) -> str:
        out: list[str] = []
        pages: dict[str, list[Mention]] = {}
        for mention in hood.backlinks:
            pages.setdefault(mention.path, []).append(mention)
        out.append(f"<h3>Linked mentions ({len(pages)})</h3>")
        if not pages:
            out.append("<p class='dim'>No other page links here.</p>")
        for path, mentions in pages.items():
            out.append(f"<p style='margin-bottom:2px'>{_page_anchor(path, mentions[0].title)}</p>")
            for mention in mentions[:5]:
                if _says_more_than_the_link(mention.context):
                    out.append(f"<p class='ctx'>{_context_html(mention.context)}</p>")
        total = max(hood.unlinked_total, len(hood.unlinked))
        out.append(f"<h3>Unlinked mentions ({total:,})</h3>")
        if not hood.unlinked:
            out.append("<p class='dim'>None.</p>")
        elif total > len(hood.unlinked):
            out.append(f"<p class='dim'>The first {len(hood.unlinked):,} of {total:,}.</p>")
        for i, mention in enumerate(hood.unlinked):
            out.append(f"<p style='margin-bottom:2px'>{_page_anchor(mention.path, mention.title)}"
                       f" &nbsp;<a class='act' href='link:{i}' title='Make this mention a link "
                       f"to {html.escape(hood.title)}'>Link</a></p>"
                       f"<p class='ctx'>{_context_html(mention.context)}</p>")
        seen: set[str] = set()
        rows: list[str] = []
        for link in hood.outgoing:
            key = link.path or f"missing:{link.link.target.casefold()}"
            if key in seen or (link.path is None and not link.link.target):
                continue
            seen.add(key)
            if link.path is None and link.link.target in hood.files:
                rows.append(f"<li>{html.escape(hood.files[link.link.target])} "
                            "<span class='dim'>(attachment)</span></li>")
            elif link.path is None:
                target = link.link.target
                rows.append(f"<li><a class='missing' href='create:{quote(target)}'>"
                            f"{html.escape(target)}</a> <span class='dim'>(missing: click to "
                            "create)</span></li>")
            elif link.path != hood.path:
                rows.append(f"<li>{_page_anchor(link.path, hood.titles.get(link.path, link.path))}"
                            "</li>")
        out.append(f"<h3>Outgoing links ({len(rows)})</h3>")
        out.append(f"<ul style='margin-left:-20px'>{''.join(rows)}</ul>" if rows
                   else "<p class='dim'>None.</p>")
        return "".join(out)

    def _on_anchor(self, url: QUrl) -> None:
        scheme, _, rest = url.toString().partition(":")
        if scheme == "page":
            self.page_requested.emit(unquote(rest))
        elif scheme == "create":
            self.create_requested.emit(unquote(rest))
        elif scheme == "link" and self.hood is not None and rest.isdigit() \
                and int(rest) < len(self.hood.unlinked):
            self.link_requested.emit(self.hood.unlinked[int(rest)], self.hood.path)
