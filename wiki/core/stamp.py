"""The ``commonplace: sha1-…`` line by which the compiler knows the pages it generated.

The compiler writes it (``wiki.compile.writing.writer``); the editor hides it while a page is
edited and puts it back on save, so the user never sees or loses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STAMP_LINE = re.compile(r"^commonplace: sha1-([0-9a-f]{12})\n", re.MULTILINE)


def frontmatter_close(text: str) -> int:
    """Index of the newline before the closing ``---`` of the frontmatter, or -1."""
    return text.find("\n---\n", 3) if text.startswith("---\n") else -1


def find_stamp(text: str) -> re.Match[str] | None:
    """The stamp line in the frontmatter of ``text`` (never one in the body)."""
    close = frontmatter_close(text)
    return STAMP_LINE.search(text, 0, close + 1) if close >= 0 else None


@dataclass(frozen=True, slots=True)
class HiddenStamp:
    """A stamp taken out of a page for editing: the line and the frontmatter line it was on."""

    line: str
    line_number: int  # 0-based line of the file, counting the opening ``---``

    def restore(self, edited: str) -> str:
        """``edited`` with the stamp line back in its frontmatter (a frontmatter is made for
        it when the user removed the whole block)."""
        if find_stamp(edited):
            return edited
        close = frontmatter_close(edited)
        if close < 0:
            return f"---\n{self.line}---\n{edited}"
        lines = edited[:close + 1].splitlines(keepends=True)
        at = max(1, min(self.line_number, len(lines)))
        return "".join(lines[:at]) + self.line + "".join(lines[at:]) + edited[close + 1:]


def hide_stamp(text: str) -> tuple[str, HiddenStamp | None]:
    """``text`` without its stamp line (and without a frontmatter left empty by that), and
    what is needed to put it back."""
    m = find_stamp(text)
    if m is None:
        return text, None
    hidden = HiddenStamp(m.group(0), text.count("\n", 0, m.start()))
    shown = text[:m.start()] + text[m.end():]
    if shown.startswith("---\n---\n"):
        shown = shown[8:]
    return shown, hidden
