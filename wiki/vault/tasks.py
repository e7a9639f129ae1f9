"""Ticking a task box in the file: ``- [ ]`` <-> ``- [x]`` on one line, saved like an edit.

The rendered box knows its line in the page body (``task:N``). ``toggle_task`` reads the page
with its etag, checks that line still holds a task in the state the user saw, flips it and
saves with that etag, so a change made meanwhile by another program is never overwritten.
"""

from __future__ import annotations

import re
from pathlib import Path

from wiki.markup.frontmatter import split_frontmatter
from wiki.vault.editing import EditError, read_for_edit, save_page

_TASK = re.compile(
    r"^((?:[ \t]*>[ \t]?)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[)([ xX])(\](?:[ \t]|$))")


def toggle_task(root: Path | str, rel: str, body_line: int, was_done: bool) -> bool:
    """Flip the task on body line ``body_line`` (0-based, after the frontmatter) of page
    ``rel``; returns whether it is done now. ``EditError`` when the line is no longer a task
    in the state ``was_done`` (the page changed since it was shown) or cannot be saved."""
    text, etag = read_for_edit(root, rel)
    _meta, _body, offset, _problem = split_frontmatter(text)
    lines = text.splitlines(keepends=True)
    n = body_line + offset
    if not 0 <= n < len(lines):
        raise EditError(f"{rel} changed: line {n + 1} is gone; the page is shown again")
    m = _TASK.match(lines[n])
    if m is None or (m.group(2) != " ") != was_done:
        raise EditError(f"{rel} changed: line {n + 1} is not that task any more")
    done = not was_done
    lines[n] = m.group(1) + ("x" if done else " ") + m.group(3) + lines[n][m.end():]
    save_page(root, rel, "".join(lines), etag)
    return done
