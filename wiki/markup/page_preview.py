"""The start of a page, for the hover preview: the frontmatter kept whole (it names the page),
the body (or the section a ``[[Page#Heading]]`` or ``[[Page#^block]]`` link points to) cut
after about ``max_chars`` characters at a line end, never inside a code fence, then rendered
like the page itself (``vault_page.render_vault_page``)."""

from __future__ import annotations

import re

from wiki.markup.frontmatter import split_frontmatter
from wiki.markup.render import extract_block, extract_section

PREVIEW_CHARS = 1500  # about a screenful of a popup: the summary and the first section
PREVIEW_READ_BYTES = 64 * 1024  # what is read of a page for its preview (frontmatter included)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def cut_for_preview(text: str, max_chars: int = PREVIEW_CHARS,
                    section: str = "") -> tuple[str, bool]:
    """(the page's start, whether anything was cut). The cut falls at the end of the first
    line past ``max_chars`` characters of body; an open code fence is closed there. With
    ``section`` (a heading, or ``^id`` for a block) that part of the body stands for it, when
    the page has it."""
    _meta, _body, offset, _problem = split_frontmatter(text)
    lines = text.splitlines(keepends=True)
    head, body = lines[:offset], lines[offset:]
    if section:
        whole = "".join(body)
        part = extract_block(whole, section[1:]) if section.startswith("^") \
            else extract_section(whole, section)
        if part:
            body = part.splitlines(keepends=True)
            text = "".join(head + body)
    kept: list[str] = []
    size = 0
    fence: str | None = None
    for line in body:
        kept.append(line)
        size += len(line)
        match = _FENCE.match(line)
        if match:
            fence = None if fence == match.group(1) else (fence or match.group(1))
        if size >= max_chars and fence is None and len(kept) < len(body):
            return "".join(head + kept), True
        if size >= max_chars * 3:  # a fence that never closes: stop anyway and close it
            closing = f"\n{fence}\n" if fence else ""
            return "".join(head + kept) + closing, len(kept) < len(body)
    return text, False
