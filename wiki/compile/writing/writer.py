"""Write generated pages safely: atomically, never over a user's page or a user's edit.

A page the compiler wrote is recorded in the state with the hash of what it wrote. On the next
write:

* the file is as the compiler left it: it is replaced by the new text (only if the text differs);
* the user changed it since: their text is kept as it is, and the lines of the new page that
  their text lacks (new "Mentioned in" entries) are appended under a clearly marked
  ``## New mentions (added by Commonplace)`` section at the end; the page stays "edited" from then
  on, so later compiles keep appending and never rewrite it; the report lists the conflict;
* a file the compiler never wrote is at that path: it is never touched; the report says so.

Every generated page carries a ``commonplace: sha1-…`` line in its frontmatter: the hash of the
page without that line (``stamp``). The state in ``.wiki/`` is derived data: when it is lost,
``provenance`` tells from the file alone whether the compiler made it and whether the user has
changed it since, so a rebuilt state goes on updating the compiler's pages and keeping the user's.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from wiki.core import fileio
from wiki.core.fileio import atomic_write
from wiki.core.stamp import find_stamp, frontmatter_close

NEW_MENTIONS_HEADING = "## New mentions (added by Commonplace)"


@dataclass(slots=True)
class PageRecord:
    """What the compiler knows of a page it wrote (kept in the compile state)."""

    sha: str  # of the file as the compiler last left it ("" when unknown)
    kind: str = ""  # "source", an entity kind, "index" or "log"
    title: str = ""
    summary: str = ""  # its line in index.md
    fingerprint: str = ""  # hash of what the page was rendered from
    wanted_sha: str | None = None  # of the text the compiler last wanted there (None: unknown)
    edited: bool = False  # the user changed it: only ever appended to from now on
    made_by: str = ""  # who wrote its prose: "" the rules, else a compiler's ``variant``


def sha(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha1(data).hexdigest()


def stamp(text: str) -> str:
    """``text`` marked as made by Commonplace, with a hash of ``text`` in its frontmatter."""
    line = f"commonplace: sha1-{sha(text)[:12]}\n"
    close = frontmatter_close(text)
    if close < 0:
        return f"---\n{line}---\n{text}"
    return text[:close + 1] + line + text[close + 1:]


def provenance(current: str) -> PageRecord | None:
    """For a page the state does not know: None when Commonplace did not make it, else the
    state record to assume (``edited`` when its text no longer matches its stamp)."""
    m = find_stamp(current)
    if m is None:
        return None
    unstamped = current[:m.start()] + current[m.end():]
    if unstamped.startswith("---\n---\n"):
        unstamped = unstamped[8:]
    if sha(unstamped)[:12] == m.group(1):
        return PageRecord(sha(current))
    return PageRecord("", edited=True)


MAX_PAGE_BYTES = 20_000_000  # a generated page (or the user's edit of one) is never larger


def read_text(path: Path) -> str | None:
    """The page as text; None when there is no such file. Raises ``fileio.Unreadable`` when a
    file is there but is not clean text (binary, not UTF-8, too large, unreadable): the
    compiler then leaves it alone rather than write over something it cannot read."""
    try:
        decoded = fileio.read_text(path, max_bytes=MAX_PAGE_BYTES)
    except fileio.Unreadable:
        if not os.path.lexists(path):
            return None
        raise
    if decoded.problem and decoded.encoding != "cp1252":
        raise fileio.Unreadable(decoded.problem)
    return decoded.text


@dataclass(slots=True)
class WriteResult:
    action: str  # "created", "updated", "unchanged", "merged", "kept", "skipped"
    sha: str | None = None  # hash of the file as now on disk, when the compiler wrote it
    edited: bool = False
    message: str = ""


def write_page(root: Path, rel: str, text: str, record: PageRecord | None,
               mention_lines: list[str]) -> WriteResult:
    """Write one generated page. ``record`` is the state entry of the page (None: never written).

    ``mention_lines`` are the lines that must survive in a user-edited page (its mentions).
    """
    path = root / rel
    if not fileio.within(root, path):
        return WriteResult("skipped", message=f"{rel}: not written, its folder is a link to a "
                                              "place outside the vault")
    try:
        current = read_text(path)
    except fileio.Unreadable as exc:
        return WriteResult("skipped", message=f"{rel}: not changed, the file there cannot be "
                                              f"read as text ({exc})")
    if record is None and current is not None:
        record = provenance(current)  # the state was lost: the page itself says who made it
        if record is None:
            return WriteResult("skipped", message=f"{rel}: not changed, the page exists and was "
                                                  "not made by Commonplace")
    if current is None or record is None:
        atomic_write(path, text)
        return WriteResult("created", sha(text))
    if is_unedited(current, record):
        if current == text:
            return WriteResult("unchanged", sha(current))
        atomic_write(path, text)
        return WriteResult("updated", sha(text))
    # the user changed the page: keep their text, add what is missing
    missing = [line for line in mention_lines if line.strip() and line not in current]
    if not missing:
        if record.wanted_sha in (None, sha(text)):
            return WriteResult("unchanged", sha(current), edited=True)
        return WriteResult("kept", sha(current), edited=True,
                           message=f"{rel}: not updated because you edited it; your text was "
                                   "kept (delete the page to get the compiler's version)")
    merged = current.rstrip("\n") + "\n"
    if NEW_MENTIONS_HEADING not in current:
        merged += f"\n{NEW_MENTIONS_HEADING}\n\n"
    merged += "\n".join(missing) + "\n"
    atomic_write(path, merged)
    return WriteResult("merged", sha(merged), edited=True,
                       message=f"{rel}: you edited this page; kept your text and added "
                               f"{len(missing)} new mention(s) under '{NEW_MENTIONS_HEADING[3:]}'")


def is_unedited(current: str, record: PageRecord) -> bool:
    """The page is as the compiler wrote it: the state says so, or (when the state is older
    than the page: a compile killed before saving it) the page's own stamp does."""
    if not record.edited and sha(current) == record.sha:
        return True
    own = provenance(current)
    return own is not None and not own.edited


def remove_page(root: Path, rel: str, record: PageRecord) -> bool:
    """Delete a page the compiler made and no longer produces, if the user has not changed it."""
    path = root / rel
    if not fileio.within(root, path):
        return False
    try:
        current = read_text(path)
    except fileio.Unreadable:
        return False
    if current is None:
        return False
    if not is_unedited(current, record):
        return False
    try:
        path.unlink()
    except OSError:
        return False
    return True
