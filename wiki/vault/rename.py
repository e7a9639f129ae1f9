"""Rename or move a page and update every link to it, as Obsidian does.

``plan_rename`` works out, without writing anything, the new text of every page whose links
resolve to the page being renamed: ``[[Old]]``, ``[[Old#H|text]]``, ``![[Old#^block]]``,
``[text](folder/Old.md#h)``, links in the frontmatter — keeping each link's heading, block and
display text — and of the moved page's own relative Markdown links. ``apply_rename`` writes
those pages (each checked against the etag read when planning, so nothing changed meanwhile is
overwritten), then moves the file, never over an existing one, and tells the vault.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from wiki.core.rules import has_page_suffix, is_hidden_part, normalize_rel
from wiki.markup.frontmatter import split_frontmatter
from wiki.markup.links import mask_code
from wiki.markup.syntax import URL_SCHEME, WIKILINK
from wiki.vault.editing import EditError, Etag, page_file, read_for_edit, save_page

_WIKI = WIKILINK
_MD = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
                 r"\((<[^<>\n]*>|[^\s()<>]+)((?:\s+\"[^\"\n]*\")?)\)")
_SCHEME = URL_SCHEME


class RenameError(EditError):
    """The rename cannot be done; ``str(e)`` is one line for the user."""


@dataclass
class RenamePlan:
    old: str
    new: str
    edits: dict[str, str] = field(default_factory=dict)  # page path -> its new text
    etags: dict[str, Etag] = field(default_factory=dict)
    links: int = 0  # links rewritten

    @property
    def files(self) -> int:
        return len(self.edits)

    def summary(self) -> str:
        return (f"Renaming {self.old} to {self.new} updates {self.links} "
                f"link{'s' if self.links != 1 else ''} in {self.files} "
                f"file{'s' if self.files != 1 else ''}.")


def target_path(vault, old: str, new_name: str) -> str:
    """Where ``new_name`` puts page ``old``: a bare name stays in the same folder; a name with a
    folder is a path from the vault root. ``.md`` is added when missing."""
    name = new_name.strip().replace("\\", "/")
    if not name:
        raise RenameError("the new name is empty")
    if not has_page_suffix(name):
        name += ".md"
    if "/" not in name.strip("/"):
        folder = old.rpartition("/")[0]
        name = f"{folder}/{name}" if folder else name
    clean = normalize_rel(name.strip("/"))
    if clean is None or any(is_hidden_part(p) for p in clean.split("/")):
        raise RenameError(f"{new_name!r} is not a place for a page in this vault")
    if any(ch in clean.rpartition("/")[2] for ch in "[]#^|"):
        raise RenameError("a page name cannot hold [ ] # ^ or | (links could not name it)")
    if clean != old and os.path.lexists(vault.root / clean) and \
            clean.casefold() != old.casefold():
        raise RenameError(f"{clean} exists already")
    return clean


def plan_rename(vault, old: str, new_name: str) -> RenamePlan:
    """What renaming page ``old`` to ``new_name`` changes (nothing is written)."""
    if vault.page_info(old) is None:
        raise RenameError(f"no page {old} in this vault")
    new = target_path(vault, old, new_name)
    plan = RenamePlan(old, new)
    sources = {src for src, _link in vault.graph.backlinks(old)} | {old}
    new_stem = new.rpartition("/")[2][:-3]
    others = [p for p in vault.graph.resolver.paths_named(new_stem) if p != old]
    wiki_name = new[:-3] if others else new_stem  # a shared name needs its path
    for src in sorted(sources):
        text, etag = read_for_edit(vault.root, src)
        _meta, _body, offset, _problem = split_frontmatter(text)
        head_len = _line_start(text, offset)
        body = text[head_len:]
        masked = mask_code(body)
        pieces: list[str] = []
        pos = count = 0
        for m in _WIKI.finditer(masked):
            repl = _wiki_replacement(vault, body[m.start():m.end()], src, old, wiki_name)
            if repl is not None and repl != body[m.start():m.end()]:
                pieces += [body[pos:m.start()], repl]
                pos, count = m.end(), count + 1
        pieces.append(body[pos:])
        body = "".join(pieces)
        masked = mask_code(body)
        pieces, pos = [], 0
        for m in _MD.finditer(masked):
            repl = _md_replacement(vault, body[m.start():m.end()], src, old, new)
            if repl is not None and repl != body[m.start():m.end()]:
                pieces += [body[pos:m.start()], repl]
                pos, count = m.end(), count + 1
        pieces.append(body[pos:])
        head, head_count = _rewrite_properties(vault, text[:head_len], src, old, wiki_name)
        count += head_count
        new_text = head + "".join(pieces)
        if new_text != text:
            plan.edits[src] = new_text
            plan.etags[src] = etag
            plan.links += count
    return plan


def _rewrite_properties(vault, head: str, src: str, old: str, wiki_name: str
                        ) -> tuple[str, int]:
    """Wiki links in the frontmatter (``up: "[[Old]]"``), which Obsidian updates too."""
    if "[[" not in head:
        return head, 0
    pieces: list[str] = []
    pos = count = 0
    for m in _WIKI.finditer(head):
        repl = _wiki_replacement(vault, m.group(0), src, old, wiki_name)
        if repl is not None and repl != m.group(0):
            pieces += [head[pos:m.start()], repl]
            pos, count = m.end(), count + 1
    pieces.append(head[pos:])
    return "".join(pieces), count


def _line_start(text: str, lines: int) -> int:
    pos = 0
    for _ in range(lines):
        nl = text.find("\n", pos)
        if nl == -1:
            return len(text)
        pos = nl + 1
    return pos


def _wiki_replacement(vault, link: str, src: str, old: str, wiki_name: str) -> str | None:
    m = _WIKI.match(link)
    assert m is not None
    inner = m.group(2)
    left, bar, text = inner.partition("|")
    escaped_bar = bar and left.endswith("\\")
    if escaped_bar:
        left = left[:-1]
    target, hash_, heading = left.partition("#")
    if not target.strip() or vault.resolve(target.strip(), src, "wiki") != old:
        return None
    suffix = ".md" if target.strip().lower().endswith(".md") else ""
    out = wiki_name + suffix + (hash_ + heading if hash_ else "")
    if bar:
        out += ("\\|" if escaped_bar else "|") + text
    return f"{m.group(1)}[[{out}]]"


def _md_replacement(vault, link: str, src: str, old: str, new: str) -> str | None:
    m = _MD.match(link)
    assert m is not None
    dest = m.group(3)
    angle = dest.startswith("<")
    raw = dest[1:-1] if angle else dest
    if _SCHEME.match(raw) or raw.startswith("#"):
        return None
    path_part, hash_, frag = raw.partition("#")
    target = unquote(path_part)
    if not target.lower().endswith(".md"):
        return None
    moved_self = src == old
    resolved = vault.resolve(target, src, "markdown")
    if resolved == old and not moved_self:
        dest_path = new
        from_folder = src.rpartition("/")[0]
    elif moved_self and resolved is not None and resolved != old:
        dest_path = resolved  # the moved page's own link to another page
        from_folder = new.rpartition("/")[0]
        if from_folder == old.rpartition("/")[0]:
            return None  # same folder: the link still works
    elif moved_self and resolved == old:  # a link to itself
        dest_path, from_folder = new, new.rpartition("/")[0]
    else:
        return None
    rel = posixpath.relpath(dest_path, from_folder or ".")
    written = rel if angle or " " not in rel and "%20" not in path_part else quote(rel, safe="/")
    if angle:
        written = f"<{rel}>"
    return f"{m.group(1)}[{m.group(2)}]({written}{hash_}{frag}{m.group(4)})"


def apply_rename(vault, plan: RenamePlan):
    """Write the planned link updates, then move the file; returns the vault's change summary.
    ``EditConflict`` when a page changed since the plan was made (nothing is moved then)."""
    src_file = page_file(vault.root, plan.old)
    dst_file = page_file(vault.root, plan.new)
    if not src_file.is_file():
        raise RenameError(f"{plan.old} is gone")
    if dst_file.exists() and plan.new.casefold() != plan.old.casefold():
        raise RenameError(f"{plan.new} exists already")
    for path in sorted(plan.edits):  # check every etag before writing any page
        now = read_for_edit(vault.root, path)[1]
        if now.sha1 != plan.etags[path].sha1:
            from wiki.vault.editing import EditConflict

            raise EditConflict(f"{path} changed since the rename was planned; nothing was "
                               "renamed")
    written: list[str] = []
    for path in sorted(plan.edits):
        save_page(vault.root, path, plan.edits[path], plan.etags[path])
        written.append(path)
    dst_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        if hasattr(os, "link") and plan.new.casefold() != plan.old.casefold():
            os.link(src_file, dst_file)  # fails if the target appeared meanwhile: no overwrite
            os.unlink(src_file)
        else:
            os.rename(src_file, dst_file)
    except OSError as exc:
        raise RenameError(f"cannot move {plan.old}: {exc.strerror or exc}") from exc
    return vault.update_paths([plan.old, plan.new, *written])
