"""Turning one unlinked mention into a link, in the file that makes it.

"Ada Lovelace wrote" becomes "[[Ada Lovelace]] wrote"; a mention written differently from the
link target keeps its wording: "the countess" becomes "[[Ada Lovelace|the countess]]". The file
is read fresh and written with ``save_page`` against the etag of that read, so a change made
meanwhile by another program is never overwritten, and the mention must still be where the
list showed it (else ``EditError`` says so and nothing is written).
"""

from __future__ import annotations

import re
from pathlib import Path

from wiki.core.model import Mention
from wiki.markup.frontmatter import split_frontmatter
from wiki.vault.editing import EditError, Etag, read_for_edit, save_page
from wiki.vault.mentions import searchable_text

_FORBIDDEN_IN_LINK_TEXT = re.compile(r"[\[\]|\n]")


def link_markup(target: str, written: str) -> str:
    """The wikilink for ``written`` pointing at ``target`` (a link target, no ``.md``)."""
    return f"[[{target}]]" if written == target else f"[[{target}|{written}]]"


def _find(body: str, mention: Mention, names: list[str]) -> tuple[int, int]:
    """Where the mention is in ``body`` now: at its offset if the name is still there, else
    the one occurrence of a name on its line; outside code and existing links."""
    searchable = searchable_text(body)
    folded = [n.casefold() for n in names]
    at, end = mention.offset, mention.offset + len(mention.text)
    if mention.text and 0 <= at and end <= len(body) and \
            searchable[at:end].casefold() == mention.text.casefold() and \
            mention.text.casefold() in folded:
        return at, end
    lines = body.split("\n")
    if not 1 <= mention.line <= len(lines):
        raise EditError(f"{mention.path} changed: line {mention.line} is gone; refresh the list")
    start = sum(len(s) + 1 for s in lines[:mention.line - 1])
    row = searchable[start:start + len(lines[mention.line - 1])]
    pattern = re.compile("|".join(rf"(?<![\w#@/]){re.escape(n)}(?!\w)"
                                  for n in sorted(names, key=len, reverse=True)), re.IGNORECASE)
    hits = list(pattern.finditer(row))
    if len(hits) != 1:
        what = "no longer names" if not hits else "names several times"
        raise EditError(f"{mention.path} {what} the page on line {mention.line}; "
                        "refresh the list or link it by hand")
    return start + hits[0].start(), start + hits[0].end()


def link_mention(root: Path | str, mention: Mention, target: str, names: list[str]) -> Etag:
    """Make ``mention`` (an unlinked mention from ``Vault.unlinked_mention_list``) a link to
    ``target`` in its file; ``names`` are the names of the mentioned page (title, file name,
    aliases). Returns the file's new etag; ``EditConflict`` if the file changed between the
    read and the write, ``EditError`` if the mention is no longer there."""
    text, etag = read_for_edit(root, mention.path)
    _meta, body, _offset, _error = split_frontmatter(text)
    if not text.endswith(body):
        raise EditError(f"cannot locate the text of {mention.path}")
    head = len(text) - len(body)
    lo, hi = _find(body, mention, names)
    written = body[lo:hi]
    if _FORBIDDEN_IN_LINK_TEXT.search(written) or _FORBIDDEN_IN_LINK_TEXT.search(target):
        raise EditError(f"{written!r} cannot be made a link automatically")
    new = text[:head + lo] + link_markup(target, written) + text[head + hi:]
    return save_page(root, mention.path, new, etag)
