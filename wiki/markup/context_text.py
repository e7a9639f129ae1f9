"""Context lines as a reader sees them: the text around a link or a mention, without Markdown.

Backlinks and unlinked mentions show a line of the page that makes them. The raw line is
Markdown, often cut at both ends: "…Process|MDP]] and [[Policy#Greedy|greedy]] policies" or
"- ## See [[Ada Lovelace]]". ``readable`` gives "…MDP and greedy policies" and "See Ada
Lovelace": links by their text, no list, heading or quote markers, no emphasis, no fragments
of links cut off at the edges.
"""

from __future__ import annotations

import re

_WIKILINK = re.compile(r"!?\[\[([^\[\]\n]*)\]\]")
_MD_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^)\n]*\)")
_CUT_HEAD = re.compile(r"^(…?)[^\[\]\n]*?([^\[\]|\n]*)\]\]")  # "…ess|MDP]] rest" -> "…MDP rest"
_CUT_TAIL = re.compile(r"!?\[\[([^\[\]|#\n]*)[^\[\]\n]*(…?)$")  # "see [[Ada Lov…" -> "see Ada Lov…"
_MARKERS = re.compile(r"^(…?)\s*(?:(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?|#{1,6}\s+|>\s*)+")
_EMPHASIS = re.compile(r"\*\*|__|~~|==|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`")
_BLOCK_ID = re.compile(r"\s\^[\w-]+$")
_WS = re.compile(r"\s+")


def _link_text(inner: str) -> str:
    target, bar, text = inner.partition("|")
    if bar and text.strip():
        return text.strip()
    page, _, heading = target.partition("#")
    heading = heading.lstrip("^")
    if page and heading:
        return f"{page.strip()} > {heading.strip()}"
    return (page or heading).strip()


def only_links(context: str) -> bool:
    """Whether the line says nothing but its links ("- [[Ada]], [[Bob]]")."""
    return not re.search(r"\w", _MD_LINK.sub("", _WIKILINK.sub("", context)))


def readable(context: str) -> str:
    """``context`` (one line of Markdown, possibly cut with "…") as plain, readable text."""
    text = _WS.sub(" ", context).strip()
    text = _CUT_HEAD.sub(lambda m: m.group(1) + m.group(2), text, count=1)
    text = _WIKILINK.sub(lambda m: _link_text(m.group(1)), text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _CUT_TAIL.sub(lambda m: m.group(1) + m.group(2), text, count=1)
    text = _MARKERS.sub(lambda m: m.group(1), text, count=1)
    text = _EMPHASIS.sub("", text)
    text = _BLOCK_ID.sub("", text)
    return _WS.sub(" ", text).strip()
