"""Engine review: bugs a user would hit, each reproduced on a real temporary vault."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import traceback
import unicodedata

import pytest
from support import run_wiki as wiki

from wiki.vault.facade import Vault
from wiki.vault.lint import lint
from wiki.vault.lock import WriterLock


@pytest.fixture
def open_vault():
    opened: list[Vault] = []

    def do(root) -> Vault:
        v = Vault.open(root)
        v.refresh()
        opened.append(v)
        return v

    yield do
    for v in opened:
        v.close()


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


def test_lint_does_not_report_embeds_of_existing_attachments(write_files, open_vault):
    root = write_files({"A.md": "![[pic.png]] ![[assets/diagram.svg]] [[doc.pdf]] "
                                "![[sounds/clip.mp3]] [[Gone.pdf]] [[Missing]]",
                        "assets/pic.png": "png", "assets/diagram.svg": "svg",
                        "doc.pdf": "pdf", "media/sounds/clip.mp3": "mp3"})
    vault = open_vault(root)
    targets = [b["target"] for b in lint(vault).broken_links]
    assert targets == ["Gone.pdf", "Missing"]


def test_lint_reports_file_line_numbers_of_broken_links(write_files):
    root = write_files({"A.md": "---\ntitle: A\naliases: [x]\n---\n\nsee [[Missing]]\n"})
    result = wiki("lint", vault=root)
    assert result.returncode == 0, result.stderr
    assert "A.md:6 -> [[Missing]]" in result.stdout


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


def test_unlinked_mentions_match_both_unicode_forms(write_files, open_vault):
    nfd = unicodedata.normalize("NFD", "Crème Brûlée")
    nfc = unicodedata.normalize("NFC", "Crème Brûlée")
    root = write_files({f"{nfd}.md": "dessert", "A.md": f"I ate a {nfc} yesterday",
                        "B.md": f"also {nfd} here",
                        "C.md": f"---\naliases: [{nfc}]\n---\nthe alias page"})
    vault = open_vault(root)
    assert [m.path for m in vault.unlinked_mentions(f"{nfd}.md")] == ["A.md", "B.md"]
    assert [m.path for m in vault.unlinked_mentions("C.md")] == ["A.md", "B.md"]


def test_unlinked_mentions_skip_links_code_and_longer_words(write_files, open_vault):
    root = write_files({
        "Graph Theory.md": "---\naliases: [graphs]\n---\nbody",
        "A.md": "see [[Other|Graph Theory]] and [Graph Theory](Other.md)",
        "B.md": "code `Graph Theory` here\n\n```\nGraph Theory\n```\n",
        "C.md": "Graph Theoryish and SubGraph Theory",
        "D.md": "I like graphs a lot",
        "E.md": "Plain Graph Theory mention",
        "F.md": "[[Graph Theory]] is linked; Graph Theory again",
        "Other.md": "x",
    })
    vault = open_vault(root)
    assert [m.path for m in vault.unlinked_mentions("Graph Theory.md")] == ["D.md", "E.md"]


def test_lint_names_duplicates_as_spelled(write_files, open_vault):
    root = write_files({"Graph Theory.md": "[[notes/Graph Theory]]",
                        "notes/Graph Theory.md": "[[Graph Theory]]"})
    vault = open_vault(root)
    assert lint(vault).duplicate_names == [
        {"name": "Graph Theory", "paths": ["Graph Theory.md", "notes/Graph Theory.md"]}]


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_search_limit_must_be_positive(write_files, limit):
    root = write_files({"A.md": "hello world"})
    result = wiki("search", "hello", "--limit", limit, vault=root)
    assert result.returncode == 2
    assert "must be 1 or more" in result.stderr
    assert "A.md" not in result.stdout


def test_unlinked_mentions_while_rebuilding_do_not_crash(write_files, open_vault):
    root = write_files({"Alpha.md": "a", "B.md": "mentions Alpha", "C.md": "[[Alpha]]"})
    vault = open_vault(root)
    seen: list[list[str]] = []

    def progress(done: int, total: int, message: str) -> None:
        if message.startswith("reading pages"):  # the index was reset, the graph is still there
            seen.append([m.path for m in vault.unlinked_mentions("Alpha.md")])

    vault.rebuild(progress)
    assert seen == [[]]
    assert [m.path for m in vault.unlinked_mentions("Alpha.md")] == ["B.md"]


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


def test_lint_orphans_ignore_self_links_like_obsidian(write_files, open_vault):
    root = write_files({"Self.md": "see [[Self]] and [[#Top]]", "A.md": "[[B]]", "B.md": "b"})
    vault = open_vault(root)
    assert lint(vault).orphans == ["A.md", "Self.md"]
    assert vault.backlinks("Self.md") == []
