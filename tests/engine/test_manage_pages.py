"""Managing pages as Obsidian users expect: rename with link updates, trash with undo, the
page list for scripts, and a static HTML export. Through the real `wiki` command where a user
would use it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from support import run_wiki

from wiki.vault.editing import EditConflict
from wiki.vault.facade import Vault
from wiki.vault.rename import RenameError, apply_rename, plan_rename
from wiki.vault.trash import delete_page, restore

DATA = Path(__file__).resolve().parents[1] / "data" / "obsidian-syntax"


@pytest.fixture
def linked(write_files):
    return write_files({
        "sub/Old.md": "# Old\n\nSelf: [me](Old.md). Up: [x](../x.md). ^blk\n",
        "A.md": "Links [[Old]], [[Old#Head|text]], ![[Old#^blk]], [[sub/Old|p]], "
                "[md](sub/Old.md#head) and `[[Old]]` in code.\n\n```\n[[Old]]\n```\n",
        "other/B.md": "| a | [[Old\\|t]] |\n|--|--|\n",
        "x.md": "# x\n",
        "Unrelated.md": "[[x]]\n",
    })


def test_mv_updates_every_link_keeping_heading_block_and_text(linked):
    result = run_wiki("mv", "Old", "other/New Name", vault=linked)
    assert result.returncode == 0, result.stderr
    assert "updates 7 links in 3 files" in result.stdout
    assert not (linked / "sub/Old.md").exists() and (linked / "other/New Name.md").exists()
    a = (linked / "A.md").read_text(encoding="utf-8")
    assert a.startswith("Links [[New Name]], [[New Name#Head|text]], ![[New Name#^blk]], "
                        "[[New Name|p]], [md](other/New%20Name.md#head)")
    assert "`[[Old]]` in code" in a and "```\n[[Old]]\n```" in a  # code is left alone
    assert (linked / "other/B.md").read_text(encoding="utf-8") == \
        "| a | [[New Name\\|t]] |\n|--|--|\n"
    moved = (linked / "other/New Name.md").read_text(encoding="utf-8")
    assert "[me](New%20Name.md)" in moved and "[x](../x.md)" in moved
    assert (linked / "Unrelated.md").read_text(encoding="utf-8") == "[[x]]\n"
    shown = json.loads(run_wiki("show", "New Name", "--json", vault=linked).stdout)
    assert sorted({b["path"] for b in shown["backlinks"]}) == ["A.md", "other/B.md"]


def test_mv_dry_run_and_refusals(linked):
    result = run_wiki("mv", "Old", "Fresh", "--dry-run", vault=linked)
    assert result.returncode == 0 and "updates 7 links in 3 files" in result.stdout
    assert (linked / "sub/Old.md").exists() and not (linked / "sub/Fresh.md").exists()
    for bad, message in (("other/B", "exists already"), ("../../out", "not a place"),
                         ("a#b", "cannot hold")):
        result = run_wiki("mv", "Old", bad, vault=linked)
        assert result.returncode == 2 and message in result.stderr and not result.stdout.strip()
    assert (linked / "x.md").read_text(encoding="utf-8") == "# x\n"


def test_rename_refuses_when_a_linking_page_changed_after_planning(linked):
    with Vault.open(linked) as vault:
        vault.refresh()
        plan = plan_rename(vault, "sub/Old.md", "Newer")
        (linked / "A.md").write_text("[[Old]] edited meanwhile\n", encoding="utf-8")
        with pytest.raises(EditConflict):
            apply_rename(vault, plan)
        assert (linked / "sub/Old.md").exists()
        assert (linked / "A.md").read_text(encoding="utf-8") == "[[Old]] edited meanwhile\n"
        with pytest.raises(RenameError):
            plan_rename(vault, "nope.md", "x")


def test_rm_goes_to_the_system_trash(linked, tmp_path):
    result = run_wiki("rm", "x", vault=linked)
    assert result.returncode == 0, result.stderr
    assert "system trash" in result.stdout and "2 pages still link to it" in result.stdout
    assert not (linked / "x.md").exists()
    trashed = list((tmp_path.parent).glob("**/Trash/files/x.md"))
    assert trashed and trashed[0].read_text(encoding="utf-8") == "# x\n"


def test_delete_to_vault_trash_and_undo(linked):
    with Vault.open(linked) as vault:
        vault.refresh()
        deleted, summary = delete_page(vault, "x.md", system_trash=False)
        assert deleted.where == ".trash/x.md" and "x.md" in summary.removed
        assert (linked / ".trash/x.md").read_text(encoding="utf-8") == "# x\n"
        assert vault.page_info("x.md") is None  # .trash is hidden: not a page
        restore(vault, deleted)
        assert (linked / "x.md").read_text(encoding="utf-8") == "# x\n"
        assert not (linked / ".trash/x.md").exists() and vault.page_info("x.md") is not None
        deleted, _ = delete_page(vault, "x.md", system_trash=False)
        (linked / "x.md").write_text("a new x\n", encoding="utf-8")
        with pytest.raises(Exception, match="exists again"):
            restore(vault, deleted)
        assert (linked / "x.md").read_text(encoding="utf-8") == "a new x\n"


def test_pages_json_lists_every_page(linked):
    result = run_wiki("pages", "--json", vault=linked)
    assert result.returncode == 0, result.stderr
    rows = {r["path"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"sub/Old.md", "A.md", "other/B.md", "x.md", "Unrelated.md"}
    assert rows["sub/Old.md"]["name"] == "Old"
    assert set(rows["x.md"]) == {"path", "name", "label", "aliases", "tags", "type"}


def test_export_html_is_a_static_site_with_relative_links(tmp_path):
    root = tmp_path / "vault"
    shutil.copytree(DATA, root)
    out = tmp_path / "site"
    result = run_wiki("export", "--html", str(out), vault=root)
    assert result.returncode == 0, result.stderr
    embeds = (out / "notes/Embeds.html").read_text(encoding="utf-8")
    for scheme in ("wiki:", "vault:", "math:", "tag:", "task:", "file:", str(root)):
        assert scheme not in embeds
    assert 'src="../assets/diagram.png"' in embeds and (out / "assets/diagram.png").exists()
    assert 'href="../assets/manual.pdf"' in embeds and (out / "assets/manual.pdf").exists()
    assert 'href="Tasks.html#%5Ecall-ada"' in embeds
    inline = (out / "notes/Inline.html").read_text(encoding="utf-8")
    for src in re.findall(r'src="(\.\./_math/[^"]+)"', inline):
        assert (out / "notes" / src).resolve().read_bytes().startswith(b"<svg")
    assert "<script" not in inline and "<style>" in inline
    result = run_wiki("export", "--html", str(tmp_path / "one"), "Tags", vault=root)
    assert result.returncode == 0 and sorted(p.name for p in (tmp_path / "one").rglob("*.html")) \
        == ["Tags.html"]
    result = run_wiki("export", "--html", str(root / "inside"), vault=root)
    assert result.returncode == 2 and "outside the vault" in result.stderr


def test_links_in_properties_are_links_and_are_renamed(write_files):
    root = write_files({
        "Topic.md": "# Topic\n",
        "Note.md": '---\nup: "[[Topic|the topic]]"\nrelated:\n- "[[Topic]]"\n---\nBody.\n',
    })
    with Vault.open(root) as vault:
        vault.refresh()
        assert [m.path for m in vault.backlinks("Topic.md")] == ["Note.md", "Note.md"]
        plan = plan_rename(vault, "Topic.md", "Subject")
        assert plan.links == 2
        apply_rename(vault, plan)
    assert (root / "Note.md").read_text(encoding="utf-8") == \
        '---\nup: "[[Subject|the topic]]"\nrelated:\n- "[[Subject]]"\n---\nBody.\n'
    result = run_wiki("lint", "--json", vault=root)
    assert json.loads(result.stdout)["broken_links"] == []
