"""Find the Markdown pages of a vault and read one page into a ``Page``, whatever its state."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from wiki.core.model import (
    FLAG_BINARY,
    FLAG_EMPTY,
    FLAG_INVALID_UTF8,
    FLAG_MALFORMED_FRONTMATTER,
    FLAG_TRUNCATED,
    FLAG_UNREADABLE,
    Page,
    PageInfo,
)
from wiki.core.paths import RAW_DIR, normalize_rel
from wiki.markup.frontmatter import as_str, as_str_list, as_tag_list, json_safe, split_frontmatter
from wiki.markup.links import extract_links, inline_tags, mask_code

MAX_BYTES = 2_000_000


def is_page_path(rel: str) -> bool:
    """A vault-relative path names a page: ``*.md`` outside hidden folders and ``raw/``
    (raw articles are compiler input, not pages)."""
    parts = rel.split("/")
    return (rel.lower().endswith(".md") and not any(p.startswith(".") for p in parts)
            and parts[0] != RAW_DIR)
_SNIFF = 8192


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def iter_page_paths(root: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Yield (vault-relative posix path, stat) for every ``*.md`` page below ``root``.

    Hidden files and folders are skipped; symlinks are followed only when their target is
    inside the vault; each real folder is visited once; unreadable folders are skipped.
    """
    root_real = os.path.realpath(root)
    visited = {root_real}
    stack: list[tuple[str, str]] = [(root_real, "")]
    while stack:
        real_dir, prefix = stack.pop()
        try:
            with os.scandir(real_dir) as it:
                entries = list(it)
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_symlink():
                    real = os.path.realpath(entry.path)
                    if not _inside(real, root_real):
                        continue
                    try:
                        st = os.stat(real)
                    except OSError:  # broken link
                        continue
                    if os.path.isdir(real):
                        if real not in visited:
                            visited.add(real)
                            stack.append((real, prefix + name + "/"))
                    elif name[-3:].lower() == ".md" and os.path.isfile(real):
                        yield prefix + name, st
                elif entry.is_dir(follow_symlinks=False):
                    real = os.path.join(real_dir, name)
                    if real not in visited:
                        visited.add(real)
                        stack.append((real, prefix + name + "/"))
                elif name[-3:].lower() == ".md" and entry.is_file(follow_symlinks=False):
                    yield prefix + name, entry.stat(follow_symlinks=False)
            except OSError:  # vanished or unreadable while scanning
                continue


def _file_title(rel: str) -> str:
    name = rel.rpartition("/")[2]
    return name[:-3] if name[-3:].lower() == ".md" else name


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or exc.__class__.__name__


def _unreadable(rel: str, reason: str) -> Page:
    return Page(path=rel, title=_file_title(rel), flags=[FLAG_UNREADABLE],
                problem=f"cannot read: {reason}")


def _read_bytes(root: Path, rel: str, max_bytes: int) -> tuple[bytes, os.stat_result] | str:
    """The first ``max_bytes + 1`` bytes and the stat, or a reason the file cannot be read."""
    root_real = os.path.realpath(root)
    real = os.path.realpath(os.path.join(root_real, *rel.split("/")))
    if not _inside(real, root_real):
        return "the file is outside the vault"
    try:
        mode = os.stat(real).st_mode
        if stat.S_ISDIR(mode):
            return "is a directory"
        if not stat.S_ISREG(mode):  # a FIFO or device would block or never end
            return "not a regular file"
        with open(real, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return _os_reason(exc)
    return data, st


def _decode(data: bytes, truncated: bool) -> tuple[str, bool]:
    """(text, had invalid bytes). A character cut by truncation is dropped, not flagged."""
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError as exc:
        if truncated and exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            try:
                return data[:exc.start].decode("utf-8"), False
            except UnicodeDecodeError:
                pass
        return data.decode("utf-8", errors="replace"), True


def _title(meta: dict, rel: str) -> str:
    """A page's name, as Obsidian gives it: the frontmatter ``title`` when there is one (the
    compiler writes it, since file names cannot hold ``:`` or ``?``), else the file name without
    ``.md``. A first heading is never the name: thousands of notes start ``# Todo``."""
    return as_str(meta.get("title")) or _file_title(rel)


def _dedupe(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        if v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return out


def read_page(root: Path, rel: str, *, max_bytes: int = MAX_BYTES) -> Page:
    """Read and parse one page. Never raises for bad content: problems become flags."""
    clean = normalize_rel(rel)
    if clean is None:
        return _unreadable(rel, "the path is outside the vault")
    got = _read_bytes(Path(root), clean, max_bytes)
    if isinstance(got, str):
        return _unreadable(clean, got)
    data, st = got
    flags: list[str] = []
    problems: list[str] = []
    truncated = len(data) > max_bytes
    if truncated:
        data = data[:max_bytes]
        flags.append(FLAG_TRUNCATED)
        problems.append(f"larger than {max_bytes:,} bytes: only the start was read")
    page = Page(path=clean, title=_file_title(clean), mtime_ns=st.st_mtime_ns, size=st.st_size)
    if b"\0" in data[:_SNIFF]:
        page.flags = [FLAG_BINARY]
        page.problem = "binary file, not text"
        return page
    text, invalid = _decode(data, truncated)
    if invalid:
        flags.append(FLAG_INVALID_UTF8)
        problems.append("not valid UTF-8: undecodable bytes were replaced")
    if text.startswith("\ufeff"):
        text = text[1:]
    meta, body, _offset, error = split_frontmatter(text)
    if error:
        flags.append(FLAG_MALFORMED_FRONTMATTER)
        problems.append(error)
    if not text.strip():
        flags.append(FLAG_EMPTY)
        problems.append("the page is empty")
    masked = mask_code(body)
    page.title = _title(meta, clean)
    aliases = meta.get("aliases")
    page.aliases = as_str_list(aliases if aliases is not None else meta.get("alias"))
    tags = meta.get("tags")
    page.tags = _dedupe(as_tag_list(tags if tags is not None else meta.get("tag"))
                        + inline_tags(body, masked=masked))
    page.type = as_str(meta.get("type"))
    page.frontmatter = json_safe(meta)
    page.body = body
    page.links = extract_links(body, masked=masked)
    page.flags = flags
    page.problem = "; ".join(problems) or None
    return page


def make_page_info(page: Page) -> PageInfo:
    return PageInfo(path=page.path, title=page.title, aliases=tuple(page.aliases),
                    tags=tuple(page.tags), type=page.type, flags=tuple(page.flags))
