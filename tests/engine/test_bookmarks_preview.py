"""Obsidian's bookmarks.json read and written without losing what we do not show, and the
start of a page for the hover preview."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from wiki.markup.page_preview import cut_for_preview
from wiki.markup.vault_page import render_vault_page
from wiki.vault.bookmarks import (
    BookmarkError,
    BookmarkList,
    obsidian_file,
    read_file,
    toggle_in_file,
)

REAL = Path(__file__).resolve().parents[1] / "data" / "obsidian-bookmarks" / "bookmarks.json"


def test_a_real_obsidian_bookmarks_file_lists_its_pages_with_their_groups():
    marks = BookmarkList.parse(REAL.read_text(encoding="utf-8")).files()
    assert [(m.path, m.group) for m in marks] == [
        ("_utilities/Markdown Cheatsheet.md", "Utilities"), ("2025/Another note.md", "2024")]


def test_toggling_keeps_every_item_we_do_not_show(tmp_path):
    (tmp_path / ".obsidian").mkdir()
    file = obsidian_file(tmp_path)
    assert file == tmp_path / ".obsidian" / "bookmarks.json"
    original = json.loads(REAL.read_text(encoding="utf-8"))
    file.write_bytes(REAL.read_bytes())

    added, _ = toggle_in_file(file, "2025/Riddikulus.md")
    saved = json.loads(file.read_text(encoding="utf-8"))
    assert added and saved["items"][:3] == original["items"]
    assert saved["items"][3]["path"] == "2025/Riddikulus.md"

    # off again, from inside its group: the group stays, with its title and ctime
    added, marks = toggle_in_file(file, "2025/Another note.md")
    saved = json.loads(file.read_text(encoding="utf-8"))
    assert not added and not marks.has("2025/Another note.md")
    assert saved["items"][1] == {"type": "group", "ctime": 1747147403882, "items": [],
                                 "title": "2024"}
    assert saved["items"][2] == original["items"][2]  # the saved search


def test_a_heading_bookmark_is_not_the_page_bookmark():
    marks = BookmarkList.parse(json.dumps({"items": [
        {"type": "file", "ctime": 1, "path": "A.md", "subpath": "#Part"}]}))
    assert not marks.has("A.md")
    assert marks.toggle("A.md", now_ms=7)  # added beside it, the heading one kept
    assert marks.data["items"] == [{"type": "file", "ctime": 1, "path": "A.md",
                                    "subpath": "#Part"},
                                   {"type": "file", "ctime": 7, "path": "A.md"}]


@pytest.mark.parametrize("text", ['{"items": [', "[1, 2]", '{"items": 3}', "\x00\x01garbage"])
def test_a_file_that_is_not_bookmarks_is_never_overwritten(tmp_path, text):
    file = tmp_path / "bookmarks.json"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(BookmarkError) as err:
        toggle_in_file(file, "A.md")
    assert "bookmarks.json" in str(err.value) and "\n" not in str(err.value)
    assert file.read_text(encoding="utf-8") == text


def test_no_obsidian_folder_no_file_and_a_missing_file_is_empty(tmp_path):
    assert obsidian_file(tmp_path) is None
    assert read_file(tmp_path / "nothing.json").files() == []


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root reads everything")
def test_an_unreadable_file_says_so(tmp_path):
    file = tmp_path / "bookmarks.json"
    file.write_text("{}", encoding="utf-8")
    file.chmod(0)
    with pytest.raises(BookmarkError, match="permission denied"):
        read_file(file)


def test_preview_cut_keeps_frontmatter_and_never_cuts_inside_a_fence():
    text = "---\ntitle: T\n---\n" + "line of text\n" * 5 + "```\n" + "code\n" * 400 + \
        "```\n" + "after\n" * 10
    cut, was_cut = cut_for_preview(text, max_chars=40)
    assert was_cut and cut.startswith("---\ntitle: T\n---\n")
    assert cut.count("```") == 0 or cut.count("```") % 2 == 0
    short = "# Short\n\nAll of it.\n"
    assert cut_for_preview(short) == (short, False)


def test_preview_renders_only_the_start_of_a_big_page(open_vault, write_files):
    body = "".join(f"Paragraph {i} links [[B]].\n\n" for i in range(20_000))
    vault = open_vault(write_files({"A.md": "---\naliases: [Aa]\n---\n" + body,
                                    "B.md": "# B\n"}))
    page = render_vault_page(vault, "A.md", max_chars=1500)
    assert "Paragraph 0 links" in page.html and "Paragraph 500 " not in page.html
    assert 'href="wiki:B.md"' in page.html  # links resolved as on the page
    assert "very large" not in page.html  # a long page's start is no problem
    full = render_vault_page(vault, "A.md")
    assert len(page.html) * 20 < len(full.html)


def test_a_heading_or_block_link_previews_that_part(open_vault, write_files):
    body = "# Top\n\nThe start.\n\n" + "filler line\n" * 3000 + \
        "\n## Deep part\n\nWhat the link points to.\n\n## Next\n\nNot this.\n\n" + \
        "A block line ^blk\n"
    vault = open_vault(write_files({"A.md": body}))
    page = render_vault_page(vault, "A.md", max_chars=1500, section="Deep part")
    assert "What the link points to." in page.html and "The start." not in page.html
    assert "Not this." not in page.html
    block = render_vault_page(vault, "A.md", max_chars=1500, section="^blk")
    assert "A block line" in block.html and "What the link" not in block.html
    missing = render_vault_page(vault, "A.md", max_chars=1500, section="No such heading")
    assert "The start." in missing.html  # the page's start instead
