"""``index.md`` lists every page of the vault, the user's own by folder; it drops deleted pages,
follows the user's pages while the vault is watched, is rewritten only when it would read
differently, and is never taken for a user edit."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from compile_support import DATA, TODAY
from support import run_wiki, wait_until

from wiki.compile import compile_vault, update_index
from wiki.compile.state import CompileState
from wiki.compile.writing.writer import sha
from wiki.core.worker import Worker
from wiki.vault.facade import Vault
from wiki.watch.watcher import VaultWatcher

ARTICLE = DATA / "corpus" / "clipper" / "six-years-of-rust.md"
USER_PAGES = {
    "Home.md": "# Home\n\nWhere I keep my reading notes.\n",
    "projects/garden/Plan.md": "---\ndescription: What to plant in spring\n---\n# Plan\n",
    "projects/garden/Seeds.md": "Tomatoes, beans and chard.\n",
    "projects/Budget.md": "- [ ] sum up the receipts\n",
    "people/My Aunt.md": "She taught me to read.\n",  # the user's page in a compiler folder
}


def vault_with_user_pages(root: Path) -> Path:
    (root / "raw").mkdir(parents=True)
    shutil.copyfile(ARTICLE, root / "raw" / ARTICLE.name)
    for rel, text in USER_PAGES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    report = compile_vault(root, today=TODAY)
    assert report.errors == [] and report.conflicts == [], report
    return root


def index_text(root: Path) -> str:
    return (root / "index.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


def test_index_lists_the_users_pages_by_folder_with_the_compilers(tmp_path: Path):
    root = vault_with_user_pages(tmp_path / "vault")
    text = index_text(root)
    assert "[[Six Years of Rust]]" in section(text, "## Sources (1)")
    assert "## Organizations (" in text and "[[The Rust Team]]" in text  # by kind
    mine = section(text, "## Your pages (5)")
    assert mine.index("- [[Home]] — Where I keep my reading notes.") \
        < mine.index("### people (1)") < mine.index("### projects (1)") \
        < mine.index("### projects/garden (2)")  # top level first, then folders in order
    assert "- [[people/My Aunt|My Aunt]] — She taught me to read." in mine
    assert "- [[projects/garden/Plan|Plan]] — What to plant in spring" in mine
    assert "- [[projects/garden/Seeds|Seeds]] — Tomatoes, beans and chard." in mine
    assert "[[projects/Budget|Budget]]" in mine
    assert "AGENTS" not in text and "[[index]]" not in text


def test_deleted_pages_leave_the_index_at_the_next_compile_and_nothing_else_rewrites_it(
        tmp_path: Path):
    root = vault_with_user_pages(tmp_path / "vault")
    before = (root / "index.md").stat().st_mtime_ns
    again = compile_vault(root, today=TODAY)  # nothing changed: not rewritten
    assert "index.md" not in again.written and again.conflicts == []
    assert update_index(root).written == []
    assert (root / "index.md").stat().st_mtime_ns == before
    (root / "projects/garden/Seeds.md").unlink()
    report = compile_vault(root, today=TODAY)
    assert report.written == ["index.md"] and report.conflicts == []
    text = index_text(root)
    assert "Seeds" not in text and "### projects/garden (1)" in text
    assert "## Your pages (4)" in text


def test_the_watcher_keeps_the_index_current_as_the_user_adds_and_deletes_pages(
        tmp_path: Path):
    root = vault_with_user_pages(tmp_path / "vault")
    vault = Vault.open(root)
    worker = Worker()
    messages: list[str] = []
    watcher = VaultWatcher(vault, worker, on_message=messages.append, quiet=0.1, ceiling=1.0)
    try:
        watcher.start().result(timeout=60)
        (root / "journal").mkdir()
        (root / "journal/2026-12-01.md").write_text("Read about Rust's sixth birthday.\n",
                                                    encoding="utf-8")
        entry = "- [[journal/2026-12-01|2026-12-01]] — Read about Rust's sixth birthday."
        assert wait_until(lambda: entry in index_text(root), timeout=30), index_text(root)
        assert "### journal (1)" in index_text(root)
        # the rewritten index.md is indexed too: its link to the new page is a backlink
        assert wait_until(lambda: "index.md" in {m.path for m in vault.backlinks(
            "journal/2026-12-01.md")}, timeout=30)
        (root / "Home.md").unlink()
        assert wait_until(lambda: "[[Home]]" not in index_text(root), timeout=30)
        assert worker.wait_idle(30)
        settled = (root / "index.md").stat().st_mtime_ns
        time.sleep(1.0)  # its own write is not a change that writes it again
        assert worker.wait_idle(30)
        assert (root / "index.md").stat().st_mtime_ns == settled
        assert not [m for m in messages if "index.md" in m], messages
    finally:
        watcher.stop()
        worker.close()
        vault.close()
    # the compiler still knows index.md as its own, unedited: a compile updates it, no conflict
    state = CompileState.load(root)
    assert state.pages["index.md"].sha == sha(index_text(root))
    (root / "Later.md").write_text("Written while nobody watched.\n", encoding="utf-8")
    report = compile_vault(root, today=TODAY)
    assert report.conflicts == [] and "index.md" in report.written
    assert "- [[Later]] — Written while nobody watched." in index_text(root)


def test_an_index_the_user_edited_is_left_alone(tmp_path: Path):
    root = vault_with_user_pages(tmp_path / "vault")
    edited = index_text(root) + "\nMy own line.\n"
    (root / "index.md").write_text(edited, encoding="utf-8")
    (root / "New.md").write_text("A new page.\n", encoding="utf-8")
    report = update_index(root)
    assert report.written == [] and "changed outside Commonplace" in report.conflicts[0]
    assert index_text(root) == edited


def test_cli_names_unsupported_files_in_raw_on_stderr(tmp_path: Path):
    root = tmp_path / "vault"
    (root / "raw").mkdir(parents=True)
    shutil.copyfile(ARTICLE, root / "raw" / ARTICLE.name)
    (root / "raw/slides.pptx").write_bytes(b"PK\x03\x04" + bytes(100))
    (root / "raw/notes.docx").write_bytes(b"PK\x03\x04" + bytes(100))
    result = run_wiki("build", "--from", str(root / "raw"), vault=root)
    assert result.returncode == 0, result.stderr  # the articles still compiled
    lines = result.stderr.splitlines()
    assert any(line.startswith("wiki: raw/slides.pptx: unsupported file type '.pptx' (use .txt")
               for line in lines), result.stderr
    assert any("raw/notes.docx: unsupported file type '.docx'" in line for line in lines)
    assert "sources/Six Years of Rust.md" in result.stdout
    report = compile_vault(root, today=TODAY)  # the engine's report names them too
    assert sorted(report.unsupported) == ["raw/notes.docx", "raw/slides.pptx"]
    assert not (root / "sources/slides.md").exists()
