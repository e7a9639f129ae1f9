"""What an article says about itself: title, authors, date, description, URL, site.

Read from the forms people save articles in: YAML frontmatter as Obsidian's Web Clipper writes it
(``title``, ``source``, ``author`` often as ``[[links]]``, ``published``, ``created``,
``description``, ``tags``) and as blog engines write it (Jekyll/Hugo: ``title``, ``date``,
``author``/``authors``, ``layout``, ``categories``; JOSS papers: ``authors`` as ``name:`` records);
TOML frontmatter between ``+++`` lines (Hugo, Zola); and an HTML page's ``<meta>`` tags
(``author``, ``description``, Open Graph, ``article:published_time``). Layout keys are not text.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib

from wiki.compile.types import ArticleMeta

_TOML = re.compile(r"\A\ufeff?\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_LINK = re.compile(r"^\[\[(?:[^\]|]*\|)?([^\]]+)\]\]$")
_AUTHOR_KEYS = ("author", "authors", "creator", "by", "byline")
_DATE_KEYS = ("published", "date", "pubDate", "publish_date", "created")
_DESC_KEYS = ("description", "summary", "excerpt", "abstract", "tldr", "subtitle")
_URL_KEYS = ("source", "url", "link", "canonical_url", "canonical", "original_url")
MAX_AUTHORS = 12


def split_toml_frontmatter(text: str) -> tuple[dict, str] | None:
    """``(meta, body)`` of a text opening with a ``+++`` TOML block; None when it has none or
    the block is not valid TOML (then the text is read as it is)."""
    m = _TOML.match(text)
    if not m:
        return None
    try:
        meta = tomllib.loads(m.group(1))
    except tomllib.TOMLDecodeError:
        return None
    return meta, text[m.end():]


def from_frontmatter(meta: dict) -> ArticleMeta:
    out = ArticleMeta()
    out.title = _text(meta.get("title"))
    for key in _AUTHOR_KEYS:
        if meta.get(key):
            out.authors = _names(meta[key])
            break
    for key in _DATE_KEYS:
        date = _date(meta.get(key))
        if date:
            out.date = date
            break
    for key in _DESC_KEYS:
        desc = _text(meta.get(key))
        if desc:
            out.description = desc
            break
    for key in _URL_KEYS:
        url = _text(meta.get(key))
        if re.match(r"https?://", url):
            out.url = url
            break
    extra = meta.get("extra")
    if not out.authors and isinstance(extra, dict) and extra.get("team"):
        out.authors = _names(extra["team"])
    out.site = _text(meta.get("site") or meta.get("site_name") or meta.get("publisher"))
    tags = meta.get("tags") or meta.get("categories") or []
    out.tags = [t for t in (_text(x) for x in (tags if isinstance(tags, list) else [tags])) if t]
    return out


def from_html_meta(soup) -> ArticleMeta:
    """Metadata from an HTML page's ``<meta>`` tags (name= or property=)."""
    values: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = str(tag.get("name") or tag.get("property") or tag.get("itemprop") or "").casefold()
        content = " ".join(str(tag.get("content") or "").split())
        if key and content and key not in values:
            values[key] = content
    out = ArticleMeta()
    out.title = values.get("og:title", "") or values.get("twitter:title", "")
    author = values.get("author") or values.get("article:author") or values.get("dc.creator")
    if author and not re.match(r"https?://", author):
        out.authors = _names(author)
    out.date = _date(values.get("article:published_time") or values.get("date")
                     or values.get("dc.date") or values.get("pubdate"))
    out.description = values.get("description") or values.get("og:description", "")
    out.url = values.get("og:url", "")
    out.site = values.get("og:site_name", "")
    return out


def merge(first: ArticleMeta, second: ArticleMeta) -> ArticleMeta:
    """``first``, with what it lacks taken from ``second``."""
    return ArticleMeta(first.title or second.title, first.authors or second.authors,
                       first.date or second.date, first.description or second.description,
                       first.url or second.url, first.site or second.site,
                       first.tags or second.tags)


def _text(value) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _names(value) -> list[str]:
    """Author names from a string ("A, B and C"), a list, ``[[links]]`` or ``name:`` records."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name") or item.get("title") or ""
        text = _text(item)
        if not text:
            continue
        parts = [text] if _LINK.match(text) else re.split(r"\s*(?:,|;|&|\band\b)\s*", text)
        for part in parts:
            m = _LINK.match(part.strip())
            name = (m.group(1) if m else part).strip().strip("\"'")
            name = re.sub(r"^(?:by|posted by|written by)\s+", "", name, flags=re.IGNORECASE)
            name = re.sub(r"\s*<[^<>]*>", "", name)  # "David Goodger <goodger@python.org>"
            # "Jane Doe (@jane)", "Francesco Romani (Red Hat)": the name, not the handle or firm
            name = re.sub(r"\s*\([^()]{1,60}\)$|\s+@\w+$", "", name)
            if name and not re.search(r"https?://|@.+\.", name) and len(name) <= 80 \
                    and name not in names:
                names.append(name)
    return names[:MAX_AUTHORS]


def date_of(value) -> str:
    """An ISO date (YYYY-MM-DD) from a date, a datetime or text ("19 January 2020",
    "January 19, 2020", "2020-01-19…"); "" when it is none."""
    return _date(value)


def _date(value) -> str:
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = _text(value)
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return m.group(0)
    for fmt in ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y"):
        try:
            return _dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return ""
