"""Find the Markdown pages of a vault and read one page into a ``Page``, whatever its state."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from wiki.core.fileio import Unreadable, decode, inside, read_bytes
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
from wiki.core.rules import has_page_suffix, is_hidden_part, normalize_rel
from wiki.core.vault_settings import ignored_keys, is_ignored
from wiki.core.vault_settings import load as load_vault_settings
from wiki.markup.frontmatter import as_str, as_str_list, as_tag_list, json_safe, split_frontmatter
from wiki.markup.links import extract_links, inline_tags, mask_code, property_links

MAX_BYTES = 2_000_000


def iter_page_paths(root: Path, ignored: tuple[str, ...] | None = None
                    ) -> Iterator[tuple[str, os.stat_result]]:
    """Yield (vault-relative posix path, stat) for every ``*.md`` page below ``root``.

    Hidden files and folders are skipped, and so are the folders the vault ignores (``ignored``,
    else those of ``.wiki/settings.json``: ``wiki.core.vault_settings``), never entered; symlinks
    are followed only when their target is inside the vault; each real folder is visited once;
    unreadable folders are skipped.
    """
    keys = ignored_keys(load_vault_settings(root).ignored_folders if ignored is None
                        else ignored)
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
            if is_hidden_part(name):
                continue
            try:
                if entry.is_symlink():
                    real = os.path.realpath(entry.path)
                    if not inside(real, root_real):
                        continue
                    try:
                        st = os.stat(real)
                    except OSError:  # broken link
                        continue
                    if os.path.isdir(real):
                        if real not in visited and not is_ignored(prefix + name, keys):
                            visited.add(real)
                            stack.append((real, prefix + name + "/"))
                    elif has_page_suffix(name) and os.path.isfile(real):
                        yield prefix + name, st
                elif entry.is_dir(follow_symlinks=False):
                    real = os.path.join(real_dir, name)
                    if real not in visited and not is_ignored(prefix + name, keys):
                        visited.add(real)
                        stack.append((real, prefix + name + "/"))
                elif has_page_suffix(name) and entry.is_file(follow_symlinks=False):
                    yield prefix + name, entry.stat(follow_symlinks=False)
            except OSError:  # vanished or unreadable while scanning
                continue


def _file_title(rel: str) -> str:
    name = rel.rpartition("/")[2]
    return name[:-3] if has_page_suffix(name) else name


def _unreadable(rel: str, reason: str) -> Page:
    return Page(path=rel, title=_file_title(rel), flags=[FLAG_UNREADABLE],
                problem=f"cannot read: {reason}")


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


def read_page(root: Path, rel: str, *, max_bytes: int = MAX_BYTES, links: bool = True) -> Page:
    """Read and parse one page. Never raises for bad content: problems become flags.
    ``links=False`` leaves ``page.links`` empty (for the search index, which has the graph's).
    """
    clean = normalize_rel(rel)
    if clean is None:
        return _unreadable(rel, "the path is outside the vault")
    try:
        data, st, truncated = read_bytes(os.path.join(root, clean), max_bytes=max_bytes, root=root)
    except Unreadable as exc:
        return _unreadable(clean, str(exc))
    flags: list[str] = []
    problems: list[str] = []
    if truncated:
        flags.append(FLAG_TRUNCATED)
        problems.append(f"larger than {max_bytes:,} bytes: only the start was read")
    page = Page(path=clean, title=_file_title(clean), mtime_ns=st.st_mtime_ns, size=st.st_size)
    decoded = decode(data, truncated=truncated)
    if decoded.binary:
        page.flags = [FLAG_BINARY]
        page.problem = decoded.problem
        return page
    text = decoded.text
    if decoded.problem:
        flags.append(FLAG_INVALID_UTF8)
        problems.append(decoded.problem)
    meta, body, offset, error = split_frontmatter(text)
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
    page.links = extract_links(body, masked=masked) if links else []
    if links and offset and not error:  # links in properties count, as in Obsidian
        page.links = property_links(text, offset) + page.links
    page.flags = flags
    page.problem = "; ".join(problems) or None
    return page


def make_page_info(page: Page) -> PageInfo:
    return PageInfo(path=page.path, title=page.title, aliases=tuple(page.aliases),
                    tags=tuple(page.tags), type=page.type, flags=tuple(page.flags))
