"""The allow-list for a rendered page's HTML (nh3, the Rust ``ammonia`` sanitiser).

Everything the renderer makes and everything a note wrote as raw HTML passes through
``clean_html``: only the tags and attributes below survive (no scripts, styles, frames, forms,
event handlers, ``background=`` or ``background-image``), comments are dropped, entities are
decoded before a URL is judged, and every ``href`` and ``src`` must be one the page view routes
itself. An image source must be a resource the renderer resolved inside the vault (``vault:``),
a formula it drew (``math:``) or a web address (never fetched); a relative path is looked up in
the vault and anything else (``file:``, ``/abs``, ``../``) is removed.
"""

from __future__ import annotations

from collections.abc import Callable

import nh3

from wiki.markup.render_ext import SCHEME_RE

TAGS = {
    "a", "abbr", "b", "big", "blockquote", "br", "caption", "center", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
}
_CELL = {"width", "height", "bgcolor", "colspan", "rowspan", "valign", "align", "style"}
ATTRIBUTES = {
    "*": {"class", "id", "title", "align", "dir", "lang"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "table": {"width", "cellspacing", "cellpadding", "border", "bgcolor"},
    "td": _CELL, "th": _CELL, "tr": {"bgcolor", "valign"},
    "span": {"style"}, "div": {"style"}, "p": {"style"}, "pre": {"style"}, "code": {"style"},
    "font": {"color", "size"},
    "ol": {"start", "type"}, "li": {"value"}, "col": {"span", "width"},
    "colgroup": {"span", "width"},
}
STYLE_PROPERTIES = {"color", "background-color", "font-weight", "font-style", "font-family",
                    "text-decoration", "text-align", "vertical-align"}
LINK_SCHEMES = ("http:", "https:", "mailto:", "wiki:", "wiki-missing:", "tag:", "task:",
                "fold:", "vault:")
URL_SCHEMES = {"http", "https", "mailto", "wiki", "wiki-missing", "tag", "task", "fold", "vault",
               "math"}


def clean_html(html: str, *, allowed_images: set[str],
               relative_image: Callable[[str], str | None] | None = None,
               relative_link: Callable[[str], str | None] | None = None) -> str:
    """``html`` with only the allow-list left. ``allowed_images``: the ``vault:``/``math:``
    URLs the renderer made; ``relative_image(src)``/``relative_link(href)`` map a relative URL
    written in raw HTML to a vault URL (or None to drop it)."""

    def attribute(tag: str, attr: str, value: str) -> str | None:
        if attr == "src":
            return _image_src(value, allowed_images, relative_image)
        if attr == "href":
            return _link_href(value, relative_link)
        return value

    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, attribute_filter=attribute,
                     filter_style_properties=STYLE_PROPERTIES, url_schemes=URL_SCHEMES,
                     url_relative="pass_through", link_rel=None, strip_comments=True,
                     clean_content_tags={"script", "style", "iframe", "object", "embed",
                                         "noscript", "template", "svg", "math", "textarea",
                                         "select", "frameset", "frame", "applet"})


def _image_src(value: str, allowed: set[str],
               relative: Callable[[str], str | None] | None) -> str | None:
    src = value.strip()
    if src in allowed:
        return src
    low = src.lower()
    if low.startswith(("http:", "https:")):
        return src  # shown as its alt text: the page view never fetches from the web
    if SCHEME_RE.match(src) or src.startswith(("/", "\\")) or not src:
        return None  # file:, data:, absolute paths, //host
    found = relative(src) if relative else None
    if found is not None:
        allowed.add(found)
    return found


def _link_href(value: str, relative: Callable[[str], str | None] | None) -> str | None:
    href = value.strip()
    if href.startswith("#") or href.lower().startswith(LINK_SCHEMES):
        return href
    if SCHEME_RE.match(href) or href.startswith(("/", "\\")) or not href:
        return None
    return relative(href) if relative else None
