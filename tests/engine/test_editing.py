"""wiki.vault.editing: atomic saves, conflict detection, path safety, creating pages."""

from __future__ import annotations

import os
import stat

import pytest

from wiki.vault.editing import (
    EditConflict,
    EditError,
    create_page,
    new_page_path,
    read_for_edit,
    save_page,
)


def test_read_then_save_round_trip(write_files):
    root = write_files({"notes/A.md": "# A\n\nold\n"})
    text, etag = read_for_edit(root, "notes/A.md")
    assert text == "# A\n\nold\n"
    new = save_page(root, "notes/A.md", text.replace("old", "new"), etag)
    assert (root / "notes/A.md").read_text(encoding="utf-8") == "# A\n\nnew\n"
    assert new != etag and new.size == len("# A\n\nnew\n")
    # saving again with the new etag works; no temp files are left behind
    save_page(root, "notes/A.md", "third\n", new)
    assert sorted(p.name for p in (root / "notes").iterdir()) == ["A.md"]


def test_save_keeps_file_mode(write_files):
    root = write_files({"A.md": "x"})
    os.chmod(root / "A.md", 0o640)
    _text, etag = read_for_edit(root, "A.md")
    save_page(root, "A.md", "y", etag)
    assert stat.S_IMODE((root / "A.md").stat().st_mode) == 0o640


def test_conflict_when_file_changed_underneath(write_files):
    root = write_files({"A.md": "original\n"})
    _text, etag = read_for_edit(root, "A.md")
    (root / "A.md").write_text("changed by another program\n", encoding="utf-8")
    with pytest.raises(EditConflict, match="changed on disk"):
        save_page(root, "A.md", "my edit\n", etag)
    assert (root / "A.md").read_text(encoding="utf-8") == "changed by another program\n"


def test_conflict_when_file_deleted(write_files):
    root = write_files({"A.md": "original\n"})
    _text, etag = read_for_edit(root, "A.md")
    (root / "A.md").unlink()
    with pytest.raises(EditConflict, match="deleted"):
        save_page(root, "A.md", "my edit\n", etag)


def test_touch_without_content_change_is_not_a_conflict(write_files):
    root = write_files({"A.md": "same\n"})
    _text, etag = read_for_edit(root, "A.md")
    os.utime(root / "A.md", ns=(1, 1))
    save_page(root, "A.md", "edited\n", etag)
    assert (root / "A.md").read_text(encoding="utf-8") == "edited\n"


@pytest.mark.parametrize("rel", ["../outside.md", "a/../../outside.md", ".wiki/x.md",
                                 "notes/.hidden/x.md", "notes/picture.png"])
def test_refuses_paths_outside_vault_hidden_or_not_markdown(vault_dir, rel):
    with pytest.raises(EditError):
        save_page(vault_dir, rel, "x", None)
    assert not (vault_dir.parent / "outside.md").exists()
    assert list(vault_dir.rglob("*")) == []


def test_refuses_symlinked_folder_leaving_vault(vault_dir, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (vault_dir / "link").symlink_to(outside)
    with pytest.raises(EditError, match="outside the vault"):
        save_page(vault_dir, "link/x.md", "x", None)
    assert list(outside.iterdir()) == []


def test_binary_and_invalid_utf8_refused_for_editing(write_files):
    root = write_files({"bin.md": b"\x00\x01\x02", "latin.md": "caf\xe9".encode("latin-1")})
    with pytest.raises(EditError, match="binary"):
        read_for_edit(root, "bin.md")
    with pytest.raises(EditError, match="UTF-8"):
        read_for_edit(root, "latin.md")


def test_create_page_never_overwrites(write_files):
    root = write_files({"Exists.md": "keep me\n"})
    etag = create_page(root, "New Page.md", "New Page")
    assert (root / "New Page.md").read_text(encoding="utf-8") == "# New Page\n\n"
    assert etag.size == len("# New Page\n\n")
    with pytest.raises(EditError, match="exists already"):
        create_page(root, "Exists.md", "Exists")
    assert (root / "Exists.md").read_text(encoding="utf-8") == "keep me\n"


def test_create_page_in_folder(vault_dir):
    create_page(vault_dir, new_page_path("topics/Deep Learning"), "Deep Learning")
    assert (vault_dir / "topics/Deep Learning.md").read_text(encoding="utf-8").startswith("# Deep")


def test_new_page_path_is_file_system_safe():
    assert new_page_path("Plain") == "Plain.md"
    assert new_page_path("Page.md") == "Page.md"
    assert new_page_path("What: a/b? <c>") == "What - a/b c.md"
    assert new_page_path("../../etc/passwd") == "etc/passwd.md"
    assert new_page_path("  ") == "Untitled.md"
    assert new_page_path(".hidden") == "hidden.md"
