"""Fault injection: the compiler and the indexer are killed (``os._exit``, no cleanup) at every
write step in turn; the next start must leave no lost or ghost pages, take none of the
compiler's own pages for a user edit, and not duplicate ``log.md`` entries.

Each kill runs in a real subprocess, so nothing of the dead run (no ``finally``, no buffered
write) survives but what reached the disk. Appends are killed half-way through, the way a
kill mid-append leaves a torn last line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO

from wiki.compile import compile_vault
from wiki.markup.own_text import own_text
from wiki.markup.pages import read_page
from wiki.vault.facade import Vault

ARTICLES = {
    "raw/engine.txt": "A Visit to the Engine\n\nAda Lovelace met Charles Babbage in London. "
                      "Ada Lovelace wrote notes on the Analytical Engine for Charles Babbage.\n",
    "raw/compiler.txt": "The First Compiler\n\nGrace Hopper built the A-0 compiler at Remington "
                        "Rand. Grace Hopper later led the work on COBOL at Remington Rand.\n",
    "raw/orbit.md": "---\ntitle: Software for the Moon\n---\n\nMargaret Hamilton led the "
                    "Apollo software team at MIT. Margaret Hamilton named it software "
                    "engineering, and NASA flew it.\n",
}
LATE = ("raw/late.txt", "A Late Article\n\nGrace Hopper met Margaret Hamilton at MIT. "
                        "Grace Hopper and Margaret Hamilton talked about COBOL.\n")

KILLER = r"""
import os, sys, pathlib
sys.path.insert(0, os.getcwd())
kill_at, mode, vault = int(sys.argv[1]), sys.argv[2], sys.argv[3]
steps = [0]

def step(half=None):
    steps[0] += 1
    if steps[0] == kill_at:
        if half is not None:
            half()
        os._exit(137)

from wiki.core import fileio
real_write = fileio.atomic_write
def atomic_write(path, data, **kw):
    step()
    return real_write(path, data, **kw)
for name, module in list(sys.modules.items()):
    if name.startswith("wiki") and getattr(module, "atomic_write", None) is real_write:
        module.atomic_write = atomic_write
fileio.atomic_write = atomic_write
import wiki.compile.state as state_mod, wiki.compile.writing.writer as writer_mod
import wiki.compile.writing.indexpage as indexpage_mod, wiki.compile.build as build_mod
for module in (state_mod, writer_mod, indexpage_mod, build_mod):
    if getattr(module, "atomic_write", None) is real_write:
        module.atomic_write = atomic_write

real_open = pathlib.Path.open
def open_(self, mode="r", *args, **kw):
    fh = real_open(self, mode, *args, **kw)
    if "a" not in mode:
        return fh
    real_fh_write = fh.write
    def write(text):
        step(lambda: (real_fh_write(text[: len(text) // 2]), fh.flush()))
        return real_fh_write(text)
    fh.write = write
    return fh
pathlib.Path.open = open_

from wiki.search.index import SearchIndex
from wiki.vault.store import Store
for cls, names in ((Store, ("reset", "set_meta", "write_batch")),
                   (SearchIndex, ("build", "update"))):
    for attr in names:
        real = getattr(cls, attr)
        def wrapped(*a, _real=real, **kw):
            step()
            result = _real(*a, **kw)
            step()
            return result
        setattr(cls, attr, wrapped)

if mode == "compile":
    from wiki.compile import compile_vault
    compile_vault(pathlib.Path(vault))
else:
    from wiki.vault.facade import Vault
    with Vault.open(pathlib.Path(vault), create=True) as v:
        v.refresh()
print(steps[0])
"""


def run_killed(vault: Path, kill_at: int, mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", KILLER, str(kill_at), mode, str(vault)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


def pages_of(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in root.rglob("*.md")
            if not any(part.startswith(".") for part in p.relative_to(root).parts)
            and p.relative_to(root).parts[0] != "raw"}


def write_raw(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def count_steps(vault: Path, mode: str) -> int:
    probe = vault.parent / f"probe-{mode}"
    shutil.copytree(vault, probe)
    result = run_killed(probe, 0, mode)  # 0: never killed; prints how many steps it took
    assert result.returncode == 0, result.stderr
    shutil.rmtree(probe)
    return int(result.stdout.split()[-1])


def assert_same_as_a_clean_run(root: Path, expected: dict[str, str]) -> None:
    report = compile_vault(root)
    assert not report.errors, report.errors
    assert not report.conflicts, report.conflicts  # no page of ours taken for a user edit
    got = pages_of(root)
    assert sorted(got) == sorted(expected)  # no lost and no ghost pages
    for rel, text in expected.items():
        if rel != "log.md":  # the log records what each run did; a killed run did less
            assert got[rel] == text, rel
    assert _log_entries(got["log.md"]) == _log_entries(expected["log.md"])  # none twice


def _log_entries(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("## [")]


@pytest.fixture
def clean_result(tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "clean"
    write_raw(root, ARTICLES)
    compile_vault(root)
    write_raw(root, dict([LATE]))
    compile_vault(root)
    return pages_of(root)


@pytest.mark.slow
def test_first_compile_killed_at_every_step(tmp_path: Path):
    base = tmp_path / "base"
    write_raw(base, ARTICLES)
    clean = tmp_path / "clean"
    shutil.copytree(base, clean)
    compile_vault(clean)
    expected = pages_of(clean)
    steps = count_steps(base, "compile")
    assert steps > 5
    for kill_at in range(1, steps + 1):
        root = tmp_path / f"kill{kill_at}"
        shutil.copytree(base, root)
        result = run_killed(root, kill_at, "compile")
        assert result.returncode == 137, (kill_at, result.stderr)
        assert_same_as_a_clean_run(root, expected)


@pytest.mark.slow
def test_incremental_compile_killed_at_every_step(tmp_path: Path, clean_result):
    base = tmp_path / "base"
    write_raw(base, ARTICLES)
    compile_vault(base)
    write_raw(base, dict([LATE]))
    steps = count_steps(base, "compile")
    for kill_at in range(1, steps + 1):
        root = tmp_path / f"kill{kill_at}"
        shutil.copytree(base, root)
        result = run_killed(root, kill_at, "compile")
        assert result.returncode == 137, (kill_at, result.stderr)
        assert_same_as_a_clean_run(root, clean_result)


@pytest.mark.slow
def test_indexer_killed_at_every_step(tmp_path: Path, clean_result):
    base = tmp_path / "base"
    write_raw(base, {**ARTICLES, LATE[0]: LATE[1]})
    compile_vault(base)
    with Vault.open(base) as vault:  # an indexed vault, then pages change
        vault.refresh()
    (base / "notes.md").write_text("# Notes\n\nAbout [[Grace Hopper]] and COBOL.\n")
    (base / "people/Grace Hopper.md").unlink()
    steps = count_steps(base, "index")
    assert steps >= 4
    for kill_at in range(1, steps + 1):
        root = tmp_path / f"kill{kill_at}"
        shutil.copytree(base, root)
        result = run_killed(root, kill_at, "index")
        assert result.returncode == 137, (kill_at, result.stderr)
        with Vault.open(root) as vault:
            vault.refresh()
            on_disk = set(pages_of(root))
            assert {info.path for info in vault.pages()} == on_disk, kill_at
            # (what each page says: a generated link list naming COBOL makes no hit)
            assert {h.path for h in vault.search("COBOL", limit=50).hits} == {
                rel for rel in pages_of(root)
                if "COBOL" in own_text(read_page(root, rel))}, kill_at
            assert vault.backlinks("people/Grace Hopper.md") == [] or \
                "notes.md" in {m.path for m in vault.backlinks("people/Grace Hopper.md")}
        json.dumps(kill_at)  # (keeps the loop variable visible in a failure's locals)


def test_a_facts_file_torn_inside_a_character_recovers_after_one_compile(tmp_path: Path):
    root = tmp_path / "vault"
    write_raw(root, {**ARTICLES, "raw/accents.txt": "Café Société\n\nJosé Müller met Zoë "
                                                    "Brontë at the Café Société in Zürich.\n"})
    compile_vault(root)
    facts = root / ".wiki/compile-facts.jsonl"
    data = facts.read_bytes()
    cut = data.index("é".encode()) + 1  # inside the two bytes of "é"
    facts.write_bytes(data + data[:cut])  # a kill mid-append leaves a torn last line
    log_entries = _log_entries((root / "log.md").read_text(encoding="utf-8"))
    compile_vault(root)  # re-reads what it lost, once, and rewrites the facts cleanly
    again = compile_vault(root)
    assert again.written == [] and not again.errors
    assert _log_entries((root / "log.md").read_text(encoding="utf-8")) == log_entries
    assert all(json.loads(line) for line in facts.read_bytes().decode("utf-8").splitlines())
