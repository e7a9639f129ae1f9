"""Checks of a rendered vault against Obsidian: syntax left raw, and backlinks as Obsidian
resolves them. Used by the tests (on our own syntax vault, and on the Obsidian help vault when
``OBSIDIAN_HELP_VAULT`` points at its ``en/`` folder) and by ``bench/obsidian_vault.py``."""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from collections import Counter, defaultdict
from pathlib import Path

from wiki.markup.vault_page import render_vault_page
from wiki.vault.facade import Vault

_TAGS = re.compile(r"<[^>]+>")
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)  # code shows syntax on purpose
LEFTOVERS = {
    "callout": re.compile(r"\[![A-Za-z-]+\]"),
    "highlight": re.compile(r"==[^=\s][^=]*=="),
    "strike": re.compile(r"~~[^~\s][^~]*~~"),
    "footnote": re.compile(r"\[\^[^\]]+\]|\^\[[^\]]+\]"),
    "task": re.compile(r"(?m)^\s*\[[ xX]\](?:\s|$)"),
    "math": re.compile(r"\$\$|(?<![\\$\w])\$(?!\s)[^$\n]+?(?<!\s)\$(?!\d)"),
    "comment": re.compile(r"%%|<!--"),
}


def leftovers(vault: Vault) -> tuple[Counter, dict[str, list[tuple[str, str]]]]:
    """Raw Obsidian syntax still visible in the text of every rendered page (code excluded)."""
    counts: Counter = Counter()
    where: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for info in vault.pages():
        page = render_vault_page(vault, info.path, flipped=None)  # folded bodies count too
        text = html_lib.unescape(_TAGS.sub("\n", _CODE.sub("", page.html)))
        for kind, rx in LEFTOVERS.items():
            for m in rx.finditer(text):
                counts[kind] += 1
                where[kind].append((info.path, m.group(0)[:60]))
    return counts, where


# -- Obsidian's resolution, written independently of wiki.vault.resolve -----------------------
_FENCE = re.compile(r"^\s*(```|~~~).*?^\s*\1", re.S | re.M)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_WIKI = re.compile(r"!?\[\[([^\[\]|#^\n]*)(?:[#^][^\[\]|\n]*)?(?:\|[^\[\]\n]*)?\]\]")
_MD = re.compile(r"\[[^\]\n]*\]\(([^)\s]+\.md)(?:#[^)]*)?\)")


def obsidian_targets(root: Path) -> dict[str, set[str]]:
    """page path -> pages linking to it, by Obsidian's rules: a link with a folder matches the
    end of a path, else the file name (case-insensitive); ties go to the shortest path."""
    pages = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md")
                   if not any(part.startswith(".") for part in p.relative_to(root).parts))
    by_name: dict[str, list[str]] = defaultdict(list)
    for p in pages:
        by_name[p.rpartition("/")[2][:-3].casefold()].append(p)
    lower = {p.casefold(): p for p in pages}
    backlinks: dict[str, set[str]] = defaultdict(set)
    for src in pages:
        text = (root / src).read_text(encoding="utf-8", errors="replace")
        head = ""
        if text.startswith("---"):  # properties' [[links]] count in Obsidian; code does not
            end = text.find("\n---", 3)
            head, text = (text[:end], text[end + 4:]) if end != -1 else ("", text)
        text = head + "\n" + _INLINE_CODE.sub("", _FENCE.sub("", text))
        targets = [(m.group(1), False) for m in _WIKI.finditer(text)]
        targets += [(m.group(1).replace("%20", " "), True) for m in _MD.finditer(text)]
        folder = src.rpartition("/")[0]
        for raw, markdown in targets:
            t = raw.strip().rstrip("\\").strip().removesuffix(".md")  # [[a\|b]] in a table
            if not t:
                continue
            hit = None
            here = posixpath.normpath(f"{folder}/{t}") if folder else posixpath.normpath(t)
            if (markdown or "/" in t) and (here + ".md").casefold() in lower:
                hit = lower[(here + ".md").casefold()]  # relative to the linking note first
            elif "/" in t:
                want = "/" + t.strip("/").casefold()
                ends = [p for p in pages if ("/" + p[:-3].casefold()).endswith(want)]
                hit = min(ends, key=lambda p: (p.count("/"), len(p))) if ends else None
            else:
                named = by_name.get(t.casefold())
                hit = min(named, key=lambda p: (p.count("/"), len(p))) if named else None
            if hit and hit != src:
                backlinks[hit].add(src)
    return backlinks


def backlink_agreement(vault: Vault, top: int = 20) -> tuple[int, int, list[str]]:
    """(pages agreeing, pages checked, the ones that differ) on the ``top`` most-linked pages."""
    reference = obsidian_targets(vault.root)
    ranked = sorted(reference, key=lambda p: (-len(reference[p]), p))[:top]
    differ = []
    for path in ranked:
        ours = {m.path for m in vault.backlinks(path)}
        if ours != reference[path]:
            differ.append(f"{path}: only ours {sorted(ours - reference[path])[:3]}, "
                          f"only Obsidian {sorted(reference[path] - ours)[:3]}")
    return len(ranked) - len(differ), len(ranked), differ
