"""`wiki lint`: what a gardener of the vault wants to fix."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from wiki.core import fileio
from wiki.core.model import FLAG_EMPTY, Link
from wiki.core.rules import (
    AGENTS_PAGE,
    has_page_suffix,
    is_hidden_part,
    is_special_page,
    is_valid_name,
    normalize_rel,
)
from wiki.markup.frontmatter import split_frontmatter
from wiki.markup.pages import MAX_BYTES
from wiki.vault.facade import Vault
from wiki.vault.resolve import fold


@dataclass
class LintReport:
    broken_links: list[dict] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    duplicate_names: list[dict] = field(default_factory=list)
    empty_pages: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(v) for v in (self.broken_links, self.orphans, self.duplicate_names,
                                    self.empty_pages, self.problems))

    def as_dict(self) -> dict:
        return {"broken_links": self.broken_links, "orphans": self.orphans,
                "duplicate_names": self.duplicate_names, "empty_pages": self.empty_pages,
                "problems": self.problems}


def _is_attachment_target(target: str) -> bool:
    """``pic.png``, ``docs/a.pdf``: a file name with an extension other than ``.md``."""
    name = target.rpartition("/")[2]
    stem, dot, ext = name.rpartition(".")
    return bool(dot and stem and ext) and ext.lower() != "md" and " " not in ext


def _attachments(root: Path) -> tuple[set[str], set[str]]:
    """Folded vault-relative paths and file names of every non-page file (hidden skipped)."""
    paths: set[str] = set()
    names: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for name in filenames:
            if name.startswith(".") or name.lower().endswith(".md"):
                continue
            paths.add(fold(name if rel_dir == "." else f"{rel_dir}/{name}"))
            names.add(fold(name))
    return paths, names


def _attachment_exists(target: str, src: str, found: tuple[set[str], set[str]]) -> bool:
    """Obsidian finds an attachment by path from the source's folder, from the root, by a
    path suffix or by its file name anywhere in the vault."""
    paths, names = found
    target = target.replace("\\", "/").strip()
    folder = src.rpartition("/")[0]
    for rel in (normalize_rel(f"{folder}/{target}" if folder else target),
                normalize_rel(target)):
        if rel is not None and fold(rel) in paths:
            return True
    key = fold(target.strip("/"))
    if "/" not in key:
        return key in names
    return any(p.endswith("/" + key) for p in paths)  # a path suffix, like page links


def _body_line_offset(root: Path, rel: str) -> int:
    """Lines of frontmatter before the body: link lines are counted in the body."""
    try:
        text = fileio.read_text(root / rel, max_bytes=MAX_BYTES, root=root).text
    except fileio.Unreadable:
        return 0
    return split_frontmatter(text)[2]


def _unnamed_pages(root: Path) -> list[dict]:
    """``.md`` files whose names are not valid UTF-8: they cannot be pages, so say so."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not is_hidden_part(d)]
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
            if has_page_suffix(name) and not is_valid_name(rel):
                found.append({"path": rel.encode("utf-8", "replace").decode("utf-8"),
                              "problem": "the file name is not valid UTF-8, so it is not "
                                         "indexed or linked: rename the file"})
    return found


def _broken_links(vault: Vault) -> list[dict]:
    broken: list[tuple[str, Link]] = vault.broken_links()
    if any(_is_attachment_target(link.target) for _src, link in broken):
        found = _attachments(vault.root)
        broken = [(src, link) for src, link in broken
                  if not (_is_attachment_target(link.target)
                          and _attachment_exists(link.target, src, found))]
    offsets: dict[str, int] = {}
    out = []
    for src, link in broken:
        if src not in offsets:
            offsets[src] = _body_line_offset(vault.root, src)
        out.append({"path": src, "target": link.target, "line": link.line + offsets[src]})
    return out


def lint(vault: Vault) -> LintReport:
    report = LintReport()
    report.broken_links = _broken_links(vault)
    report.orphans = [p for p in vault.orphans() if not is_special_page(p) and p != AGENTS_PAGE]
    with vault.graph.lock:
        duplicates = vault.graph.resolver.duplicate_names()
    for _key, paths in sorted(duplicates.items()):
        name = paths[0].rpartition("/")[2][:-3]  # as the user spelled it, not casefolded
        report.duplicate_names.append({"name": name, "paths": paths})
    for info in vault.pages():
        if FLAG_EMPTY in info.flags:
            report.empty_pages.append(info.path)
    for path, problem in sorted(vault.problems().items()):
        if path not in report.empty_pages:
            report.problems.append({"path": path, "problem": problem})
    report.problems.extend(_unnamed_pages(vault.root))
    return report
