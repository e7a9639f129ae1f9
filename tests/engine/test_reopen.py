"""Issue 13, reopen: a reopened vault answers exactly as one read from its files, whether its
graph came from the reopen cache, from the store's rows, or from the pages themselves; a cache
of another state, or damaged, is never used; an index changed behind the store's back is still
repaired. Real temporary vaults, real SQLite store and Whoosh index."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from support import wait_until

from wiki.search.index import SearchIndex
from wiki.vault import reopen_cache
from wiki.vault.facade import Vault

FILES = {
    "index.md": "# Home\n\nStart at [[Alpha]], [[notes/Beta|the beta note]] and [[Todo]].\n",
    "Alpha.md": "---\ntitle: Alpha Page\naliases: [First, Éclair]\ntags: [greek]\n---\n"
                "Alpha links to [[Beta#Details]] and [[first]].\n",
    "notes/Beta.md": "# Beta\n\nSee [[Missing Page]], ![[Alpha]] and [[éclair]].\n",
    "projects/a/Todo.md": "Todo of a: [[deep/x/Leaf]] and [[x/Leaf]].\n",
    "projects/b/Todo.md": "Todo of b, linking [[Alpha Page]] by its title (not a name).\n",
    "deep/x/Leaf.md": "---\naliases: [Green Leaf]\n---\nA leaf. [[Todo]]\n",
    "Broken.md": "---\ntitle: [unclosed\n---\nbody [[Alpha]]\n",
}


def answers(vault: Vault) -> dict:
    """What a user sees of the vault: every page with its name, links and backlinks, and how
    names resolve."""
    pages = {}
    for info in vault.pages():
        pages[info.path] = (
            info, vault.label(info.path),
            [(r.link.target, r.path) for r in vault.outgoing(info.path)],
            sorted((m.path, m.line) for m in vault.backlinks(info.path)),
            vault.problem(info.path))
    lookups = {name: vault.find_page(name) for name in
               ("alpha", "first", "ÉCLAIR", "Green Leaf", "todo", "Alpha Page", "x/leaf")}
    resolved = {(t, s): vault.resolve(t, s) for t in ("Todo", "x/Leaf", "leaf", "First")
                for s in ("index.md", "projects/b/Todo.md")}
    return {"pages": pages, "lookups": lookups, "resolved": resolved,
            "broken": sorted((s, ln.target) for s, ln in vault.broken_links()),
            "orphans": vault.orphans()}


@pytest.fixture
def built(write_files) -> Path:
    root = write_files(FILES)
    with Vault.open(root) as vault:
        vault.refresh()
    return root


def cache_of(root: Path) -> Path:
    return root / ".wiki" / reopen_cache.FILE_NAME


def test_a_reopen_from_the_cache_answers_as_the_store_and_the_files_do(built):
    assert cache_of(built).is_file()
    with Vault.open(built) as vault:
        from_cache = answers(vault)
        assert vault.refresh().is_empty()
        assert answers(vault) == from_cache
    assert from_cache["lookups"]["first"] == "Alpha.md"
    assert from_cache["lookups"]["ÉCLAIR"] == "Alpha.md"
    assert from_cache["pages"]["projects/a/Todo.md"][1] == "Todo (projects/a)"
    assert ("index.md", 3) in from_cache["pages"]["Alpha.md"][3]
    cache_of(built).unlink()
    with Vault.open(built) as vault:  # from the store's rows
        assert answers(vault) == from_cache
    shutil.rmtree(built / ".wiki")
    with Vault.open(built) as vault:  # from the files
        vault.refresh()
        assert answers(vault) == from_cache


def test_changes_made_after_the_cache_was_saved_are_seen_on_reopen(built, tmp_path):
    """A process killed after writing (no close: the cache is of the state before) leaves a
    cache of an older generation: the next open reads the store instead."""
    old_cache = tmp_path / "old-cache.bin"
    shutil.copy(cache_of(built), old_cache)
    (built / "notes/Beta.md").write_text("# Beta\n\nNow [[projects/b/Todo]] only.\n",
                                         encoding="utf-8")
    (built / "Gamma.md").write_text("---\naliases: [First]\n---\n[[Alpha]]\n", encoding="utf-8")
    (built / "deep/x/Leaf.md").unlink()
    with Vault.open(built) as vault:
        vault.refresh()
        expected = answers(vault)
    shutil.copy(old_cache, cache_of(built))  # as if that close had never saved it
    with Vault.open(built) as vault:
        assert answers(vault) == expected
        assert vault.page_info("Gamma.md") is not None
        assert vault.page_info("deep/x/Leaf.md") is None
        assert [m.path for m in vault.backlinks("projects/b/Todo.md")] == ["notes/Beta.md"]
        assert vault.refresh().is_empty()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "flipped byte"])
def test_a_damaged_cache_is_ignored_and_saved_again(built, damage):
    with Vault.open(built) as vault:
        expected = answers(vault)
    data = cache_of(built).read_bytes()
    broken = {"garbage": os.urandom(len(data)), "truncated": data[: len(data) // 2],
              "empty": b"",
              "flipped byte": data[:-20] + bytes([data[-20] ^ 0xFF]) + data[-19:]}[damage]
    cache_of(built).write_bytes(broken)
    with Vault.open(built) as vault:
        assert answers(vault) == expected
        assert vault.warnings == []  # a cache only costs time: nothing to tell the user
        assert vault.refresh().is_empty()
    assert cache_of(built).read_bytes() != broken  # saved again
    with Vault.open(built) as vault:
        assert answers(vault) == expected


def test_links_added_while_open_are_backlinks_at_once_and_after_reopen(built):
    with Vault.open(built) as vault:
        assert vault.backlinks("Broken.md") == []
        (built / "New.md").write_text("Points at [[Broken]] and [[Green Leaf]].\n",
                                      encoding="utf-8")
        vault.update_paths(["New.md"])
        assert [m.path for m in vault.backlinks("Broken.md")] == ["New.md"]
        assert "New.md" in [m.path for m in vault.backlinks("deep/x/Leaf.md")]
        (built / "New.md").unlink()
        vault.update_paths(["New.md"])
        assert vault.backlinks("Broken.md") == []
        (built / "New.md").write_text("Again [[broken]].\n", encoding="utf-8")
        vault.update_paths(["New.md"])
        expected = answers(vault)
    with Vault.open(built) as vault:
        assert answers(vault) == expected
        assert [m.path for m in vault.backlinks("Broken.md")] == ["New.md"]


def test_a_read_only_second_process_reads_the_writers_cache_and_follows_its_writes(built):
    with Vault.open(built) as writer:
        with Vault.open(built) as reader:
            assert reader.readonly
            assert answers(reader) == answers(writer)
            (built / "Alpha.md").write_text("renamed alias: [[Todo]]\n", encoding="utf-8")
            writer.update_paths(["Alpha.md"])
            reader.refresh()
            assert answers(reader) == answers(writer)
            assert reader.find_page("first") is None


def test_an_index_changed_behind_the_stores_back_is_still_repaired(built):
    """The paths of the index are compared with the graph's only when the store did not
    record the index's current commit; a commit by anyone else is another commit."""
    index = SearchIndex(built / ".wiki" / "index")
    index.open()
    index.update([], ["Alpha.md"])  # a page lost from the index, counts now differ
    index.close()
    with Vault.open(built) as vault:
        summary = vault.refresh()
        assert any("search index repaired: 1 pages added" in w for w in summary.warnings)
        assert [h.path for h in vault.search("alpha").hits][:1] == ["Alpha.md"]
        assert vault.refresh().is_empty()  # in step again, recorded


def test_a_ghost_and_a_lost_page_that_cancel_out_are_still_repaired(built):
    from wiki.markup.pages import read_page

    ghost_root = built.parent / "elsewhere"
    ghost_root.mkdir()
    (ghost_root / "Ghost.md").write_text("a ghost page\n", encoding="utf-8")
    index = SearchIndex(built / ".wiki" / "index")
    index.open()
    index.update([read_page(ghost_root, "Ghost.md")], ["Alpha.md"])  # same count as before
    index.close()
    with Vault.open(built) as vault:
        summary = vault.refresh()
        assert any("1 pages added, 1 removed" in w for w in summary.warnings)
        assert vault.search("ghost").hits == []


@pytest.mark.parametrize("cache", ["kept", "lost"])
def test_damage_inside_the_store_is_found_beside_the_scan_and_rebuilt(write_files, cache):
    """``PRAGMA quick_check`` runs on a thread of its own while refresh scans the files; a
    damaged page of the database is found before anything is written to it (or, without a
    reopen cache, by reading the rows on open)."""
    root = write_files({f"n{i}.md": f"note {i} links [[n{(i + 1) % 300}]] " + "word " * 200
                        for i in range(300)})
    with Vault.open(root) as vault:
        vault.refresh()
        expected = answers(vault)
    state = root / ".wiki" / "state.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{state}{suffix}").unlink(missing_ok=True)
    data = bytearray(state.read_bytes())
    page = 4096
    assert len(data) > 20 * page
    for at in range(len(data) // 2, len(data) // 2 + 4 * page, 7):  # pages mid-file
        data[at] = (data[at] + 101) % 256
    state.write_bytes(bytes(data))
    if cache == "lost":
        cache_of(root).unlink()
    with Vault.open(root) as vault:
        summary = vault.refresh()
        told = vault.warnings + summary.warnings
        assert any("damaged" in w and "rebuil" in w for w in told), told
        assert answers(vault) == expected
        assert [h.path for h in vault.search("note 17").hits][:1] == ["n17.md"]
    with Vault.open(root) as vault:
        assert answers(vault) == expected
        assert vault.refresh().is_empty()


def _as_version_7(state: Path) -> None:
    """The store as Commonplace wrote it before link keys had their own table: a ``keys``
    column of ``pages`` (joined by U+001F), schema 7."""
    db = sqlite3.connect(state)
    db.execute("ALTER TABLE pages ADD COLUMN keys TEXT NOT NULL DEFAULT ''")
    for src, keys in db.execute("SELECT src, group_concat(key, char(31)) FROM link_keys "
                                "GROUP BY src").fetchall():
        db.execute("UPDATE pages SET keys=? WHERE path=?", (keys, src))
    db.execute("DROP TABLE link_keys")
    db.execute("UPDATE meta SET value='7' WHERE key='schema'")
    db.execute("DELETE FROM meta WHERE key IN ('generation', 'index_generation')")
    db.commit()
    db.close()


def test_a_store_of_the_version_before_is_migrated_not_rebuilt(built):
    with Vault.open(built) as vault:
        expected = answers(vault)
    cache_of(built).unlink()
    _as_version_7(built / ".wiki" / "state.sqlite")
    with Vault.open(built) as vault:
        assert vault.warnings == []  # nothing "damaged or outdated", no rebuild
        assert answers(vault) == expected  # backlinks come from the migrated keys
        summary = vault.refresh()
        assert not summary.rebuilt and summary.is_empty()
    db = sqlite3.connect(built / ".wiki" / "state.sqlite")
    assert db.execute("SELECT value FROM meta WHERE key='schema'").fetchone() == ("8",)
    db.close()
    with Vault.open(built) as vault:
        assert answers(vault) == expected


def test_damage_that_keeps_a_files_size_and_time_is_found_after_open(write_files):
    """On open only the index files whose size or time moved are summed before use (the
    others took 0.3 s at 100k); the rest are summed beside the caller's work, and damage found
    there is handled as a search finding it: said, and rebuilt from the pages."""
    root = write_files({f"n{i}.md": f"# Note {i}\n\nword{i} common text\n" for i in range(150)})
    with Vault.open(root) as vault:
        vault.refresh()
    seg = max((root / ".wiki/index").glob("*.seg"), key=lambda p: p.stat().st_size)
    before = seg.stat()
    with open(seg, "r+b") as fh:  # a disk fault: other bytes, same size, same time
        fh.seek(before.st_size // 2)
        fh.write(bytes(range(256)) * 2)
    os.utime(seg, ns=(before.st_atime_ns, before.st_mtime_ns))
    with Vault.open(root) as vault:
        assert vault.warnings == []  # not summed before the vault was usable
        assert wait_until(lambda: "being rebuilt" in (vault.search("word3").error or ""), 30)
        summary = vault.refresh()  # the next write rebuilds it
        assert summary.rebuilt
        assert vault.search("common", limit=200).total == 150
        assert [h.path for h in vault.search("word42").hits] == ["n42.md"]


def test_a_batch_of_many_keys_is_stored_as_a_small_one(built, monkeypatch):
    """A first open's batch (past ``BIG_BATCH`` keys) goes through a table sorted by SQLite,
    and so does a migration: the graph answers the same, and later edits keep it right."""
    from wiki.vault import store

    with Vault.open(built) as vault:
        expected = answers(vault)
    monkeypatch.setattr(store, "BIG_BATCH", 1)
    shutil.rmtree(built / ".wiki")
    with Vault.open(built) as vault:
        vault.refresh()
        assert answers(vault) == expected
        (built / "New.md").write_text("[[Broken]] [[green leaf]]\n", encoding="utf-8")
        vault.update_paths(["New.md"])
        assert [m.path for m in vault.backlinks("Broken.md")] == ["New.md"]
        changed = answers(vault)
    _as_version_7(built / ".wiki" / "state.sqlite")
    cache_of(built).unlink()
    with Vault.open(built) as vault:
        assert vault.warnings == []
        assert answers(vault) == changed
        (built / "New.md").unlink()
        vault.update_paths(["New.md"])
        assert vault.backlinks("Broken.md") == []


def test_the_cache_is_saved_again_once_edits_settle_not_only_on_close(built, monkeypatch):
    """A process opening the vault while the writer keeps it open (the CLI or an MCP server
    beside the app) reads the cache, not every row, after the writer's edits."""
    from wiki.vault import facade

    monkeypatch.setattr(facade, "CACHE_SAVE_DELAY", 0.2)
    with Vault.open(built) as writer:
        writer.refresh()
        (built / "Gamma.md").write_text("# Gamma\n\n[[Alpha]]\n", encoding="utf-8")
        writer.update_paths(["Gamma.md"])
        assert reopen_cache.load(cache_of(built), writer.store.generation()) is None  # not yet
        assert wait_until(lambda: reopen_cache.load(cache_of(built), writer.store.generation())
                          is not None, timeout=10)
        loads = []
        real = Vault._load_rows
        monkeypatch.setattr(Vault, "_load_rows", lambda self: loads.append(1) or real(self))
        with Vault.open(built) as reader:
            assert reader.readonly and not loads  # from the cache
            assert answers(reader) == answers(writer)
            assert "Gamma.md" in {m.path for m in reader.backlinks("Alpha.md")}


def test_a_first_open_saves_the_cache_after_the_search_fill_not_before_it_is_navigable(
        write_files):
    """Saving the cache of a 100,000-note graph takes ~0.5 s: not on the way to a navigable
    window. Once the fill is done it is saved, and the next open uses it."""
    root = write_files(FILES)
    with Vault.open(root) as vault:
        vault.refresh(search_later=True)
        assert vault.page_count() == len(FILES) and not cache_of(root).exists()
        assert vault.fill_search_index() is True
        assert cache_of(root).is_file()
        expected = answers(vault)
    saved = cache_of(root).stat().st_mtime_ns
    with Vault.open(root) as vault:
        assert answers(vault) == expected
        assert vault.refresh().is_empty()
    assert cache_of(root).stat().st_mtime_ns == saved  # used as it was, not saved again
