"""The Vault facade on real temporary vaults with a real on-disk index."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import traceback
from pathlib import Path

import pytest
from support import run_wiki as wiki

from wiki.vault.facade import Vault, VaultError
from wiki.vault.lint import lint
from wiki.vault.lock import WriterLock


@pytest.fixture
def linked_vault(write_files) -> Path:
    return write_files({
        "index.md": "# Home\n\nStart at [[Alpha]] and [[notes/Beta|the beta note]].\n",
        "Alpha.md": "---\ntitle: Alpha Page\naliases: [First]\ntags: [greek]\n---\n"
                    "Alpha links to [[Beta#Details]].\n\nGamma is mentioned here without a link.\n",
        "notes/Beta.md": "# Beta\n\nSee [[Missing Page]] and ![[Alpha]].\n\n## Details\ntext\n",
        "notes/Gamma.md": "# Gamma\n\nA page nobody links to. It talks about reinforcement "
                          "learning.\n",
    })


@pytest.fixture
def vault(linked_vault: Path):
    v = Vault.open(linked_vault)
    v.refresh()
    yield v
    v.close()


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".wiki"]
        for name in filenames:
            p = Path(dirpath, name)
            st = p.stat()
            out[p.relative_to(root).as_posix()] = (st.st_mtime_ns, st.st_size)
    return out


def test_missing_vault_is_a_clear_error(tmp_path):
    with pytest.raises(VaultError, match="does not exist"):
        Vault.open(tmp_path / "nope")


def test_file_as_vault_is_a_clear_error(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(VaultError, match="not a folder"):
        Vault.open(f)


def test_pages_titles_and_metadata(vault):
    infos = {i.path: i for i in vault.pages()}
    assert sorted(infos) == ["Alpha.md", "index.md", "notes/Beta.md", "notes/Gamma.md"]
    assert infos["Alpha.md"].title == "Alpha Page"
    assert infos["Alpha.md"].aliases == ("First",)
    assert "greek" in infos["Alpha.md"].tags
    assert infos["notes/Beta.md"].title == "Beta"


def test_backlinks_with_context(vault):
    back = {m.path: m for m in vault.backlinks("notes/Beta.md")}
    assert set(back) == {"index.md", "Alpha.md"}
    assert "Alpha links to" in back["Alpha.md"].context
    assert back["Alpha.md"].title == "Alpha Page"
    # The embed counts as a backlink of Alpha.
    assert "notes/Beta.md" in {m.path for m in vault.backlinks("Alpha.md")}


def test_outgoing_links_keep_missing_targets(vault):
    out = {r.link.target: r.path for r in vault.outgoing("notes/Beta.md")}
    assert out == {"Missing Page": None, "Alpha": "Alpha.md"}


def test_unlinked_mentions(vault):
    mentions = vault.unlinked_mentions("notes/Gamma.md")
    assert [m.path for m in mentions] == ["Alpha.md"]
    assert "Gamma is mentioned here" in mentions[0].context


def test_find_page_by_name_alias_and_path(vault):
    assert vault.find_page("first") == "Alpha.md"
    assert vault.find_page("beta") == "notes/Beta.md"
    assert vault.find_page("notes/Gamma.md") == "notes/Gamma.md"
    assert vault.find_page("nothing here") is None


def test_search_finds_pages(vault):
    results = vault.search("reinforcement")
    assert [h.path for h in results.hits] == ["notes/Gamma.md"]


def test_reopen_reads_nothing_when_unchanged(linked_vault, vault, monkeypatch):
    vault.close()
    reads: list[str] = []
    again = Vault.open(linked_vault)
    original = again._read
    monkeypatch.setattr(again, "_read", lambda rel: reads.append(rel) or original(rel))
    summary = again.refresh()
    assert summary.is_empty()
    assert reads == []
    assert {m.path for m in again.backlinks("notes/Beta.md")} == {"index.md", "Alpha.md"}
    again.close()


def test_incremental_edit_add_delete(linked_vault, vault):
    (linked_vault / "Missing Page.md").write_text("# Missing Page\nnow it exists\n")
    summary = vault.update_paths(["Missing Page.md"])
    assert summary.added == {"Missing Page.md"}
    assert "notes/Beta.md" in summary.links_changed  # its link now resolves
    assert {r.path for r in vault.outgoing("notes/Beta.md")} == {"Missing Page.md", "Alpha.md"}

    (linked_vault / "Alpha.md").write_text("# Alpha Page\nno links any more, a zebra\n")
    summary = vault.update_paths(["Alpha.md"])
    assert summary.modified == {"Alpha.md"}
    assert "notes/Beta.md" in summary.links_changed
    assert {m.path for m in vault.backlinks("notes/Beta.md")} == {"index.md"}
    assert [h.path for h in vault.search("zebra").hits] == ["Alpha.md"]

    (linked_vault / "notes/Beta.md").unlink()
    summary = vault.update_paths(["notes/Beta.md"])
    assert summary.removed == {"notes/Beta.md"}
    assert vault.search("Details").hits == [] or all(
        h.path != "notes/Beta.md" for h in vault.search("Details").hits)
    assert {r.path for r in vault.outgoing("index.md")} == {"Alpha.md", None}


def test_unchanged_update_costs_nothing(vault):
    assert vault.update_paths(["Alpha.md", "index.md"]).is_empty()


def test_refresh_picks_up_changes_made_while_closed(linked_vault, vault):
    vault.close()
    (linked_vault / "new.md").write_text("# New\n[[Alpha]]\n")
    (linked_vault / "notes/Gamma.md").unlink()
    again = Vault.open(linked_vault)
    summary = again.refresh()
    assert summary.added == {"new.md"}
    assert summary.removed == {"notes/Gamma.md"}
    assert "new.md" in {m.path for m in again.backlinks("Alpha.md")}
    again.close()


def test_raw_and_hidden_folders_are_not_pages(write_files):
    root = write_files({"raw/article.md": "# Raw\n", ".obsidian/x.md": "# Hidden\n",
                        "page.md": "# Page\n"})
    with Vault.open(root) as v:
        v.refresh()
        assert [i.path for i in v.pages()] == ["page.md"]


def test_engine_never_writes_outside_state_dir(linked_vault):
    before = snapshot(linked_vault)
    with Vault.open(linked_vault) as v:
        v.refresh()
        v.rebuild()
        v.search("alpha")
        v.unlinked_mentions("notes/Gamma.md")
    assert snapshot(linked_vault) == before


def test_deleting_state_dir_loses_nothing(linked_vault, vault):
    vault.close()
    import shutil

    shutil.rmtree(linked_vault / ".wiki")
    with Vault.open(linked_vault) as again:
        again.refresh()
        assert len(again.pages()) == 4
        assert {m.path for m in again.backlinks("notes/Beta.md")} == {"index.md", "Alpha.md"}


def test_corrupt_state_file_is_rebuilt(linked_vault, vault):
    vault.close()
    state = linked_vault / ".wiki" / "state.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{state}{suffix}").unlink(missing_ok=True)
    state.write_bytes(b"this is not a database" * 100)
    with Vault.open(linked_vault) as again:
        again.refresh()
        assert len(again.pages()) == 4
        assert again.search("reinforcement").hits


def test_interrupted_run_is_rebuilt(linked_vault, vault):
    vault.store.set_meta("complete", "0")  # as if killed in the middle of a write
    vault.close()
    with Vault.open(linked_vault) as again:
        assert any("did not finish" in w for w in again.warnings)
        summary = again.refresh()
        assert summary.rebuilt
        assert len(again.pages()) == 4


def test_second_process_opens_read_only(linked_vault, vault):
    with Vault.open(linked_vault) as other:
        assert other.readonly
        assert any("read-only" in w for w in other.warnings)
        assert len(other.pages()) == 4
        assert other.search("reinforcement").hits
        assert other.update_paths(["Alpha.md"]).is_empty()
    state = sqlite3.connect(linked_vault / ".wiki" / "state.sqlite")
    assert state.execute("SELECT count(*) FROM pages").fetchone()[0] == 4


def test_subscribers_get_change_summaries(linked_vault, vault):
    seen = []
    unsubscribe = vault.subscribe(seen.append)
    (linked_vault / "c.md").write_text("# C\n")
    vault.update_paths(["c.md"])
    unsubscribe()
    (linked_vault / "d.md").write_text("# D\n")
    vault.update_paths(["d.md"])
    assert [s.added for s in seen] == [{"c.md"}]


def test_paths_outside_the_vault_are_ignored(vault):
    assert vault.update_paths(["../../etc/passwd.md", "/etc/passwd"]).is_empty()
    with pytest.raises(VaultError):
        vault.read_page("../outside.md")


def test_engine_has_no_qt_import():
    engine = Path(__file__).resolve().parents[2] / "wiki"
    offenders = [p.name for p in engine.rglob("*.py")
                 if "PySide6" in p.read_text(encoding="utf-8") or "PyQt" in p.read_text()]
    assert offenders == []


def test_duplicate_removed_links_changed_names_the_page_that_inherits_backlinks(
        write_files, open_vault):
    root = write_files({"X.md": "top", "sub/X.md": "deep", "A.md": "see [[X]]"})
    vault = open_vault(root)
    assert [m.path for m in vault.backlinks("X.md")] == ["A.md"]
    assert vault.backlinks("sub/X.md") == []

    os.remove(root / "X.md")
    summary = vault.update_paths(["X.md"])
    assert [m.path for m in vault.backlinks("sub/X.md")] == ["A.md"]
    assert "sub/X.md" in summary.links_changed  # its backlinks panel must refresh

    (root / "X.md").write_text("back", encoding="utf-8")
    summary = vault.update_paths(["X.md"])
    assert vault.backlinks("sub/X.md") == []
    assert "sub/X.md" in summary.links_changed  # it lost A.md's backlink


def test_alias_moved_to_another_page_names_the_page_that_loses_it(write_files, open_vault):
    root = write_files({"P.md": "---\naliases: [One]\n---\nx", "Q.md": "q",
                        "A.md": "[[One]]"})
    vault = open_vault(root)
    assert [m.path for m in vault.backlinks("P.md")] == ["A.md"]
    (root / "P.md").write_text("---\naliases: []\n---\nx y", encoding="utf-8")
    (root / "Q.md").write_text("---\naliases: [One]\n---\nq", encoding="utf-8")
    summary = vault.update_paths(["P.md", "Q.md"])
    assert vault.backlinks("P.md") == []
    assert [m.path for m in vault.backlinks("Q.md")] == ["A.md"]
    assert {"A.md", "P.md", "Q.md"} <= summary.links_changed


def test_rebuild_keeps_pages_visible_to_readers_while_reading_files(write_files, open_vault):
    root = write_files({f"P{i}.md": f"[[P{i + 1}]]" for i in range(5)})
    vault = open_vault(root)
    seen: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        if message.startswith("reading pages"):
            seen.append(len(vault.pages()))

    vault.rebuild(progress)
    assert seen and all(n == 5 for n in seen), seen


def test_rename_is_atomic_for_reader_threads(write_files, open_vault):
    """A reader must never see the renamed page neither under its old nor its new name."""
    root = write_files({"Old.md": "---\naliases: [Oldie]\n---\nhello", "A.md": "[[Oldie]]"})
    vault = open_vault(root)
    os.rename(root / "Old.md", root / "New.md")
    graph = vault.graph
    original = graph.set_page
    seen: list[str | None] = []

    def reader() -> None:
        seen.append(vault.find_page("Oldie"))

    def set_page(info, links):
        t = threading.Thread(target=reader)
        t.start()
        t.join(0.3)  # blocks on the graph lock if the update is atomic
        result = original(info, links)
        threads.append(t)
        return result

    threads: list[threading.Thread] = []
    graph.set_page = set_page
    try:
        vault.update_paths(["Old.md", "New.md"])
    finally:
        del graph.set_page
    for t in threads:
        t.join(5)
    assert seen == ["New.md"]


def test_reader_threads_during_renames_do_not_crash(write_files, open_vault):
    n = 30
    root = write_files({f"P{i}.md": f"---\naliases: [al{i}]\n---\n[[P{(i + 1) % n}]] "
                                     f"[[al{(i + 2) % n}]] mentions P{(i + 3) % n}\n"
                        for i in range(n)})
    vault = open_vault(root)
    errors: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                for i in range(0, n, 7):
                    p = f"P{i}.md"
                    vault.backlinks(p)
                    vault.outgoing(p)
                    vault.pages()
                    vault.search(f"P{i}")
                    vault.unlinked_mentions(p)
                    lint(vault)
            except Exception:  # noqa: BLE001 - collected and reported by the test
                errors.append(traceback.format_exc())
                return

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    readers = [threading.Thread(target=read) for _ in range(2)]
    try:
        for t in readers:
            t.start()
        for rnd in range(12):
            paths = []
            for i in range(rnd % 3, n, 3):
                a, b = root / f"P{i}.md", root / f"Q{i}.md"
                src, dst = (a, b) if a.exists() else (b, a)
                src.rename(dst)
                paths += [f"P{i}.md", f"Q{i}.md"]
            vault.update_paths(paths)
    finally:
        stop.set()
        for t in readers:
            t.join(30)
        sys.setswitchinterval(old)
    assert not errors, errors[0]
    total = sum(len(vault.backlinks(p.path)) for p in vault.pages())
    assert total == len([r for p in vault.pages() for r in vault.outgoing(p.path) if r.path])


def test_update_paths_ignores_a_folder_named_like_a_page(write_files, open_vault):
    root = write_files({"A.md": "a"})
    vault = open_vault(root)
    (root / "Folder.md").mkdir()
    vault.update_paths(["Folder.md"])
    assert vault.page_info("Folder.md") is None
    assert [p.path for p in vault.pages()] == ["A.md"]


def test_update_paths_ignores_a_symlink_leading_outside(write_files, open_vault, tmp_path):
    root = write_files({"A.md": "a"})
    outside = tmp_path / "secret.md"
    outside.write_text("outside", encoding="utf-8")
    vault = open_vault(root)
    (root / "Link.md").symlink_to(outside)
    vault.update_paths(["Link.md"])
    assert vault.page_info("Link.md") is None
    vault.refresh()
    assert [p.path for p in vault.pages()] == ["A.md"]


def test_readonly_open_beside_a_writer_of_another_schema_version(write_files):
    """`wiki show` beside an older app that holds the lock: no traceback, the page is found."""
    root = write_files({"A.md": "hello [[B]]", "B.md": "b"})
    (root / ".wiki").mkdir()
    db = sqlite3.connect(root / ".wiki" / "state.sqlite")
    db.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                     "INSERT INTO meta VALUES ('schema', '4'), ('complete', '1');"
                     "CREATE TABLE pages (path TEXT PRIMARY KEY, title TEXT);"
                     "INSERT INTO pages VALUES ('A.md', 'A');")
    db.commit()
    db.close()
    lock = WriterLock(root / ".wiki" / "write.lock")
    assert lock.acquire()
    try:
        result = wiki("show", "B", "--json", vault=root)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert [m["path"] for m in json.loads(result.stdout)["backlinks"]] == ["A.md"]
        with Vault.open(root) as vault:
            assert vault.readonly
            vault.refresh()
            assert [p.path for p in vault.pages()] == ["A.md", "B.md"]
            assert len([w for w in vault.warnings if "cache" in w]) == 1
    finally:
        lock.release()


def test_readonly_open_while_the_writer_builds_for_the_first_time(write_files):
    """The writer has created an empty state and is still reading pages: `wiki show` works."""
    root = write_files({"A.md": "hello [[B]]", "B.md": "b"})
    with Vault.open(root) as writer:  # creates the state, builds nothing yet
        writer.store.set_meta("complete", "0")
        result = wiki("show", "B", "--json", vault=root)
        assert result.returncode == 0, result.stderr
        assert [m["path"] for m in json.loads(result.stdout)["backlinks"]] == ["A.md"]


def test_case_only_rename_on_a_case_insensitive_disk_leaves_no_ghost(write_files, open_vault):
    root = write_files({"foo.md": "x", "A.md": "[[foo]]"})
    vault = open_vault(root)
    os.rename(root / "foo.md", root / "Foo.md")
    real_stat = vault._page_stat

    def insensitive_stat(rel: str):  # what macOS answers: any case finds the file
        if rel == "foo.md":
            rel = "Foo.md"
        return real_stat(rel)

    vault._page_stat = insensitive_stat
    summary = vault.update_paths(["foo.md", "Foo.md"])
    assert [p.path for p in vault.pages()] == ["A.md", "Foo.md"]
    assert summary.removed == {"foo.md"} and summary.added == {"Foo.md"}
    assert [m.path for m in vault.backlinks("Foo.md")] == ["A.md"]
    assert lint(vault).duplicate_names == []

