"""What a page says in its own words, for search: the link lists Commonplace generates on its
pages are links to other pages, not what the page says.

On a page the compiler made (stamped ``commonplace: sha1-…``): a source page's ``## Mentions``
and an entity page's ``## Related`` are lists of names, and each ``## Mentioned in`` line
opens with the link to the source it quotes; ``index.md`` and ``log.md`` are nothing but lists
of other pages. A word found only there must not make the page a search hit above the pages
that say it, nor give it a snippet. What the page does say (its description, the quotes of
"Mentioned in", a source's full text with its links' text) stays. Pages the user wrote are
searched whole.
"""

from __future__ import annotations

import re

from wiki.core.model import Page
from wiki.core.rules import SPECIAL_PAGES

# level-2 sections of generated pages that are only lists of links (``writing/render.py``)
LINK_LIST_SECTIONS = frozenset({"Mentions", "Related"})
MENTIONED_IN = "Mentioned in"  # "- [[Source]]: what it says": the quote is the page's text
_SECTION = re.compile(r"^#{1,2}\s+(.*?)\s*#*\s*$")
_MENTION_LINK = re.compile(r"^(\s*[-*]\s+)\[\[[^\]\n]*\]\]:?\s*")


def is_generated(page: Page) -> bool:
    """Written by the compiler (the stamp in its frontmatter), the user's edits merged or not."""
    return str(page.frontmatter.get("commonplace") or "").startswith("sha1-")


def own_text(page: Page) -> str:
    """The page's body without the link lists the compiler generated on it."""
    if not is_generated(page):
        return page.body
    if page.path in SPECIAL_PAGES:
        return ""  # index.md and log.md list the other pages; their titles still find them
    out: list[str] = []
    skipping = quoting = False
    for line in page.body.split("\n"):
        m = _SECTION.match(line)
        if m:
            name = m.group(1)
            skipping = name in LINK_LIST_SECTIONS
            quoting = name == MENTIONED_IN
            if skipping:
                continue
        if skipping:
            continue
        out.append(_MENTION_LINK.sub(r"\1", line) if quoting else line)
    return "\n".join(out)
