"""VaultWatcher with a real observer on real files: no synthesized file events."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support import wait_until

from wiki.core.model import ChangeSummary
from wiki.core.worker import Worker
from wiki.vault.facade import Vault
from wiki.watch.events import classify
from wiki.watch.watcher import VaultWatcher


class CopyCompiler:
    """Stands in for wiki.compile: raw/x.txt -> sources/x.md holding the raw text."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.calls: list[list[str]] = []
        self.lock = threading.Lock()

    def __call__(self, paths: list[Path] | None) -> object:
        if paths is None:  # everything: what is in raw/ now, and what was compiled before
            raw = self.root / "raw"
            now = {p for p in raw.rglob("*") if p.is_file()} if raw.is_dir() else set()
            paths = sorted(now | {self.root / rel for rel in self.compiled()})
        rels = [p.relative_to(self.root).as_posix() for p in paths]
        with self.lock:
            self.calls.append(rels)
        written, sources = [], {}
        for path, rel in zip(paths, rels, strict=True):
            target = self.root / "sources" / (path.stem + ".md")
            if not path.exists():  # the raw file was deleted: drop its page
                target.unlink(missing_ok=True)
                written.append(f"sources/{path.stem}.md")
                continue
            text = f"# {path.stem}\n\n{path.read_text(encoding='utf-8')}\n"
            if target.exists() and target.read_text(encoding="utf-8") == text:
                continue  # like the real compiler: the same input changes no file
            target.parent.mkdir(exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(f"sources/{path.stem}.md")
            sources[rel] = [f"sources/{path.stem}.md"]

        @dataclass
        class Report:
            written: list[str]
            source_pages: dict[str, list[str]]
            errors: list[tuple[str, str]] = field(default_factory=list)

        return Report(written, sources)

    def compiled(self) -> list[str]:
        with self.lock:
            return [rel for call in self.calls for rel in call]


class Harness:
    def __init__(self, root: Path, **options: object) -> None:
        self.root = root
        self.summaries: list[ChangeSummary] = []
        self.messages: list[str] = []
        self.compiler = CopyCompiler(root)
        self.vault = Vault.open(root, create=True)
        self.worker = Worker()
        options.setdefault("compile_raw", self.compiler)
        self.watcher = VaultWatcher(self.vault, self.worker, on_change=self.summaries.append,
                                    on_message=self.messages.append, quiet=0.1, ceiling=1.0,
                                    **options)

    def start(self) -> Harness:
        future = self.watcher.start()
        assert future is not None
        future.result(timeout=30)
        return self

    def close(self) -> None:
        self.watcher.stop()
        self.worker.close()
        self.vault.close()

    def found(self, word: str) -> set[str]:
        return {hit.path for hit in self.vault.search(word, limit=1000).hits}

    def paths(self) -> set[str]:
        return {info.path for info in self.vault.pages()}

    def removed(self) -> set[str]:
        return {p for s in self.summaries for p in s.removed}

    def settle(self) -> None:
        """Let pending events through (quiet window) and the worker finish."""
        time.sleep(0.5)
        assert self.worker.wait_idle(30)


@pytest.fixture
def harness(vault_dir: Path) -> Iterator[Harness]:
    (vault_dir / "notes").mkdir()
    (vault_dir / "notes/a.md").write_text("# Alpha\n\nThe aardvark page.\n", encoding="utf-8")
    (vault_dir / "notes/c.md").write_text("# Gamma\n\nSee [[a]] for more.\n", encoding="utf-8")
    (vault_dir / "raw").mkdir()  # as in a real vault: raw/ is there, and watched
    h = Harness(vault_dir).start()
    yield h
    h.close()


def test_start_indexes_what_is_there(harness: Harness):
    assert harness.paths() == {"notes/a.md", "notes/c.md"}
    assert harness.found("aardvark") == {"notes/a.md"}
    assert not harness.watcher.polling


def test_create_and_modify(harness: Harness):
    new = harness.root / "notes/new.md"
    new.write_text("# New\n\nA zebra walked in.\n", encoding="utf-8")
    assert wait_until(lambda: harness.found("zebra") == {"notes/new.md"})
    new.write_text("# New\n\nNow an okapi.\n", encoding="utf-8")
    assert wait_until(lambda: harness.found("okapi") == {"notes/new.md"})
    assert harness.found("zebra") == set()


def test_atomic_save_never_loses_the_page(harness: Harness):
    note = harness.root / "notes/a.md"
    for n, tmp_name in enumerate([".a.md.swp", "a.md.tmp", "4913", ".#a.md", "a.md~"]):
        tmp = harness.root / "notes" / tmp_name
        tmp.write_text(f"# Alpha\n\nSaved version {n} with quokka{n}.\n", encoding="utf-8")
        os.replace(tmp, note)
        assert wait_until(lambda n=n: harness.found(f"quokka{n}") == {"notes/a.md"})
    # vim's backup-then-write: the note is renamed away, then written anew
    os.replace(note, harness.root / "notes/a.md~")
    note.write_text("# Alpha\n\nWritten by vim: wombat.\n", encoding="utf-8")
    assert wait_until(lambda: harness.found("wombat") == {"notes/a.md"})
    harness.settle()
    assert "notes/a.md" not in harness.removed()
    assert harness.paths() == {"notes/a.md", "notes/c.md"}


def test_rename_updates_index_and_backlinks(harness: Harness):
    assert harness.vault.resolve("a", "notes/c.md") == "notes/a.md"
    os.rename(harness.root / "notes/a.md", harness.root / "notes/b.md")
    assert wait_until(lambda: harness.paths() == {"notes/b.md", "notes/c.md"})
    assert harness.found("aardvark") == {"notes/b.md"}
    assert harness.vault.resolve("a", "notes/c.md") is None  # c's link is now dangling
    assert [r.path for r in harness.vault.outgoing("notes/c.md")] == [None]


def test_delete(harness: Harness):
    (harness.root / "notes/a.md").unlink()
    assert wait_until(lambda: harness.paths() == {"notes/c.md"})
    assert harness.found("aardvark") == set()
    assert harness.vault.backlinks("notes/c.md") == []


@pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")  # watchdog, harmless
def test_folder_move_and_folder_delete(harness: Harness):
    (harness.root / "notes/deep/er").mkdir(parents=True)
    (harness.root / "notes/deep/er/d.md").write_text("# Deep\n\nbadger\n", encoding="utf-8")
    assert wait_until(lambda: "notes/deep/er/d.md" in harness.paths())
    (harness.root / "archive").mkdir()
    os.rename(harness.root / "notes", harness.root / "archive/notes")
    wanted = {"archive/notes/a.md", "archive/notes/c.md", "archive/notes/deep/er/d.md"}
    assert wait_until(lambda: harness.paths() == wanted)
    assert harness.found("badger") == {"archive/notes/deep/er/d.md"}
    assert harness.vault.resolve("a", "archive/notes/c.md") == "archive/notes/a.md"
    for path in sorted((harness.root / "archive").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (harness.root / "archive").rmdir()
    assert wait_until(lambda: harness.paths() == set())


def test_slow_copy_into_raw_is_compiled_once_and_complete(harness: Harness):
    chunks = [f"Paragraph {i} about the pangolin{i}.\n" for i in range(6)]
    with open(harness.root / "raw/slow.txt", "w", encoding="utf-8") as out:
        for chunk in chunks:  # pauses longer than the quiet window, file kept open
            out.write(chunk)
            out.flush()
            time.sleep(0.3)
    assert wait_until(lambda: harness.found("pangolin5") == {"sources/slow.md"})
    harness.settle()
    assert harness.compiler.compiled() == ["raw/slow.txt"], harness.messages
    assert (harness.root / "sources/slow.md").read_text(encoding="utf-8").count("pangolin") == 6
    assert any(m.startswith("compiled raw/slow.txt -> sources/slow.md") for m in harness.messages)
    assert "raw/slow.txt" not in harness.paths()  # raw articles are not pages


def test_article_moved_into_raw_is_compiled(harness: Harness, tmp_path: Path):
    outside = tmp_path / "download.html.part"
    outside.write_text("An article on the narwhal.", encoding="utf-8")
    os.rename(outside, harness.root / "raw/download.html.part")  # partial: ignored
    os.rename(harness.root / "raw/download.html.part", harness.root / "raw/narwhal.html")
    assert wait_until(lambda: harness.found("narwhal") == {"sources/narwhal.md"})
    harness.settle()
    assert harness.compiler.compiled() == ["raw/narwhal.html"]


def test_article_in_a_new_folder_of_raw_is_compiled_once(harness: Harness):
    # the file may be written before the new folder is watched: no close event is seen then,
    # and the watcher falls back on the file staying unchanged (OPEN_GRACE)
    (harness.root / "raw/2026/nov").mkdir(parents=True)
    (harness.root / "raw/2026/nov/emu.txt").write_text("The emu article.", encoding="utf-8")
    assert wait_until(lambda: harness.found("emu") == {"sources/emu.md"})
    harness.settle()
    assert harness.compiler.compiled() == ["raw/2026/nov/emu.txt"]


def test_burst_of_200_files_all_searchable_in_few_batches(harness: Harness):
    before = harness.watcher.stats.index_batches
    folder = harness.root / "burst"
    folder.mkdir()
    for i in range(200):
        (folder / f"n{i:03}.md").write_text(f"# Note {i}\n\nflamingo n{i}\n", encoding="utf-8")
    assert wait_until(lambda: len(harness.found("flamingo")) == 200, timeout=60)
    harness.settle()
    assert len(harness.paths()) == 202
    batches = harness.watcher.stats.index_batches - before
    assert 1 <= batches <= 20


def test_changes_while_down_are_picked_up_on_start(vault_dir: Path):
    (vault_dir / "keep.md").write_text("# Keep\n\nheron\n", encoding="utf-8")
    (vault_dir / "gone.md").write_text("# Gone\n\negret\n", encoding="utf-8")
    first = Harness(vault_dir).start()
    assert first.found("egret") == {"gone.md"}
    first.close()
    (vault_dir / "gone.md").unlink()
    (vault_dir / "keep.md").write_text("# Keep\n\nheron and ibis\n", encoding="utf-8")
    (vault_dir / "dropped.md").write_text("# Dropped\n\nkestrel\n", encoding="utf-8")
    (vault_dir / "raw").mkdir()
    (vault_dir / "raw/later.txt").write_text("A note on the lynx.", encoding="utf-8")
    second = Harness(vault_dir).start()  # start() returns once the reconcile is done
    try:
        assert second.found("kestrel") == {"dropped.md"}
        assert second.found("ibis") == {"keep.md"}
        assert second.found("egret") == set()
        assert second.found("lynx") == {"sources/later.md"}
        assert second.paths() == {"keep.md", "dropped.md", "sources/later.md"}
    finally:
        second.close()


def test_duplicate_events_without_change_cost_no_reindex(harness: Harness):
    note = harness.root / "notes/a.md"
    before = harness.watcher.stats.index_batches
    summaries = len(harness.summaries)
    st = note.stat()
    for _ in range(5):
        with open(note, "a", encoding="utf-8"):
            pass  # opened for writing and closed: a close-after-write event, no change
        os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns))  # attrib event, same mtime
    assert wait_until(lambda: harness.watcher.stats.index_batches > before)
    harness.settle()
    assert harness.summaries[summaries:] == []  # events handled, nothing re-read
    assert harness.watcher.stats.pages_indexed == 0


def test_the_apps_own_writes_are_not_reindexed(harness: Harness):
    (harness.root / "raw/own.txt").write_text("The ocelot article.", encoding="utf-8")
    assert wait_until(lambda: harness.found("ocelot") == {"sources/own.md"})
    harness.settle()
    touched = [s for s in harness.summaries if "sources/own.md" in s.pages_changed]
    assert len(touched) == 1  # indexed once by the compile, the write's own events skipped


def test_ignored_files(harness: Harness):
    before = len(harness.summaries)
    files = {".obsidian/workspace.md": "x", ".wiki/junk.md": "x", "notes/.hidden.md": "x",
             "notes/a.md.swp": "x", "notes/pic.png": "x", "notes/todo.txt": "x",
             "raw/.partial.txt": "x"}  # (raw/image.png goes to the compiler, which refuses it)
    for rel, text in files.items():
        (harness.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (harness.root / rel).write_text(text, encoding="utf-8")
    harness.settle()
    assert harness.paths() == {"notes/a.md", "notes/c.md"}
    assert len(harness.summaries) == before
    assert harness.compiler.compiled() == []


def test_classify():
    assert classify("notes/a.md") == "page"
    assert classify("A.MD") == "page"
    assert classify("raw/x.htm") == "raw"
    assert classify("raw/sub/x.md") == "raw"
    assert classify("raw/paper.pdf") == "raw"  # PDFs are articles too
    assert classify("raw/x.docx") == "raw"  # for the compiler to refuse, naming it
    for rel in ["raw", "notes/x.txt", ".wiki/a.md", "a/.b/c.md", "a.md~",
                "4913", "x.tmp", "raw/y.txt.crdownload"]:
        assert classify(rel) is None, rel


def test_forced_polling(vault_dir: Path):
    h = Harness(vault_dir, force_polling=True).start()
    try:
        assert h.watcher.polling
        assert "watching by polling (asked for)" in h.messages
        (vault_dir / "p.md").write_text("# P\n\npuffin\n", encoding="utf-8")
        assert wait_until(lambda: h.found("puffin") == {"p.md"})
    finally:
        h.close()


def test_falls_back_to_polling_when_inotify_cannot_start(vault_dir: Path, monkeypatch):
    import errno

    from watchdog.observers import Observer

    class NoWatchesLeft(Observer):  # what watchdog raises when max_user_watches is used up
        def schedule(self, *args: object, **kwargs: object):
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr("wiki.watch.watcher.Observer", NoWatchesLeft)
    h = Harness(vault_dir).start()
    try:
        assert h.watcher.polling
        assert "watching by polling (inotify watch limit reached)" in h.messages
        (vault_dir / "q.md").write_text("# Q\n\nquetzal\n", encoding="utf-8")
        assert wait_until(lambda: h.found("quetzal") == {"q.md"})
    finally:
        h.close()


def test_bad_files_are_reported_once_and_the_rest_keeps_flowing(harness: Harness):
    bad = {"bad/binary.md": b"\x00\x01\x02PNG\x00" * 200, "bad/latin1.md": "caf\xe9 stoat".encode(
        "latin-1"), "bad/empty.md": b"", "bad/odd #name|x.md": b"# Odd\n\nodd stoat\n",
        "bad/huge.md": b"# Huge\n\n" + b"stoat word " * 2_000_000}
    (harness.root / "bad").mkdir()
    for rel, data in bad.items():
        (harness.root / rel).write_bytes(data)
    (harness.root / "bad/good.md").write_text("# Good\n\nweasel\n", encoding="utf-8")
    assert wait_until(lambda: harness.found("weasel") == {"bad/good.md"}, timeout=60)
    assert wait_until(lambda: len(harness.paths()) == 8, timeout=60)
    harness.settle()
    warnings = [w for s in harness.summaries for w in s.warnings]
    for rel in ["bad/binary.md", "bad/latin1.md", "bad/huge.md"]:
        assert len([w for w in warnings if w.startswith(rel)]) == 1, (rel, warnings)
    assert "bad/odd #name|x.md" in harness.found("odd")


def test_raw_file_deleted_drops_its_pages(harness: Harness):
    (harness.root / "raw/tmp.txt").write_text("The tapir article.", encoding="utf-8")
    assert wait_until(lambda: harness.found("tapir") == {"sources/tmp.md"})
    (harness.root / "raw/tmp.txt").unlink()
    assert wait_until(lambda: harness.found("tapir") == set())
    assert "sources/tmp.md" not in harness.paths()


def test_real_compiler_article_becomes_searchable_with_entity_pages(vault_dir: Path,
                                                                     seeds_dir: Path):
    import shutil

    (vault_dir / "raw").mkdir()
    h = Harness(vault_dir, compile_raw=None).start()  # None: wiki.compile.compile_vault
    try:
        shutil.copy(seeds_dir / "004_f826b17d9f37c0ee.txt", vault_dir / "raw/profile.txt")
        assert wait_until(lambda: "people/Julian Schrittwieser.md" in h.found("Schrittwieser"),
                          timeout=30)
        h.settle()
        source = "sources/Posts by Dan Mason (@danmason).md"
        assert source in h.paths()
        assert source in {m.path for m in h.vault.backlinks("people/Julian Schrittwieser.md")}
        compiled = [m for m in h.messages if m.startswith("compiled raw/profile.txt")]
        assert len(compiled) == 1 and source in compiled[0] and "pages)" in compiled[0]
    finally:
        h.close()


def test_raw_file_deleted_while_nobody_watched_loses_its_pages_on_start(vault_dir: Path):
    from wiki.compile import compile_vault

    (vault_dir / "raw").mkdir()
    (vault_dir / "raw/good.txt").write_text(
        "Good News\n\nMargaret Hamilton wrote the flight software.\n", encoding="utf-8")
    (vault_dir / "raw/other.txt").write_text(
        "Other News\n\nGrace Hopper wrote the first compiler.\n", encoding="utf-8")
    compile_vault(vault_dir)  # the app compiled them, then was closed
    assert (vault_dir / "sources/Good News.md").exists()
    (vault_dir / "raw/good.txt").unlink()
    h = Harness(vault_dir, compile_raw=None).start()
    try:
        assert not (vault_dir / "sources/Good News.md").exists()
        assert not h.found("flight")
        assert "sources/Other News.md" in h.found("compiler")
    finally:
        h.close()


def test_real_compiler_bad_raw_files_reported_once(vault_dir: Path):
    (vault_dir / "raw").mkdir()
    h = Harness(vault_dir, compile_raw=None).start()
    try:
        bad = {"raw/binary.txt": b"\x00\xff\x00\xfe" * 500, "raw/empty.txt": b"",
               "raw/odd #name|x.html": b"<html><script>x()</script></html>"}
        for rel, data in bad.items():
            (vault_dir / rel).write_bytes(data)
        (vault_dir / "raw/good.txt").write_text(
            "Good News\n\nMargaret Hamilton wrote the flight software.\n", encoding="utf-8")
        assert wait_until(lambda: bool(h.found("flight")), timeout=30)

        def reports(rel: str) -> list[str]:
            return [m for m in h.messages if m.startswith(f"cannot compile {rel}:")]

        assert wait_until(lambda: all(reports(rel) for rel in bad), timeout=30), h.messages
        h.settle()
        for rel in bad:
            assert len(reports(rel)) == 1, (rel, h.messages)
    finally:
        h.close()
    again = Harness(vault_dir, compile_raw=None).start()  # a restart does not nag again
    try:
        again.settle()
        assert not [m for m in again.messages if m.startswith("cannot compile")]
    finally:
        again.close()


def test_unsupported_files_dropped_into_raw_are_named_once_for_the_app(vault_dir: Path):
    (vault_dir / "raw").mkdir()
    h = Harness(vault_dir, compile_raw=None).start()
    try:
        (vault_dir / "raw/slides.pptx").write_bytes(b"PK\x03\x04" + bytes(200))
        (vault_dir / "raw/photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(500))
        (vault_dir / "raw/good.txt").write_text(
            "Good News\n\nMargaret Hamilton wrote the flight software.\n", encoding="utf-8")
        assert wait_until(lambda: bool(h.found("flight")), timeout=30)

        def named() -> list[str]:
            return sorted(f for s in h.summaries for f in s.unsupported_files)

        assert wait_until(lambda: named() == ["raw/photo.jpg", "raw/slides.pptx"], timeout=30)
        h.settle()
        assert named() == ["raw/photo.jpg", "raw/slides.pptx"]  # once each
        errors = dict(e for s in h.summaries for e in s.compile_errors)
        assert "unsupported file type '.pptx'" in errors["raw/slides.pptx"]
        assert "unsupported file type '.jpg'" in errors["raw/photo.jpg"]
        assert [m for m in h.messages if m.startswith("cannot compile raw/slides.pptx: "
                                                      "unsupported file type '.pptx'")]
        (vault_dir / "raw/slides.pptx").unlink()  # deleting it again is nothing to report
        h.settle()
        assert named() == ["raw/photo.jpg", "raw/slides.pptx"]
        assert not [f for f in h.paths() if "slides" in f or "photo" in f]
    finally:
        h.close()
    assert sorted(p.name for p in (vault_dir / "raw").iterdir()) == ["good.txt", "photo.jpg"]
    again = Harness(vault_dir, compile_raw=None).start()  # a restart does not nag again
    try:
        again.settle()
        assert not [m for m in again.messages if m.startswith("cannot compile")]
    finally:
        again.close()


def test_a_dead_observer_is_restarted_and_the_vault_reconciled(harness: Harness):
    observer = harness.watcher._observer
    assert observer is not None
    for emitter in list(observer.emitters):  # as when watchdog's reader thread dies
        emitter.stop()
        emitter.join(5)
    (harness.root / "notes/x.md").write_text("# X\n\nxylophone\n", encoding="utf-8")
    assert wait_until(lambda: harness.found("xylophone") == {"notes/x.md"})
    assert "file watching stopped unexpectedly; restarting it" in harness.messages
    (harness.root / "notes/y.md").write_text("# Y\n\nyak\n", encoding="utf-8")  # watched again
    assert wait_until(lambda: harness.found("yak") == {"notes/y.md"})


def test_hidden_folders_cost_no_work(harness: Harness, vault_dir: Path):
    """Events under .wiki/ (every index commit) or .obsidian/ never reach the debouncer, and
    a folder moved out of a hidden one is picked up as pages."""
    touched: list[list[str]] = []
    real_touch = harness.watcher._touch
    harness.watcher._touch = lambda rels, **kw: (touched.append(list(rels)),
                                                 real_touch(rels, **kw))[1]
    hidden = vault_dir / ".obsidian" / "plugins"
    hidden.mkdir(parents=True)
    (hidden / "note.md").write_text("# Hidden\n\nhornbill\n", encoding="utf-8")
    (vault_dir / ".wiki" / "scratch").mkdir()
    time.sleep(0.8)
    assert touched == []
    (vault_dir / ".obsidian" / "plugins").rename(vault_dir / "plugins")
    assert wait_until(lambda: harness.found("hornbill") == {"plugins/note.md"})
