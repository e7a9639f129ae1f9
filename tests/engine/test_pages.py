"""Finding pages on disk and reading them, including every kind of bad file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from wiki.core.model import (
    FLAG_BINARY,
    FLAG_EMPTY,
    FLAG_INVALID_UTF8,
    FLAG_MALFORMED_FRONTMATTER,
    FLAG_TRUNCATED,
    FLAG_UNREADABLE,
)
from wiki.markup.pages import iter_page_paths, make_page_info, read_page


def paths(root: Path) -> list[str]:
    return sorted(rel for rel, _st in iter_page_paths(root))


# --- iter_page_paths --------------------------------------------------------------------


def test_iter_finds_md_and_skips_hidden(write_files):
    root = write_files({
        "a.md": "a", "B.MD": "b", "sub/deep/c.md": "c", "notes.txt": "x", "img.png": b"\x89PNG",
        ".wiki/state.md": "x", ".obsidian/workspace.md": "x", ".git/x.md": "x",
        "sub/.hidden.md": "x", "sub/.hid/y.md": "x", "Ünïcode folder/Café Crème.md": "c",
    })
    assert paths(root) == ["B.MD", "a.md", "sub/deep/c.md", "Ünïcode folder/Café Crème.md"]


def test_iter_gives_stat(write_files):
    root = write_files({"a.md": "hello"})
    ((rel, st),) = list(iter_page_paths(root))
    assert rel == "a.md" and st.st_size == 5 and st.st_mtime_ns > 0


def test_iter_directory_named_md_is_walked_not_yielded(write_files):
    root = write_files({"x.md/inner.md": "i"})
    assert paths(root) == ["x.md/inner.md"]


def test_iter_symlinks_inside_followed_outside_skipped(write_files, tmp_path):
    root = write_files({"real/a.md": "a", "b.md": "b"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("s")
    (root / "linkdir").symlink_to(root / "real", target_is_directory=True)
    (root / "linkfile.md").symlink_to(root / "b.md")
    (root / "escape").symlink_to(outside, target_is_directory=True)
    (root / "escape.md").symlink_to(outside / "secret.md")
    (root / "broken.md").symlink_to(root / "missing.md")
    found = paths(root)
    assert "linkfile.md" in found and "broken.md" not in found
    assert not any("secret" in p or p.startswith("escape") for p in found)
    # the real folder and its link hold the same files; each real folder is walked once
    assert ("real/a.md" in found) != ("linkdir/a.md" in found)


def test_iter_symlink_loop_terminates(write_files):
    root = write_files({"a/page.md": "p"})
    (root / "a" / "loop").symlink_to(root, target_is_directory=True)
    (root / "a" / "self").symlink_to(root / "a" / "self")
    assert paths(root) == ["a/page.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_iter_unreadable_dir_skipped(write_files):
    root = write_files({"ok.md": "x", "locked/hidden.md": "x"})
    (root / "locked").chmod(0)
    try:
        assert paths(root) == ["ok.md"]
    finally:
        (root / "locked").chmod(0o755)


def test_iter_missing_vault_yields_nothing(tmp_path):
    assert list(iter_page_paths(tmp_path / "nope")) == []


def test_iter_many_files(vault_dir):
    for d in range(10):
        folder = vault_dir / f"d{d}"
        folder.mkdir()
        for i in range(50):
            (folder / f"p{i}.md").write_text("x")
    assert len(paths(vault_dir)) == 500


# --- read_page --------------------------------------------------------------------------


def test_read_full_page(write_files):
    root = write_files({"people/Ada.md": (
        "---\ntitle: Ada Lovelace\naliases: [Countess, 'A. L.']\ntags: [person, '#math']\n"
        "type: entity\ncreated: 2024-05-01\n---\n"
        "# Heading Ignored\n\nShe worked with [[Charles Babbage|Babbage]] on #computing.\n"
        "```\n[[NotALink]] #nottag\n```\nSee [notes](../notes/Engine%20Notes.md).\n"
    )})
    page = read_page(root, "people/Ada.md")
    assert page.path == "people/Ada.md"
    assert page.title == "Ada Lovelace"
    assert page.aliases == ["Countess", "A. L."]
    assert page.tags == ["person", "math", "computing"]
    assert page.type == "entity"
    assert page.frontmatter["created"] == "2024-05-01"
    json.dumps(page.frontmatter)
    assert [(x.target, x.line, x.kind) for x in page.links] == [
        ("Charles Babbage", 3, "wiki"), ("../notes/Engine Notes.md", 7, "markdown")]
    assert page.body.startswith("# Heading Ignored")
    assert page.flags == [] and page.problem is None
    assert page.size == (root / "people/Ada.md").stat().st_size
    assert page.mtime_ns == (root / "people/Ada.md").stat().st_mtime_ns


def test_name_is_file_name_never_first_heading(write_files):
    """Obsidian names a note by its file: a first ``# Todo`` heading is not the name."""
    root = write_files({
        "h.md": "```\n# In code\n```\n\n# Real Title #\ntext",
        "plain name.md": "no heading\n## Second level",
        "alias.md": "---\nalias: single\ntag: solo\n---\n",
        "titled.md": "---\ntitle: 'Why: a question?'\n---\n# Heading\n",
    })
    assert read_page(root, "h.md").title == "h"
    assert read_page(root, "titled.md").title == "Why: a question?"
    assert read_page(root, "plain name.md").title == "plain name"
    page = read_page(root, "alias.md")
    assert (page.title, page.aliases, page.tags) == ("alias", ["single"], ["solo"])


def test_tags_deduplicated_case_insensitively(write_files):
    root = write_files({"t.md": "---\ntags: Topic, other\n---\n#topic #new #Other"})
    assert read_page(root, "t.md").tags == ["Topic", "other", "new"]


def test_bom_stripped(write_files):
    root = write_files({"b.md": "\ufeff---\ntitle: Bom\n---\nbody".encode()})
    page = read_page(root, "b.md")
    assert page.title == "Bom" and page.body == "body" and page.flags == []


def test_binary_file(write_files):
    root = write_files({"bin.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))})
    page = read_page(root, "bin.md")
    assert page.flags == [FLAG_BINARY]
    assert page.body == "" and page.links == []
    assert page.problem == "binary file, not text"
    assert page.title == "bin"


def test_a_legacy_windows_file_is_read_as_windows_1252_and_flagged(write_files):
    root = write_files({"latin.md": "caf\xe9 [[Link]]".encode("cp1252")})
    page = read_page(root, "latin.md")
    assert page.flags == [FLAG_INVALID_UTF8]
    assert page.body == "caf\xe9 [[Link]]"
    assert [x.target for x in page.links] == ["Link"]
    assert page.problem == "not UTF-8: read as Windows-1252 text"


def test_invalid_utf8_that_is_no_legacy_encoding_is_replaced_and_flagged(write_files):
    root = write_files({"bad.md": b"[[Link]] " + bytes(range(0x80, 0x100)) * 4})
    page = read_page(root, "bad.md")
    assert page.flags == [FLAG_INVALID_UTF8]
    assert "\ufffd" in page.body
    assert [x.target for x in page.links] == ["Link"]
    assert "UTF-8" in page.problem


def test_a_utf16_note_with_a_bom_is_text_not_binary(write_files):
    root = write_files({"wide.md": "# Wide\n\nSee [[Link]] \u2014 caf\xe9".encode("utf-16")})
    page = read_page(root, "wide.md")
    assert page.flags == [] and page.problem is None
    assert page.body.endswith("caf\xe9")
    assert [x.target for x in page.links] == ["Link"]


def test_huge_file_truncated(write_files):
    line = "é [[Big]] filler text\n"
    root = write_files({"big.md": line * 20_000})
    page = read_page(root, "big.md", max_bytes=100_001)
    assert page.flags == [FLAG_TRUNCATED]  # a character cut in half is not "invalid UTF-8"
    assert len(page.body.encode()) <= 100_001
    assert page.size == len((line * 20_000).encode())
    assert page.links and all(x.target == "Big" for x in page.links)
    assert "100,001" in page.problem


@pytest.mark.parametrize("content", ["", "   \n\n\t", "---\ntitle: Only Meta\n---\n"])
def test_empty(write_files, content):
    root = write_files({"e.md": content})
    page = read_page(root, "e.md")
    if content.startswith("---"):
        assert page.flags == [] and page.title == "Only Meta"
    else:
        assert page.flags == [FLAG_EMPTY] and page.problem and page.title == "e"


def test_malformed_frontmatter_keeps_full_text(write_files):
    text = "---\ntitle: [oops\n---\n# Heading\n[[Link]]\n"
    root = write_files({"m.md": text})
    page = read_page(root, "m.md")
    assert page.flags == [FLAG_MALFORMED_FRONTMATTER]
    assert page.body == text
    assert page.title == "m"
    assert [(x.target, x.line) for x in page.links] == [("Link", 5)]
    assert page.problem.startswith("frontmatter is not valid YAML: line ")


def test_several_flags_together(write_files):
    root = write_files({"x.md": b"---\n: : bad\n---\n\xff text"})
    page = read_page(root, "x.md")
    assert page.flags == [FLAG_INVALID_UTF8, FLAG_MALFORMED_FRONTMATTER]
    assert page.problem.count(";") == 1


def test_directory_named_md(write_files):
    root = write_files({"x.md/inner.md": "i"})
    page = read_page(root, "x.md")
    assert page.flags == [FLAG_UNREADABLE]
    assert page.problem == "cannot read: is a directory"


def test_missing_file(vault_dir):
    page = read_page(vault_dir, "gone.md")
    assert page.flags == [FLAG_UNREADABLE] and "not found" in page.problem
    assert page.title == "gone"


def test_symlink_outside_vault_not_read(write_files, tmp_path):
    root = write_files({"a.md": "a"})
    secret = tmp_path / "secret.md"
    secret.write_text("TOP SECRET [[x]]")
    (root / "leak.md").symlink_to(secret)
    page = read_page(root, "leak.md")
    assert page.flags == [FLAG_UNREADABLE]
    assert page.body == "" and "outside the vault" in page.problem


def test_dotdot_path_not_read(write_files, tmp_path):
    root = write_files({"a.md": "a"})
    (tmp_path / "secret.md").write_text("TOP SECRET")
    for rel in ("../secret.md", "sub/../../secret.md"):
        page = read_page(root, rel)
        assert page.flags == [FLAG_UNREADABLE] and page.body == ""


def test_symlink_loop_file(write_files):
    root = write_files({"a.md": "a"})
    (root / "loop.md").symlink_to(root / "loop.md")
    page = read_page(root, "loop.md")
    assert page.flags == [FLAG_UNREADABLE] and page.problem.startswith("cannot read: ")


def test_symlink_inside_vault_read(write_files):
    root = write_files({"real.md": "# Real\n[[x]]"})
    (root / "alias.md").symlink_to(root / "real.md")
    page = read_page(root, "alias.md")
    assert page.path == "alias.md" and page.title == "alias" and page.flags == []


def test_make_page_info(write_files):
    root = write_files({"f/p.md": "---\naliases: a\ntype: concept\n---\n# T\n#tag"})
    info = make_page_info(read_page(root, "f/p.md"))
    assert (info.path, info.title, info.aliases, info.tags, info.type, info.flags) == (
        "f/p.md", "p", ("a",), ("tag",), "concept", ())
    assert info.name == "p" and info.folder == "f"


def test_fifo_named_md_is_not_opened(vault_dir):
    os.mkfifo(vault_dir / "pipe.md")
    assert paths(vault_dir) == []
    page = read_page(vault_dir, "pipe.md")
    assert page.flags == [FLAG_UNREADABLE] and page.problem == "cannot read: not a regular file"


def test_null_aliases_fall_back_and_odd_values(write_files):
    root = write_files({"o.md": (
        "---\naliases:\nalias: [One, null, {a: 1}]\ntitle: 2024\ntype: [x]\n"
        "tags: '#a #b'\n7: seven\n---\ntext")})
    page = read_page(root, "o.md")
    assert page.aliases == ["One"]
    assert page.title == "2024"
    assert page.type is None
    assert page.tags == ["a", "b"]
    assert page.frontmatter["7"] == "seven"
    assert page.flags == []
