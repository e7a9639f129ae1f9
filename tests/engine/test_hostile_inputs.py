"""Hostile inputs: nothing read or written outside the vault, no traceback, no hang.

Each test is one finding of the adversarial review (issue 14) and failed before its fix.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from support import run_wiki as wiki

from wiki.compile import compile_vault, ingest_files
from wiki.markup.pages import read_page
from wiki.vault.editing import EditError, create_page, read_for_edit
from wiki.vault.facade import Vault, VaultError

ARTICLE = ("A Visit to the Engine\n\nAda Lovelace met Charles Babbage in London. Ada Lovelace "
           "wrote notes on the Analytical Engine, and Charles Babbage built it.\n")
SECRET = "root:x:0:0:this line must never reach the vault\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    return folder


def _vault_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in root.rglob("*.md") if ".wiki" not in p.parts)


def test_a_symlink_in_raw_to_an_outside_file_is_not_compiled(vault_dir, outside):
    (vault_dir / "raw").mkdir()
    (vault_dir / "raw/passwd.txt").symlink_to(outside / "secret.txt")
    (vault_dir / "raw/real.txt").write_text(ARTICLE, encoding="utf-8")
    report = compile_vault(vault_dir)
    assert any("raw/passwd.txt" == f and "outside the vault" in m for f, m in report.errors)
    assert "must never reach" not in _vault_text(vault_dir)
    assert "sources/A Visit to the Engine.md" in report.created


def test_a_generated_folder_linked_outside_gets_nothing_written_there(vault_dir, outside):
    (vault_dir / "raw").mkdir()
    (vault_dir / "raw/real.txt").write_text(ARTICLE, encoding="utf-8")
    (vault_dir / "people").symlink_to(outside, target_is_directory=True)
    report = compile_vault(vault_dir)
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert any("people/" in c and "outside the vault" in c for c in report.conflicts)
    assert not any(p.startswith("people/") for p in report.written)


@pytest.mark.parametrize("command", ["ingest", "build"])
def test_raw_linked_outside_is_refused_before_anything_is_copied(vault_dir, outside, tmp_path,
                                                                 command):
    article = tmp_path / "in" / "article.txt"
    article.parent.mkdir()
    article.write_text(ARTICLE, encoding="utf-8")
    (vault_dir / "raw").symlink_to(outside, target_is_directory=True)
    args = ["ingest", str(article)] if command == "ingest" else ["build", "--from",
                                                                 str(article.parent)]
    result = wiki(*args, vault=vault_dir)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "outside the vault" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_state_folder_linked_outside_is_refused(vault_dir, outside):
    (vault_dir / "A.md").write_text("# A\n", encoding="utf-8")
    (vault_dir / ".wiki").symlink_to(outside, target_is_directory=True)
    with pytest.raises(VaultError, match="outside the vault"):
        Vault.open(vault_dir)
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_state_folder_that_is_a_file_or_a_lock_that_is_a_folder_is_named(vault_dir):
    (vault_dir / "A.md").write_text("# A\n", encoding="utf-8")
    (vault_dir / ".wiki").write_text("not a folder", encoding="utf-8")
    result = wiki("index", "--rebuild", vault=vault_dir)
    assert result.returncode == 2 and ".wiki is a file, not a folder" in result.stderr
    assert "another" not in result.stderr
    (vault_dir / ".wiki").unlink()
    (vault_dir / ".wiki/write.lock").mkdir(parents=True)
    result = wiki("index", "--rebuild", vault=vault_dir)
    assert result.returncode == 2 and "write.lock is a folder" in result.stderr


def test_rebuild_of_a_vault_another_process_writes_fails_instead_of_claiming_success(vault_dir):
    (vault_dir / "A.md").write_text("# A\n", encoding="utf-8")
    holder = Vault.open(vault_dir)
    try:
        result = wiki("index", "--rebuild", vault=vault_dir)
        assert result.returncode == 2
        assert "cannot rebuild" in result.stderr and "is writing this vault" in result.stderr
    finally:
        holder.close()


@pytest.mark.parametrize("yaml_text", [
    "a: &a [*a]",  # a value that contains itself
    "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(  # "billion laughs": 9^9 strings from 300 bytes
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n"
        for i in range(8)),
])
def test_yaml_aliases_in_frontmatter_are_refused_quickly(write_files, yaml_text):
    root = write_files({"bomb.md": f"---\n{yaml_text}\n---\n# Bomb\n\nSee [[Other]].\n",
                        "Other.md": "# Other\n"})
    started = time.perf_counter()
    page = read_page(root, "bomb.md")
    assert time.perf_counter() - started < 1.0
    assert "aliases" in (page.problem or "") and [x.target for x in page.links] == ["Other"]
    result = wiki("index", vault=root)
    assert result.returncode == 0 and "2 pages indexed" in result.stdout
    assert wiki("search", "bomb", vault=root).returncode == 0


def test_a_file_name_that_is_not_utf8_is_reported_and_breaks_nothing(vault_dir):
    (vault_dir / "Good.md").write_text("# Good\n\nhello there\n", encoding="utf-8")
    bad = os.path.join(os.fsencode(vault_dir), b"bad\xff.md")
    with open(bad, "wb") as fh:
        fh.write(b"# Bad\n\nhello too\n")
    for args in (["index"], ["search", "hello"], ["show", "Good"]):
        result = wiki(*args, vault=vault_dir)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
    lint = wiki("lint", vault=vault_dir)
    assert "not valid UTF-8" in lint.stdout and "Traceback" not in lint.stderr
    assert os.path.exists(bad)  # reported, never renamed or deleted


def test_ingesting_a_fifo_or_a_device_is_refused_at_once(vault_dir, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.perf_counter()
    report = ingest_files(vault_dir, [fifo, Path("/dev/zero")])
    assert time.perf_counter() - started < 5
    assert len(report.errors) == 2 and not report.created


def test_html_nested_thousands_deep_compiles(vault_dir, tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 3000 + "<p>Ada Lovelace wrote the first "
                    "program for the Analytical Engine.</p>" + "</div>" * 3000 + "</body></html>",
                    encoding="utf-8")
    report = ingest_files(vault_dir, [page])
    assert not report.errors and any(report.source_pages.values())
    assert not compile_vault(vault_dir).errors  # and every later build too


def test_compile_errors_are_one_stderr_line_each_and_exit_2(vault_dir, tmp_path):
    odd = tmp_path / "slides.pdf"
    odd.write_bytes(b"%PDF-1.4 not an article\n")
    result = wiki("ingest", str(odd), vault=vault_dir)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "slides.pdf" in result.stderr
    assert "slides.pdf" not in result.stdout


def test_pages_cannot_be_created_in_raw_or_through_a_link_out(vault_dir, outside):
    with pytest.raises(EditError, match="raw/"):
        create_page(vault_dir, "raw/Note.md", "Note")
    (vault_dir / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(EditError, match="outside the vault"):
        create_page(vault_dir, "linked/Note.md", "Note")
    (vault_dir / "known.md").symlink_to(outside / "secret.txt")
    with pytest.raises(EditError):
        read_for_edit(vault_dir, "known.md")
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_lost_and_ghost_index_entries_that_cancel_out_are_repaired(write_files):
    from wiki.core.model import Page

    root = write_files({f"n{i}.md": f"# N{i}\n\nword{i} common\n" for i in range(40)})
    with Vault.open(root) as vault:
        vault.refresh()
        lost = [f"n{i}.md" for i in range(10)]
        ghosts = [Page(path=f"ghost{i}.md", title=f"Ghost {i}", body="common ghostly")
                  for i in range(10)]
        vault.index.update(ghosts, lost)  # same count: 10 lost, 10 ghosts
        assert vault.index.doc_count() == 40
    with Vault.open(root) as vault:
        summary = vault.refresh()
        assert any("repaired" in w for w in summary.warnings)
        assert vault.search("common", limit=100).total == 40
        assert [h.path for h in vault.search("word3").hits] == ["n3.md"]
        assert not vault.search("ghostly").hits


def test_an_index_folder_replaced_by_a_file_is_rebuilt(write_files):
    root = write_files({"A.md": "# A\n\nhello there\n"})
    assert wiki("index", vault=root).returncode == 0
    index = root / ".wiki/index"
    for entry in index.iterdir():
        entry.unlink()
    index.rmdir()
    index.write_text("junk", encoding="utf-8")
    result = wiki("search", "hello", vault=root)
    assert result.returncode == 0 and "A.md" in result.stdout, result.stderr
    assert "Traceback" not in result.stderr and "rebuilt" in result.stderr
    assert index.is_dir()
