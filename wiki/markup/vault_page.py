"""Render one page of a vault from disk, with everything it shows read from inside the vault.

Runs on the reader thread, never the UI thread. The page, its embeds and its images are read
with ``wiki.core.fileio.read_bytes`` (bounded, regular files only, refused when a symlink points
outside the vault); image bytes are handed to the page view in ``RenderedPage.resources``, which
is all it will ever load. ``.excalidraw.md`` drawings show their text, not their JSON; embedded
``.canvas`` files show their cards.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from wiki.core.fileio import Unreadable, decode, read_bytes
from wiki.core.rules import is_hidden_part, normalize_rel
from wiki.markup.page_preview import PREVIEW_READ_BYTES, cut_for_preview
from wiki.markup.render import MAX_PAGE_BYTES, RenderedPage, render_page
from wiki.markup.render_ext import IMAGE_SUFFIXES, file_href

MAX_IMAGE_BYTES = 16 * 1024 * 1024  # one image
MAX_IMAGES_TOTAL = 64 * 1024 * 1024  # all images of a page
MAX_CANVAS_BYTES = 2 * 1024 * 1024
MAX_CANVAS_CARDS = 60
EXCALIDRAW_SUFFIX = ".excalidraw.md"
_DRAWING_END = re.compile(r"^(?:%%|#+ (?:Drawing|Embedded [Ff]iles|Element Links))\s*$",
                          re.MULTILINE)
_TEXT_ELEMENTS = re.compile(r"^#+ Text Elements\s*$", re.MULTILINE)
_ELEMENT_ID = re.compile(r"\s*\^[A-Za-z0-9]{6,}\s*$", re.MULTILINE)


def read_vault_text(root: Path, rel: str, max_bytes: int = MAX_PAGE_BYTES
                    ) -> tuple[str, str | None]:
    """(text, problem) of a file inside the vault. A missing file raises FileNotFoundError;
    one that cannot or must not be read (outside the vault, a FIFO) gives ("", reason)."""
    try:
        data, _st, truncated = read_bytes(root / rel, max_bytes=max_bytes, root=root)
    except Unreadable as exc:
        if str(exc) == "file not found":
            raise FileNotFoundError(rel) from None
        return "", f"This file cannot be shown: {exc}."
    got = decode(data, truncated=truncated)
    if got.binary:
        return "", "This file looks binary, not like a Markdown page."
    problem = "This page is very large; only the start is shown." if truncated else None
    if got.lossy:
        problem = problem or "This page is not valid UTF-8; some characters are shown as �."
    return got.text, problem


def excalidraw_text(text: str) -> str:
    """An Excalidraw drawing note as Markdown: its frontmatter, a line saying what it is, and the
    drawing's text elements (never the compressed JSON of the drawing)."""
    head = ""
    body = text
    if text.startswith("---"):
        close = text.find("\n---", 3)
        if close != -1:
            end = text.find("\n", close + 4)
            head, body = (text, "") if end == -1 else (text[:end + 1], text[end + 1:])
    m = _TEXT_ELEMENTS.search(body)
    words = ""
    if m:
        rest = body[m.end():]
        stop = _DRAWING_END.search(rest)
        words = _ELEMENT_ID.sub("", rest[:stop.start()] if stop else "").strip()
    else:
        stop = _DRAWING_END.search(body)
        words = body[:stop.start()].strip() if stop else ""
    note = "> [!info] Excalidraw drawing\n> Open it in Obsidian's Excalidraw plugin to see it."
    return head + note + ("\n\n" + words if words else "") + "\n"


def canvas_html(root: Path, rel: str) -> str | None:
    """An embedded ``.canvas``: its text cards and the files it shows, in a framed box."""
    try:
        data, _st, _t = read_bytes(root / rel, max_bytes=MAX_CANVAS_BYTES, root=root)
        doc = json.loads(data.decode("utf-8", errors="replace"))
    except (Unreadable, ValueError, RecursionError):
        return None
    nodes = doc.get("nodes") if isinstance(doc, dict) else None
    if not isinstance(nodes, list):
        return None
    items: list[str] = []
    for node in nodes[:MAX_CANVAS_CARDS]:
        if not isinstance(node, dict):
            continue
        if node.get("type") == "text" and isinstance(node.get("text"), str):
            items.append(f"<li>{html_lib.escape(node['text'][:500])}</li>")
        elif node.get("type") == "file" and isinstance(node.get("file"), str):
            items.append(f"<li>▫ {html_lib.escape(node['file'])}</li>")
        elif node.get("type") == "link" and isinstance(node.get("url"), str):
            items.append(f"<li>↗ {html_lib.escape(node['url'])}</li>")
    more = len(nodes) - MAX_CANVAS_CARDS
    if more > 0:
        items.append(f"<li>… and {more} more cards</li>")
    name = html_lib.escape(rel.rpartition("/")[2])
    return ('<table class="embed" width="100%" cellspacing="0" cellpadding="10"><tr>'
            f'<td class="embed-body"><p class="embed-title"><a href="{file_href(rel)}">'
            f"Canvas: {name}</a> ({len(nodes)} cards)</p><ul>{''.join(items)}</ul></td></tr>"
            "</table>")


LONG_PAGE_START = 200_000  # characters of a long page shown at first (about 2 s of a table)
WHOLE_PAGE_HREF = "commonplace:whole-page"


def render_vault_page(vault, path: str, terms: Sequence[str] = (),
                      flipped: frozenset[int] | None = frozenset(), *,
                      max_chars: int | None = None, section: str = "",
                      start_chars: int | None = None) -> RenderedPage:
    """Read page ``path`` of ``vault`` (a ``wiki.vault.facade.Vault``) and render it: links
    resolved from that page, embeds loaded, attachments found by name, images read (bounded)
    into ``resources``. A missing file raises ``FileNotFoundError``; bad content, or a page
    that is a symlink out of the vault, gives a page with a problem line. ``flipped``: the
    foldable callouts the user opened or closed (None: every callout open). ``max_chars``:
    only the start of the page, or of its ``section`` (``page_preview.cut_for_preview``), for
    the hover preview. ``start_chars``: a page longer than that shows its start, with a link
    (``commonplace:whole-page``) to show all of it: a huge page appears in a second or two."""
    root: Path = vault.root
    clean = normalize_rel(path)
    if clean is None or any(is_hidden_part(p) for p in clean.split("/")):
        raise ValueError(f"{path} is not a page of this vault")
    if max_chars is None or section:  # a section may be anywhere in the page
        text, problem = read_vault_text(root, clean)
    else:
        text, problem = read_vault_text(root, clean, PREVIEW_READ_BYTES)
    if clean.lower().endswith(EXCALIDRAW_SUFFIX):
        text = excalidraw_text(text)
    whole_size, started = len(text), False
    if start_chars is not None and max_chars is None and whole_size > start_chars:
        text, started = cut_for_preview(text, start_chars)
    if max_chars is not None:
        text, cut = cut_for_preview(text, max_chars, section)
        problem = None if text else problem  # a long page's start is no problem
        text += "\n\n…\n" if cut else ""

    def embed_loader(target: str) -> str | None:
        try:
            got, bad = read_vault_text(root, target)
        except OSError:
            return None
        if bad and not got:
            return None
        return excalidraw_text(got) if target.lower().endswith(EXCALIDRAW_SUFFIX) else got

    def find_file(name: str) -> str | None:
        return vault.find_attachment(name, clean)

    def asset(name: str) -> str | None:
        found = find_file(name)
        if found is None or not found.lower().endswith(IMAGE_SUFFIXES):
            return None
        return "vault:" + quote(found, safe="/")

    def embed_file(rel: str) -> str | None:
        return canvas_html(root, rel) if rel.lower().endswith(".canvas") else None

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
        resolve_file=find_file,
        embed_file=embed_file,
        highlight_terms=terms,
        flipped=flipped,
    )
    load_images(root, page)
    info = vault.page_info(clean)
    page.title = vault.label(clean) if info else (page.title or Path(clean).stem)
    if not any(level == 1 for level, _t, _id in page.headings):
        # Obsidian's inline title: a note without a '# ' heading of its own shows its name
        page.html = f'<h1 class="inline-title">{html_lib.escape(page.title)}</h1>' + page.html
    if problem:
        page.html = f'<p class="problem">{html_lib.escape(problem)}</p>' + page.html
    if started:
        page.html += (f'<p class="problem">This page is long ({whole_size // 1000:,} thousand '
                      f'characters): only its first {len(text) // 1000:,} thousand are shown. '
                      f'<a href="{WHOLE_PAGE_HREF}">Show the whole page</a> (it may take a '
                      'while).</p>')
    return page


def load_images(root: Path, page: RenderedPage) -> None:
    """Read the page's vault images into ``page.resources``: regular files inside the vault
    only, each at most ``MAX_IMAGE_BYTES``, all together at most ``MAX_IMAGES_TOTAL``."""
    budget = MAX_IMAGES_TOTAL
    for url, rel in sorted(page.images.items()):
        clean = normalize_rel(rel)
        if clean is None or any(is_hidden_part(p) for p in clean.split("/")) or budget <= 0:
            continue
        try:
            data, _st, truncated = read_bytes(root / clean, max_bytes=min(budget,
                                                                          MAX_IMAGE_BYTES),
                                              root=root)
        except Unreadable:
            continue
        if truncated:
            continue  # half an image is no image
        page.resources[url] = data
        budget -= len(data)
