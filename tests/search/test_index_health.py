"""Issue 14, item 7: damage inside the search index is found and repaired, and a read-only
``.wiki`` opens read-only. Real vaults, real Whoosh indexes, bytes overwritten on disk."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import run_wiki, wait_until

from wiki.core.worker import Worker
from wiki.search import health
from wiki.vault.facade import Vault
from wiki.watch.watcher import VaultWatcher

NOTES = 150


def _notes(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(NOTES):
        (root / f"n{i}.md").write_text(f"# Note {i}\n\nword{i} common text about topic{i % 7}\n",
                                       encoding="utf-8")


def _biggest_segment(root: Path) -> Path:
    return max((root / ".wiki/index").glob("*.seg"), key=lambda p: p.stat().st_size)


def _scribble(path: Path, start: int, length: int, seed: int = 7) -> None:
    """Overwrite ``length`` bytes from ``start`` with garbage, keeping the file's size."""
    rnd = random.Random(seed)
    with open(path, "r+b") as fh:
        fh.seek(start)
        fh.write(bytes(rnd.randrange(256) for _ in range(length)))


def _every_note_found(vault: Vault) -> bool:
    if vault.search("common", limit=NOTES + 10).total != NOTES:
        return False
    return all([h.path for h in vault.search(f"word{i}").hits] == [f"n{i}.md"]
               for i in range(0, NOTES, 7))


def test_garbage_in_the_middle_of_a_segment_is_found_when_the_index_opens(vault_dir):
    _notes(vault_dir)
    with Vault.open(vault_dir) as vault:
        vault.refresh()
    seg = _biggest_segment(vault_dir)
    _scribble(seg, seg.stat().st_size // 2, 512)
    with Vault.open(vault_dir) as vault:
        assert any("damaged" in w and "rebuilt" in w for w in vault.warnings), vault.warnings
        vault.refresh()
        assert _every_note_found(vault)
    assert health.verify(vault_dir / ".wiki/index", "MAIN") is None  # the new one is summed


def test_the_cli_rebuilds_a_scribbled_index_and_answers_right(vault_dir):
    _notes(vault_dir)
    assert run_wiki("index", vault=vault_dir).returncode == 0
    seg = _biggest_segment(vault_dir)
    _scribble(seg, seg.stat().st_size // 3, 256)
    result = run_wiki("search", "word12", vault=vault_dir)
    assert result.returncode == 0 and "n12.md" in result.stdout, result.stderr
    assert "damaged" in result.stderr and "Traceback" not in result.stderr


def test_damage_while_the_app_runs_is_said_and_rebuilt_in_the_background(vault_dir):
    _notes(vault_dir)
    vault = Vault.open(vault_dir)
    worker = Worker()
    watcher = VaultWatcher(vault, worker)
    try:
        vault.refresh()
        started = watcher.start()
        assert started is not None
        started.result(30)
        assert [h.path for h in vault.search("word5").hits] == ["n5.md"]
        seg = _biggest_segment(vault_dir)
        _scribble(seg, 0, seg.stat().st_size)
        first = vault.search("word7")
        assert first.error and "being rebuilt" in first.error and not first.hits
        # nobody asks for it: the watcher's worker rebuilds the index from the pages
        assert wait_until(lambda: _every_note_found(vault), timeout=30)
        assert vault.search("word7").error is None
    finally:
        watcher.stop()
        worker.close()
        vault.close()


def test_a_search_that_cannot_read_the_index_says_so_and_asks_for_a_rebuild(vault_dir,
                                                                              monkeypatch):
    _notes(vault_dir)
    told: list[str] = []
    with Vault.open(vault_dir) as vault:
        vault.refresh()
        vault.on_index_damage(told.append)

        def unreadable(*_a, **_k):
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(vault.index, "_fast_top", unreadable)
        result = vault.search("word3")
        assert result.error and "being rebuilt" in result.error and len(told) == 1
        assert vault.search("word4").error == result.error and len(told) == 1  # told once
        monkeypatch.undo()
        vault.refresh()  # the next write operation rebuilds it
        assert _every_note_found(vault)


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """``folder`` cannot be written: no write permission, or (for root, whom permissions do
    not stop) a read-only bind mount of it onto itself."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for path in modes:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    mount = shutil.which("mount")
    if mount is None:
        pytest.skip("no way to make a read-only folder here")
    if subprocess.run([mount, "--bind", str(folder), str(folder)],
                      capture_output=True).returncode:
        pytest.skip("bind mounts are not allowed here")
    try:
        if subprocess.run([mount, "-o", "remount,ro,bind", str(folder)],
                          capture_output=True).returncode:
            pytest.skip("read-only remounts are not allowed here")
        yield
    finally:  # lazily: a file still open below it (a failed test) must not keep it mounted
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_read_only_state_folder_opens_read_only_and_still_searches(vault_dir):
    _notes(vault_dir)
    assert run_wiki("index", vault=vault_dir).returncode == 0
    with _read_only(vault_dir / ".wiki"):
        with Vault.open(vault_dir) as vault:
            assert vault.readonly and "cannot be written" in (vault.readonly_reason or "")
            assert not vault.index_being_built()  # nobody can be writing it
            assert [h.path for h in vault.search("word9").hits] == ["n9.md"]
            assert len(vault.pages()) == NOTES
        result = run_wiki("search", "word9", vault=vault_dir)
        assert result.returncode == 0 and "n9.md" in result.stdout, result.stderr
        assert "read-only" in result.stderr and "Traceback" not in result.stderr
        assert "another Commonplace process" not in result.stderr  # there is none
        assert "from another version" not in result.stderr
        shown = run_wiki("show", "n3", vault=vault_dir)
        assert shown.returncode == 0 and "Traceback" not in shown.stderr
