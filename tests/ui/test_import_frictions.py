"""Issue 15: importing an article the vault has already says so and opens its page; a file of
a type the compiler cannot read, dropped onto the window or put in ``raw/`` by another
program, gets a visible message naming it (and a line in the warnings list)."""

from __future__ import annotations

from pathlib import Path

from test_main_window import drop_files
from test_ui_support import wait_idle

ARTICLE = ("Tide Pools of Monterey\n\nTide pools are rocky habitats on the coast of Monterey. "
           "Sea stars and anemones live in them, says Rachel Carson.\n")


def _drop(window, files: list[Path]) -> None:
    """Files dragged from a file manager and dropped onto the page."""
    drop_files(window, window.session.page_view.browser.viewport(), files)


def test_importing_an_article_again_says_so_and_opens_its_page(qtbot, window, tmp_path):
    session = window.session
    article = tmp_path / "outside" / "tide pools.txt"
    article.parent.mkdir()
    article.write_text(ARTICLE, encoding="utf-8")
    _drop(window, [article])
    qtbot.waitUntil(lambda: (session.page_view.current_path or "").startswith("sources/"),
                    timeout=30_000)
    source = session.page_view.current_path
    assert "Imported 1 file" in window.status.currentMessage()
    wait_idle(qtbot, window)
    assert session.navigate("Alpha.md")
    raw_before = sorted(p.name for p in (session.ctx.vault.root / "raw").iterdir())
    _drop(window, [article])  # the same file again
    qtbot.waitUntil(lambda: session.page_view.current_path == source, timeout=30_000)
    message = window.status.currentMessage()
    assert "“tide pools.txt” was already in the vault: opened" in message
    assert "Imported 0 files" not in message
    assert sorted(p.name for p in (session.ctx.vault.root / "raw").iterdir()) == raw_before
    wait_idle(qtbot, window)


def test_an_unsupported_file_dropped_on_the_window_is_named(qtbot, window, tmp_path):
    session = window.session
    doc = tmp_path / "outside" / "minutes.docx"
    doc.parent.mkdir()
    doc.write_bytes(b"PK\x03\x04 not an article")
    _drop(window, [doc])
    qtbot.waitUntil(lambda: "minutes.docx" in window.status.currentMessage(), timeout=30_000)
    message = window.status.currentMessage()
    assert message.startswith("⚠ Nothing imported: “minutes.docx”: unsupported file type")
    assert any("minutes.docx" in w for w in window.status.warnings.warnings)
    assert window.status.warnings.isVisible()
    assert not (session.ctx.vault.root / "raw" / "minutes.docx").exists()
    assert session.page_view.current_path == "index.md"
    wait_idle(qtbot, window)


def test_an_unsupported_file_put_in_raw_is_named(qtbot, window):
    root = window.session.ctx.vault.root
    qtbot.waitUntil(lambda: window.session.live.watcher is not None, timeout=10_000)
    (root / "raw").mkdir(exist_ok=True)
    (root / "raw" / "slides.pptx").write_bytes(b"PK\x03\x04 slides")
    qtbot.waitUntil(lambda: "raw/slides.pptx" in window.status.currentMessage(), timeout=15_000)
    message = window.status.currentMessage()
    assert message.startswith("⚠ cannot compile raw/slides.pptx: unsupported file type '.pptx'")
    qtbot.wait(500)  # the rest of the file's events: said once
    assert sum("slides.pptx" in w for w in window.status.warnings.warnings) == 1
    wait_idle(qtbot, window)
