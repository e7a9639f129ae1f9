"""``index.md`` (every page, one line each: the compiler's grouped by kind, the user's own by
folder) and ``log.md`` (append-only)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from wiki.compile.writing.render import KIND_LABELS, KIND_ORDER, frontmatter, link
from wiki.compile.writing.writer import (
    PageRecord,
    atomic_write,
    provenance,
    read_text,
    sha,
    stamp,
)
from wiki.core.fileio import Unreadable
from wiki.core.rules import AGENTS_PAGE, INDEX_PAGE, LOG_PAGE, is_page_path, is_special_page
from wiki.markup.frontmatter import as_str, split_frontmatter
from wiki.markup.pages import iter_page_paths

INDEX = INDEX_PAGE
LOG = LOG_PAGE
_HEAD_BYTES = 4096


def one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.replace("[[", "").replace("]]", "").split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


# One-line summaries of user pages by absolute path, with the (mtime_ns, size) they were read
# at: a long-running watcher re-reads only the pages that changed since the last ingest.
_SUMMARIES: dict[str, tuple[int, int, str]] = {}


def user_pages(root: Path, ours: set[str]) -> list[tuple[str, str]]:
    """(vault-relative path, one-line summary) of the Markdown pages the compiler did not make."""
    out: list[tuple[str, str]] = []
    for rel, st in sorted(iter_page_paths(root)):
        if is_page_path(rel) and rel not in ours and not is_special_page(rel) \
                and rel != AGENTS_PAGE:  # about the vault, not in it
            out.append((rel, _cached_summary(root / rel, st)))
    return out


def _cached_summary(path: Path, st: os.stat_result) -> str:
    key = str(path)
    cached = _SUMMARIES.get(key)
    if cached is not None and cached[:2] == (st.st_mtime_ns, st.st_size):
        return cached[2]
    summary = _summary_of_file(path)
    _SUMMARIES[key] = (st.st_mtime_ns, st.st_size, summary)
    return summary


def _summary_of_file(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""
    meta, body, _, _ = split_frontmatter(head)
    for key in ("description", "summary"):
        value = as_str(meta.get(key))
        if value:
            return one_line(value)
    for line in body.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "---", "```", "![")):
            return one_line(re.sub(r"^[-*>]\s+", "", line))
    return ""


def render_index(pages: dict[str, PageRecord], others: list[tuple[str, str]]) -> str:
    """``pages``: the compiler's page records (their kind, title and summary)."""
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for rel, rec in pages.items():
        kind = rec.kind
        if kind in ("source", *KIND_ORDER):
            name = rel.rpartition("/")[2].removesuffix(".md")
            groups.setdefault(kind, []).append((rec.title or name, name, rec.summary))
    lines = [frontmatter({"title": "Index", "type": "index"}).rstrip("\n"), "# Index", "",
             "Every page of this wiki, one line each, yours included. Commonplace keeps this "
             "page up to date as pages come and go; see [[log]] for what was added when.", ""]
    labels = [("source", "Sources")] + [(k, KIND_LABELS[k]) for k in KIND_ORDER]
    for kind, label in labels:
        items = sorted(groups.get(kind, []), key=lambda t: (t[0].casefold(), t[1]))
        if not items:
            continue
        lines += [f"## {label} ({len(items)})", ""]
        for title, name, summary in items:
            entry = f"- {link(name, title if title != name else None)}"
            lines.append(f"{entry} — {one_line(summary)}" if summary else entry)
        lines.append("")
    if others:
        lines += [f"## Your pages ({len(others)})", ""]
        folders: dict[str, list[tuple[str, str]]] = {}
        for rel, summary in others:
            folders.setdefault(rel.rpartition("/")[0], []).append((rel, summary))
        for folder in sorted(folders, key=lambda f: (f != "", f.casefold(), f)):
            in_folder = sorted(folders[folder], key=lambda t: (t[0].casefold(), t[0]))
            if folder:
                lines += [f"### {folder} ({len(in_folder)})", ""]
            for rel, summary in in_folder:
                target = rel.removesuffix(".md")
                entry = f"- {link(target, target.rpartition('/')[2] if folder else None)}"
                lines.append(f"{entry} — {summary}" if summary else entry)
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _entry_key(date: str, title: str, name: str) -> str:
    return f"## [{date}] ingest | {title}\n\n- Source page: {link(name)}\n"


def log_entries(entries: list[tuple[str, str, str, list[str]]], current: str = "") -> str:
    """``entries``: (date, title, source page name, pages touched) -> Markdown to append.

    An entry already in ``current`` (the same day, article and source page) is left out: a
    compile killed after writing the log but before saving its state runs again, and must not
    log the same ingest twice."""
    out: list[str] = []
    for date, title, name, touched in entries:
        if _entry_key(date, title, name) in current:
            continue
        out += [f"## [{date}] ingest | {title}", "", f"- Source page: {link(name)}"]
        if touched:
            shown = ", ".join(link(t) for t in touched[:40])
            more = f" and {len(touched) - 40} more" if len(touched) > 40 else ""
            out.append(f"- Pages created or updated: {shown}{more}")
        out.append("")
    return "\n".join(out)


LOG_HEADER = stamp(frontmatter({"title": "Log", "type": "log"}) + "# Log\n\n"
                   "What Commonplace compiled, newest last. Entries are only ever added.\n")


def append_log(root: Path, record: PageRecord | None,
               entries: list[tuple[str, str, str, list[str]]]) -> tuple[str, str | None]:
    """Append ingest entries to log.md. Returns (action, new hash); never rewrites earlier
    entries.

    A ``log.md`` the compiler did not create is left alone (action ``"skipped"``).
    """
    return _append(root, record, lambda current: log_entries(entries, current))


def append_log_text(root: Path, record: PageRecord | None, text: str) -> tuple[str, str | None]:
    """Append another kind of entry (``## [date] query | question`` …), as :func:`append_log`
    does; an entry already there is not added twice."""
    return _append(root, record, lambda current: "" if text.strip() in current else text)


def _append(root: Path, record: PageRecord | None,
            entries_for: Callable[[str], str]) -> tuple[str, str | None]:
    path = root / LOG
    try:
        current = read_text(path)
    except Unreadable:
        return "skipped", None  # something that is not text: never written over
    if current is None:
        new = LOG_HEADER + "\n" + entries_for("")
        atomic_write(path, new)
        return "created", sha(new)
    if record is None and provenance(current) is None:  # (appending loses nothing: a stamp
        return "skipped", None  # is enough, whatever was added since)
    text = entries_for(current)
    if not text:
        return "unchanged", sha(current)
    new = current.rstrip("\n") + "\n\n" + text
    atomic_write(path, new)
    return "updated", sha(new)
