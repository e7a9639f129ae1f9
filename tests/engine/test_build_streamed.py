"""A first open or rebuild writes the pages' rows into the store as they are read, not all at the
end (wiki/vault/store_rebuild.py): readers meanwhile see the old graph whole, a build that fails
or is killed half-way leaves the old state and a store the next open rebuilds, and no half
graph is ever shown or saved."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO

from wiki.vault import first_read
from wiki.vault.facade import Vault
from wiki.vault.store import SIDE_TABLES
from wiki.vault.store_rebuild import StoreRebuild

N = 300  # notes at first; EXTRA more are written before the rebuild
EXTRA = 60
BATCH = 50  # rows written at a time, so a build has several batches


class Interrupted(Exception):
    pass


def _write_notes(root: Path, names: range, folder: str = "notes") -> None:
    (root / folder).mkdir(parents=True, exist_ok=True)
    for i in names:
        (root / folder / f"Note {i}.md").write_text(
            f"---\naliases: [N{i}]\n---\n# Note {i}\n\nSee [[Hub]] and [[Note {i + 1}]].\n",
            encoding="utf-8")
    (root / "Hub.md").write_text("# Hub\n\nEverything links here.\n", encoding="utf-8")


def _built_then_grown(root: Path) -> None:
    """A vault built once; then EXTRA notes are added that a rebuild must pick up."""
    _write_notes(root, range(N))
    with Vault.open(root) as vault:
        vault.refresh()
    _write_notes(root, range(N, N + EXTRA), folder="more")


def _tables(root: Path) -> set[str]:
    db = sqlite3.connect(root / ".wiki/state.sqlite")
    try:
        return {name for (name,) in db.execute("SELECT name FROM sqlite_master "
                                               "WHERE type='table'")}
    finally:
        db.close()


def _stored_pages(root: Path) -> set[str]:
    db = sqlite3.connect(root / ".wiki/state.sqlite")
    try:
        return {path for (path,) in db.execute("SELECT path FROM pages")}
    finally:
        db.close()


def _assert_old_graph(vault: Vault) -> None:
    assert vault.page_count() == N + 1
    assert vault.find_page("N5") == "notes/Note 5.md"
    assert vault.find_page(f"N{N + 1}") is None  # a new note: not in the old graph
    assert len(vault.backlinks("Hub.md")) == N  # asked of the store's old rows
    assert [r.path for r in vault.outgoing("notes/Note 7.md")] == ["Hub.md", "notes/Note 8.md"]


def _assert_new_graph(vault: Vault) -> None:
    assert vault.page_count() == N + EXTRA + 1
    assert vault.find_page(f"N{N + 1}") == f"more/Note {N + 1}.md"
    assert len(vault.backlinks("Hub.md")) == N + EXTRA
    # the last old note now links to the first new one
    assert {m.path for m in vault.backlinks(f"more/Note {N}.md")} == {f"notes/Note {N - 1}.md"}


def test_readers_see_the_old_graph_until_the_new_one_is_swapped_in(tmp_path, monkeypatch):
    _built_then_grown(tmp_path)
    monkeypatch.setattr(first_read, "WRITE_BATCH", BATCH)
    real_add = StoreRebuild.add
    batches: list[int] = []

    def add_and_look(self: StoreRebuild, rows) -> None:
        real_add(self, rows)
        batches.append(len(rows))
        _assert_old_graph(vault)  # half the new rows are in the store: nobody sees them

    monkeypatch.setattr(StoreRebuild, "add", add_and_look)
    with Vault.open(tmp_path) as vault:
        _assert_old_graph(vault)
        summary = vault.rebuild(search_later=True)
        assert summary.rebuilt
        assert len([n for n in batches if n]) == -(-(N + EXTRA + 1) // BATCH)
        assert max(batches) == BATCH  # written as it was read, never all at once
        _assert_new_graph(vault)
        assert not _tables(tmp_path) & set(SIDE_TABLES)
    with Vault.open(tmp_path) as again:  # and that is what the store committed
        assert not again.warnings
        again.refresh()
        _assert_new_graph(again)
        assert again.search("Note", limit=1).total == N + EXTRA


def _indexes(root: Path) -> set[tuple[str, str]]:
    db = sqlite3.connect(root / ".wiki/state.sqlite")
    try:
        return set(db.execute("SELECT name, tbl_name FROM sqlite_master WHERE type='index' "
                              "AND sql IS NOT NULL"))
    finally:
        db.close()


@pytest.mark.parametrize("failing", ["add", "swap"])
def test_a_build_that_fails_half_way_keeps_the_old_graph_and_the_next_open_rebuilds(
        tmp_path, monkeypatch, failing):
    _built_then_grown(tmp_path)
    monkeypatch.setattr(first_read, "WRITE_BATCH", BATCH)
    real = getattr(StoreRebuild, failing)
    calls: list[int] = []

    def fail_at_the_third_batch_or_the_swap(self: StoreRebuild, *args):
        calls.append(1)
        if failing == "swap" or len(calls) == 3:
            raise Interrupted  # a disk full, a bug: the side tables are half or all written
        return real(self, *args)

    monkeypatch.setattr(StoreRebuild, failing, fail_at_the_third_batch_or_the_swap)
    vault = Vault.open(tmp_path)
    with pytest.raises(Interrupted):
        vault.rebuild(search_later=True)
    _assert_old_graph(vault)  # no half graph: the old one, its links still in the store
    assert vault.store.get_meta("complete") == "0"
    assert not _tables(tmp_path) & set(SIDE_TABLES)  # the rows written so far are dropped
    assert _indexes(tmp_path) == {("link_keys_src", "link_keys")}  # as it was
    vault.close()
    monkeypatch.setattr(StoreRebuild, failing, real)

    with Vault.open(tmp_path) as again:
        assert "the last indexing run did not finish: rebuilding" in again.warnings
        assert again.refresh().rebuilt
        _assert_new_graph(again)
        assert again.search("Note", limit=1).total == N + EXTRA
    assert _indexes(tmp_path) == {("link_keys_src", "link_keys")}


KILLER = r"""
import os, sys
sys.path.insert(0, os.getcwd())
kill_at, vault = int(sys.argv[1]), sys.argv[2]
steps = [0]
def step():
    steps[0] += 1
    if steps[0] == kill_at:
        os._exit(137)  # no cleanup: only what reached the disk survives
from wiki.vault import first_read
from wiki.vault.store_rebuild import StoreRebuild
first_read.WRITE_BATCH = int(sys.argv[3])
for name in ("__init__", "add", "finish", "swap", "drop_old"):
    real = getattr(StoreRebuild, name)
    def wrapped(*a, _real=real, **kw):
        step()
        result = _real(*a, **kw)
        step()
        return result
    setattr(StoreRebuild, name, wrapped)
from wiki.vault.facade import Vault
v = Vault.open(vault)
v.rebuild(search_later=True)
print(steps[0])
v.close()
"""


def _killed_rebuild(root: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", KILLER, str(kill_at), str(root), str(BATCH * 2)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_a_rebuild_killed_at_every_step_leaves_a_store_the_next_open_puts_right(tmp_path):
    import shutil

    base = tmp_path / "base"
    _built_then_grown(base)
    probe = tmp_path / "probe"
    shutil.copytree(base, probe)
    counted = _killed_rebuild(probe, 0)  # never killed: how many steps there are
    assert counted.returncode == 0, counted.stderr
    steps = int(counted.stdout.split()[-1])
    assert steps >= 12  # side tables opened, four batches, sorting, swap, old dropped
    for kill_at in range(1, steps + 1):
        root = tmp_path / f"kill{kill_at}"
        shutil.copytree(base, root)
        result = _killed_rebuild(root, kill_at)
        assert result.returncode == 137, (kill_at, result.stderr)
        pages = _stored_pages(root)
        if kill_at < steps - 2:  # before the swap committed: the old rows, whole
            assert len(pages) == N + 1 and "Hub.md" in pages, kill_at
        else:
            assert len(pages) == N + EXTRA + 1, kill_at
        with Vault.open(root) as vault:
            vault.refresh()
            _assert_new_graph(vault)
            assert vault.search("Note", limit=1).total == N + EXTRA, kill_at
        assert not _tables(root) & set(SIDE_TABLES), kill_at
        assert _indexes(root) == {("link_keys_src", "link_keys")}, kill_at
