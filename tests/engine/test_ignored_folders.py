"""Folders the vault ignores (``.wiki/settings.json``): not listed, linked, indexed or
catalogued; a live watcher leaves them alone; bad input is refused with a message."""

from __future__ import annotations

import json
import time

import pytest
from support import wait_until

from wiki.core import vault_settings
from wiki.core.model import ChangeSummary
from wiki.core.worker import Worker
from wiki.vault.facade import Vault, VaultError
from wiki.watch.watcher import VaultWatcher

FILES = {
    "Home.md": "# Home\n\nSee [[Draft idea]] and [[Kept]].\n",
    "Kept.md": "# Kept\n\nThe platypus stays.\n",
    "templates/Draft idea.md": "# Draft idea\n\nA template about the wombat. [[Kept]]\n",
    "templates/deep/Inner.md": "Inner wombat page.\n",
    "Archive/Old.md": "Old quokka note.\n",
}


def paths(vault: Vault) -> set[str]:
    return {p.path for p in vault.pages()}


def found(vault: Vault, word: str) -> set[str]:
    return {h.path for h in vault.search(word, limit=100).hits}


def test_ignored_folder_is_not_listed_linked_or_indexed(write_files, open_vault):
    root = write_files(FILES)
    vault = open_vault(root)
    assert "templates/Draft idea.md" in paths(vault)
    assert found(vault, "wombat") == {"templates/Draft idea.md", "templates/deep/Inner.md"}

    summary = vault.set_ignored_folders(["templates/", "archive"])  # as typed, any case
    assert set(summary.removed) >= {"templates/Draft idea.md", "templates/deep/Inner.md",
                                    "Archive/Old.md"}
    assert paths(vault) == {"Home.md", "Kept.md"}
    assert found(vault, "wombat") == set() and found(vault, "quokka") == set()
    links = {r.link.target: r.path for r in vault.outgoing("Home.md")}
    assert links["Draft idea"] is None  # a link into an ignored folder is missing now
    assert [m.path for m in vault.backlinks("Kept.md")] == ["Home.md"]
    assert vault.ignored_folders() == ("archive", "templates")  # as typed, cleaned
    saved = json.loads((root / ".wiki/settings.json").read_text(encoding="utf-8"))
    assert saved["ignored_folders"] == ["archive", "templates"]
    assert (root / "templates/Draft idea.md").exists()  # nothing on disk is touched


def test_setting_is_remembered_and_survives_a_rebuild(write_files, open_vault):
    root = write_files(FILES)
    vault = open_vault(root)
    vault.set_ignored_folders(["templates"])
    vault.close()
    again = open_vault(root)
    assert again.ignored_folders() == ("templates",)
    assert "templates/Draft idea.md" not in paths(again)
    again.rebuild()
    assert "templates/Draft idea.md" not in paths(again)
    assert found(again, "wombat") == set()
    assert found(again, "platypus") == {"Kept.md"}


def test_unignoring_brings_the_pages_back(write_files, open_vault):
    root = write_files(FILES)
    vault = open_vault(root)
    vault.set_ignored_folders(["templates"])
    summary = vault.set_ignored_folders([])
    assert "templates/Draft idea.md" in summary.pages_changed
    assert found(vault, "wombat") == {"templates/Draft idea.md", "templates/deep/Inner.md"}
    assert vault.resolve("Draft idea", "Home.md") == "templates/Draft idea.md"


def test_update_paths_inside_an_ignored_folder_changes_nothing(write_files, open_vault):
    root = write_files(FILES)
    vault = open_vault(root)
    vault.set_ignored_folders(["templates"])
    (root / "templates/New.md").write_text("A fresh numbat.\n", encoding="utf-8")
    summary = vault.update_paths(["templates/New.md", "templates/Draft idea.md"])
    assert summary.is_empty()
    assert found(vault, "numbat") == set()


@pytest.mark.parametrize("typed, why", [
    ("../outside", "not a folder inside the vault"),
    ("/etc", "not a folder inside the vault"),
    ("notes/..", "not a folder inside the vault"),
    (".obsidian", "hidden folders are always ignored"),
    ("raw/old", "raw articles"),
])
def test_bad_folders_are_refused_with_a_message(write_files, open_vault, typed, why):
    root = write_files(FILES)
    vault = open_vault(root)
    vault.set_ignored_folders(["templates"])
    with pytest.raises(VaultError, match=why.split()[0]) as err:
        vault.set_ignored_folders(["Archive", typed])
    assert why in str(err.value)
    assert vault.ignored_folders() == ("templates",)  # the old setting stays, on disk too
    assert vault_settings.load(root).ignored_folders == ("templates",)


def test_a_damaged_settings_file_opens_with_a_warning(write_files, open_vault):
    root = write_files(FILES)
    (root / ".wiki").mkdir()
    (root / ".wiki/settings.json").write_text("{not json", encoding="utf-8")
    vault = open_vault(root)
    assert "templates/Draft idea.md" in paths(vault)
    assert any("settings.json was not understood" in w for w in vault.warnings)
    (root / ".wiki/settings.json").write_text('{"ignored_folders": "templates"}',
                                              encoding="utf-8")
    assert vault_settings.load(root).problem is not None
    vault.set_ignored_folders(["templates"])  # saving over a damaged file repairs it
    assert vault_settings.load(root).ignored_folders == ("templates",)


def test_nested_and_duplicate_folders_are_folded():
    assert vault_settings.clean_folders(["a/b", "A", "a\\c", "x/./y/", "x/y", "  "]) \
        == ("A", "x/y")  # blank lines of the settings box are dropped


def test_index_page_does_not_list_pages_in_ignored_folders(tmp_path, seeds_dir):
    from wiki.compile.build import build_from

    root = tmp_path / "v"
    (root / "templates").mkdir(parents=True)
    (root / "templates/Meeting.md").write_text("# Meeting\n\nA template.\n", encoding="utf-8")
    (root / "Mine.md").write_text("# Mine\n\nMy own note.\n", encoding="utf-8")
    vault_settings.save(root, vault_settings.VaultSettings(("templates",)))
    build_from(root, seeds_dir)
    index = (root / "index.md").read_text(encoding="utf-8")
    assert "Mine" in index
    assert "Meeting" not in index


def test_the_watcher_leaves_ignored_folders_alone(write_files):
    root = write_files(FILES)
    vault = Vault.open(root)
    worker = Worker()
    summaries: list[ChangeSummary] = []
    watcher = VaultWatcher(vault, worker, on_change=summaries.append, quiet=0.1, ceiling=1.0)
    try:
        assert watcher.start() is not None
        worker.submit(vault.set_ignored_folders, ["templates"]).result(timeout=30)
        (root / "templates/Watched.md").write_text("A watched echidna.\n", encoding="utf-8")
        (root / "Visible.md").write_text("A visible echidna.\n", encoding="utf-8")
        assert wait_until(lambda: found(vault, "echidna") == {"Visible.md"})
        time.sleep(0.5)
        assert worker.wait_idle(30)
        assert found(vault, "echidna") == {"Visible.md"}
        assert "templates/Watched.md" not in paths(vault)
    finally:
        watcher.stop()
        worker.close()
        vault.close()
