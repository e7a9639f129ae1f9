"""ui.views.page_view: a real PageView on a real temporary vault, driven like a user would."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPalette, QTextCursor, QTextDocument
from PySide6.QtWidgets import QMessageBox
from test_ui_support import PAGES as WINDOW_PAGES
from test_ui_support import answer_next_dialog, drain, page_view_context, shown_page_view, wait_idle
from test_ui_support import click_link as click_window_link

from ui.views.conflict_dialog import CANCEL, KEEP_MINE, SAVE_COPY, TAKE_THEIRS, ConflictDialog
from ui.views.page_view import PageView
from wiki.core.model import ChangeSummary

SOURCE = """---
type: source
title: Alex Wang on Meta Superintelligence Labs
tags: [ai, interviews]
aliases: [MSL interview]
---
# Alex Wang on Meta Superintelligence Labs

Alex Wang, head of [[Meta Superintelligence Labs]], talks with Ashley Vance about
[[MuseSpark]], [[Personal Super Intelligence|personal superintelligence]] and an
[[Economy of Agents]]. See also [[#Key Takeaways]], the [Scale AI](../entities/Scale%20AI.md)
page and the [[index|index page]].

## Key Takeaways

- MSL rebuilt the pre-training, **reinforcement learning** and data stacks.
- MuseSpark is the "appetizer" on the scaling ladder; token efficiency surprised the team.
- Safety guardrails (bio, cyber, loss of control) keep it closed for now.

| Unit | Lead | Focus |
| --- | --- | --- |
| TBD Lab | Alex Wang | large models |
| PAR | Nat Friedman | product and applied research |
| FAIR | — | exploratory science |

> Take superintelligence seriously.

```python
compute_per_researcher = "high"  # [[not a link]]
```

## Related

![[MuseSpark]]

Read more at <https://pjfp.com> or the [Core Memory podcast](https://example.org/core).
""" + "".join(f"\nFiller paragraph {i} about reinforcement learning at scale.\n" for i in range(60))

MUSESPARK = """---
type: entity
---
# MuseSpark

A Meta model notable for **token efficiency**. Made by [[Meta Superintelligence Labs]].
"""

PAGES = {
    "sources/Alex Wang on MSL.md": SOURCE,
    "entities/MuseSpark.md": MUSESPARK,
    "entities/Meta Superintelligence Labs.md": "# Meta Superintelligence Labs\n\nMSL.\n",
    "entities/Scale AI.md": "# Scale AI\n\nData labelling.\n",
    "index.md": "# Index\n\n- [[Alex Wang on MSL]]\n",
}
SRC = "sources/Alex Wang on MSL.md"


@pytest.fixture
def ctx(write_files, qtbot):
    with page_view_context(qtbot, write_files(PAGES)) as context:
        yield context


@pytest.fixture
def view(ctx, qtbot):
    return shown_page_view(ctx, qtbot)


def open_and_wait(view: PageView, qtbot, path: str, **kw) -> None:
    with qtbot.waitSignal(view.page_loaded, timeout=5000) as blocker:
        view.open_page(path, **kw)
    assert blocker.args == [path]


def start_editing(view: PageView, qtbot) -> None:
    with qtbot.waitSignal(view.editing_started, timeout=5000):
        view.toggle_editor()


def anchor_urls(view: PageView) -> dict[str, str]:
    """Visible link text -> href, read from the QTextDocument the user sees."""
    found: dict[str, str] = {}
    block = view.browser.document().begin()
    while block.isValid():
        text, href = "", ""
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            frag_href = fmt.anchorHref() if fmt.isAnchor() else ""
            if frag_href != href and text:
                found[text] = href
                text = ""
            href = frag_href
            if href:
                text += it.fragment().text()
            it += 1
        if text:
            found[text] = href
        block = block.next()
    return found


def click_link(view: PageView, qtbot, text: str) -> None:
    """Click the link whose visible text is ``text`` with the mouse."""
    doc = view.browser.document()
    cursor = doc.find(text)
    assert not cursor.isNull(), f"no text {text!r} on the page"
    cursor.setPosition(cursor.selectionStart() + len(text) // 2)
    view.browser.setTextCursor(cursor)
    view.browser.ensureCursorVisible()
    rect = view.browser.cursorRect(cursor)
    qtbot.mouseClick(view.browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def answer(monkeypatch, button, asked: list[str] | None = None) -> None:
    """Make QMessageBox dialogs answer ``button`` at once, recording their text."""
    def exec_(box):
        if asked is not None:
            asked.append(box.text())
        return button

    def question(_parent, _title, text, *_args, **_kw):
        if asked is not None:
            asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))


def test_open_page_shows_rendered_text(view, qtbot):
    open_and_wait(view, qtbot, SRC)
    text = view.browser.toPlainText()
    assert "Alex Wang on Meta Superintelligence Labs" in text
    assert "Key Takeaways" in text and "Nat Friedman" in text
    assert "type: source" not in text and "#ai" in text  # frontmatter -> meta line
    assert "A Meta model notable for token efficiency" in text  # the embed, inline
    assert view.title() == "Alex Wang on Meta Superintelligence Labs"
    assert view.current_path == SRC
    links = anchor_urls(view)
    assert links["personal superintelligence"] == "wiki-missing:Personal%20Super%20Intelligence"
    assert links["Meta Superintelligence Labs"] == (
        "wiki:entities/Meta%20Superintelligence%20Labs.md")
    assert links["Scale AI"] == "wiki:entities/Scale%20AI.md"  # relative Markdown link
    assert links["index page"] == "wiki:index.md"


def test_click_wikilink_requests_page(view, qtbot):
    open_and_wait(view, qtbot, SRC)
    with qtbot.waitSignal(view.page_requested, timeout=2000) as blocker:
        click_link(view, qtbot, "MuseSpark")
    assert blocker.args == ["entities/MuseSpark.md", ""]


def heading_top(view: PageView, text: str) -> int:
    """Where the heading block ``text`` starts, in scroll-bar units (pixels)."""
    doc = view.browser.document()
    block = doc.begin()
    while block.isValid() and block.text() != text:
        block = block.next()
    assert block.isValid(), f"no heading {text!r}"
    return round(doc.documentLayout().blockBoundingRect(block).top())


def test_heading_link_scrolls_within_page(view, qtbot):
    open_and_wait(view, qtbot, SRC)
    bar = view.browser.verticalScrollBar()
    bar.setValue(bar.maximum())
    with qtbot.assertNotEmitted(view.page_requested):
        click_link(view, qtbot, "Key Takeaways")
    assert abs(bar.value() - heading_top(view, "Key Takeaways")) <= 40


def test_open_page_at_heading(view, qtbot):
    open_and_wait(view, qtbot, SRC, heading="Related")
    bar = view.browser.verticalScrollBar()
    assert bar.value() > 0
    assert abs(bar.value() - heading_top(view, "Related")) <= 40
    open_and_wait(view, qtbot, SRC, heading="key-takeaways")  # an anchor id works too
    assert abs(bar.value() - heading_top(view, "Key Takeaways")) <= 40
    open_and_wait(view, qtbot, SRC)
    assert bar.value() == 0


def test_missing_link_confirm_creates_page(view, ctx, qtbot, monkeypatch):
    open_and_wait(view, qtbot, SRC)
    asked: list[str] = []
    answer(monkeypatch, QMessageBox.StandardButton.Yes, asked)
    with qtbot.waitSignal(view.page_requested, timeout=5000) as blocker:
        click_link(view, qtbot, "personal superintelligence")
    assert asked == ["Create page 'Personal Super Intelligence'?\n\n"
                     "It will be saved as Personal Super Intelligence.md"]
    assert blocker.args == ["Personal Super Intelligence.md", ""]
    created = ctx.vault.root / "Personal Super Intelligence.md"
    assert created.read_text(encoding="utf-8") == "# Personal Super Intelligence\n\n"
    assert ctx.vault.resolve("Personal Super Intelligence", SRC) == "Personal Super Intelligence.md"


def test_missing_link_declined_creates_nothing(view, ctx, qtbot, monkeypatch):
    open_and_wait(view, qtbot, SRC)
    answer(monkeypatch, QMessageBox.StandardButton.No)
    view.on_link(QUrl("wiki-missing:Economy%20of%20Agents"))
    ctx.tasks.wait_idle(5)
    assert not (ctx.vault.root / "Economy of Agents.md").exists()


def test_external_and_refused_links(view, qtbot, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("ui.views.page_view.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toString()))
    open_and_wait(view, qtbot, SRC)
    with qtbot.waitSignal(view.external_link) as blocker:
        view.on_link(QUrl("https://example.org/core"))
    assert blocker.args == ["https://example.org/core"] and opened == ["https://example.org/core"]
    for bad in ("file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi"):
        with qtbot.waitSignal(view.status_message) as blocker:
            view.on_link(QUrl(bad))
        assert blocker.args[0].startswith("Refused")
    assert opened == ["https://example.org/core"]
    with qtbot.assertNotEmitted(view.page_requested):
        view.on_link(QUrl("wiki:../../etc/passwd"))


def test_search_terms_highlighted(view, qtbot):
    open_and_wait(view, qtbot, SRC, terms=["reinforcement"])
    cursor = view.browser.document().find("reinforcement")
    cursor.setPosition(cursor.selectionStart() + 1)
    marked = cursor.charFormat().background().color()
    plain = view.browser.document().find("rebuilt")
    plain.setPosition(plain.selectionStart() + 1)
    assert marked.isValid() and marked != plain.charFormat().background().color()


def test_ctrl_e_edit_and_ctrl_s_save(view, ctx, qtbot):
    open_and_wait(view, qtbot, "entities/Scale AI.md")
    view.activateWindow()
    with qtbot.waitSignal(view.editing_started, timeout=5000):  # the source is read off-thread
        qtbot.keyClick(view.browser, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert view.is_editing()
    assert view.editor.text() == "# Scale AI\n\nData labelling.\n"
    edit = view.editor.text_edit
    edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(edit, "Acquired by [[Meta Superintelligence Labs]].")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert view.has_unsaved_changes()
    with qtbot.waitSignal(view.page_saved, timeout=2000):
        qtbot.keyClick(edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    on_disk = (ctx.vault.root / "entities/Scale AI.md").read_text(encoding="utf-8")
    assert on_disk.endswith("Acquired by [[Meta Superintelligence Labs]].\n")
    assert not view.has_unsaved_changes()
    ctx.tasks.wait_idle(5)
    msl = "entities/Meta Superintelligence Labs.md"
    qtbot.waitUntil(lambda: any(m.path == "entities/Scale AI.md"
                                for m in ctx.vault.backlinks(msl)))
    with qtbot.waitSignal(view.page_loaded, timeout=5000):
        qtbot.keyClick(edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert not view.is_editing()
    assert "Acquired by Meta Superintelligence Labs." in view.browser.toPlainText()


def conflict_dialog(qtbot, view):
    """The conflict dialog the page view opened (saves run off the UI thread)."""
    qtbot.waitUntil(lambda: isinstance(view.edits.dialog, ConflictDialog), timeout=5000)
    return view.edits.dialog


@pytest.mark.parametrize("choice", [CANCEL, TAKE_THEIRS, KEEP_MINE, SAVE_COPY])
def test_edit_conflict_shows_both_versions_and_each_choice_does_what_it_says(
        view, ctx, qtbot, choice):
    file = ctx.vault.root / "entities/Scale AI.md"
    open_and_wait(view, qtbot, "entities/Scale AI.md")
    start_editing(view, qtbot)
    edit = view.editor.text_edit
    edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(edit, "my edit")
    mine = "# Scale AI\n\nData labelling.\nmy edit"
    theirs = "# Scale AI\n\nData labelling.\nappended from the shell\n"
    file.write_text(theirs, encoding="utf-8")
    qtbot.keyClick(edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    dialog = conflict_dialog(qtbot, view)
    assert "my edit" in dialog.mine_view.toPlainText()
    assert "appended from the shell" in dialog.theirs_view.toPlainText()
    assert "appended from the shell" not in dialog.mine_view.toPlainText()
    assert "1 line differ" in dialog.summary.text()
    assert file.read_text(encoding="utf-8") == theirs  # nothing written while it asks
    with qtbot.waitSignal(dialog.chosen, timeout=2000):
        qtbot.mouseClick(dialog.buttons[choice], Qt.MouseButton.LeftButton)
    drain(qtbot, ctx.tasks)
    on_disk = file.read_text(encoding="utf-8")
    copy = ctx.vault.root / "entities/Scale AI (my version).md"
    if choice == KEEP_MINE:
        qtbot.waitUntil(lambda: not view.has_unsaved_changes(), timeout=5000)
        assert on_disk == mine and view.editor.text() == mine
    elif choice == TAKE_THEIRS:
        assert on_disk == theirs and view.editor.text() == theirs
        assert not view.has_unsaved_changes()
    elif choice == SAVE_COPY:
        qtbot.waitUntil(lambda: view.editor.text() == theirs, timeout=5000)
        assert on_disk == theirs and copy.read_text(encoding="utf-8") == mine
        assert ctx.vault.page_info("entities/Scale AI (my version).md") is not None
        assert not view.has_unsaved_changes()
    else:
        assert on_disk == theirs and view.editor.text() == mine and view.has_unsaved_changes()
    if choice != SAVE_COPY:
        assert not copy.exists()


def test_a_page_deleted_on_disk_while_edited_is_saved_again(view, ctx, qtbot, monkeypatch):
    file = ctx.vault.root / "entities/Scale AI.md"
    open_and_wait(view, qtbot, "entities/Scale AI.md")
    start_editing(view, qtbot)
    edit = view.editor.text_edit
    edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(edit, "kept")
    file.unlink()
    view.on_vault_changed(ctx.vault.refresh())
    qtbot.waitUntil(lambda: "deleted on disk" in view.editor.bar.text(), timeout=5000)
    qtbot.keyClick(edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(view.edits.dialog, QMessageBox), timeout=5000)
    box = view.edits.dialog
    assert "was deleted or moved" in box.text()
    with qtbot.waitSignal(view.page_saved, timeout=5000):
        box.button(QMessageBox.StandardButton.Save).click()  # "Save again"
    assert file.read_text(encoding="utf-8") == "# Scale AI\n\nData labelling.\nkept"
    qtbot.waitUntil(lambda: ctx.vault.page_info("entities/Scale AI.md") is not None)


def test_a_deleted_page_can_be_saved_under_a_new_name(view, ctx, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    file = ctx.vault.root / "entities/Scale AI.md"
    open_and_wait(view, qtbot, "entities/Scale AI.md")
    start_editing(view, qtbot)
    file.unlink()
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *_a, **_k: ("Scale AI, restored", True)))
    view.save()
    qtbot.waitUntil(lambda: isinstance(view.edits.dialog, QMessageBox), timeout=5000)
    moved: list[str] = []
    view.page_requested.connect(lambda path, _h: moved.append(path))
    with qtbot.waitSignal(view.page_saved, timeout=5000):
        view.edits.dialog.button(QMessageBox.StandardButton.SaveAll).click()  # "Save as…"
    new = ctx.vault.root / "entities/Scale AI, restored.md"
    assert new.read_text(encoding="utf-8") == "# Scale AI\n\nData labelling.\n"
    assert not file.exists() and view.editor.path == "entities/Scale AI, restored.md"
    assert moved == ["entities/Scale AI, restored.md"] and not view.has_unsaved_changes()


def test_maybe_close_keeps_unsaved_edits(view, ctx, qtbot, monkeypatch):
    file = ctx.vault.root / "entities/Scale AI.md"
    open_and_wait(view, qtbot, "entities/Scale AI.md")
    start_editing(view, qtbot)
    view.editor.text_edit.setPlainText("draft\n")
    answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert view.maybe_close() is False and view.has_unsaved_changes()
    view.open_page("index.md")  # navigation is refused while the user keeps the edit
    assert view.current_path == "entities/Scale AI.md" and view.editor.text() == "draft\n"
    answer(monkeypatch, QMessageBox.StandardButton.Save)
    closed: list[bool] = []
    assert view.maybe_close(then=lambda: closed.append(True)) is False  # saving, off-thread
    qtbot.waitUntil(lambda: closed == [True], timeout=5000)
    assert file.read_text(encoding="utf-8") == "draft\n" and not view.has_unsaved_changes()


def test_reload_keeps_scroll(view, ctx, qtbot):
    open_and_wait(view, qtbot, SRC)
    bar = view.browser.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    before = bar.value()
    file = ctx.vault.root / SRC
    file.write_text(file.read_text(encoding="utf-8").replace("Filler paragraph 59",
                                                             "Changed paragraph 59"),
                    encoding="utf-8")
    with qtbot.waitSignal(view.page_loaded, timeout=5000):
        view.on_vault_changed(ChangeSummary(modified={SRC}))
    assert "Changed paragraph 59" in view.browser.toPlainText()
    assert bar.value() == before


def test_change_on_disk_while_editing_shows_bar(view, ctx, qtbot):
    file = ctx.vault.root / "entities/Scale AI.md"
    open_and_wait(view, qtbot, "entities/Scale AI.md")
    start_editing(view, qtbot)
    view.on_vault_changed(ChangeSummary(modified={"entities/Scale AI.md"}))
    drain(qtbot, ctx.tasks)
    assert not view.editor.bar.isVisible()  # nothing really changed (e.g. our own save)
    file.write_text("# Scale AI\n\nnew text\n", encoding="utf-8")
    view.on_vault_changed(ChangeSummary(modified={"entities/Scale AI.md"}))
    qtbot.waitUntil(lambda: view.editor.bar.text() == "This page changed on disk.", timeout=5000)
    qtbot.mouseClick(view.editor.bar.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "new text" in view.editor.text(), timeout=5000)
    assert view.editor.text() == "# Scale AI\n\nnew text\n"
    assert not view.editor.bar.isVisible()


def test_deleted_page_shows_notice(view, ctx, qtbot):
    open_and_wait(view, qtbot, "entities/Scale AI.md")
    os.remove(ctx.vault.root / "entities/Scale AI.md")
    view.on_vault_changed(ChangeSummary(removed={"entities/Scale AI.md"}))
    assert view.bar.text() == "This page was deleted."
    assert "Data labelling." in view.browser.toPlainText()  # the last content stays readable


def test_new_link_target_turns_link_into_page_link(view, ctx, qtbot):
    open_and_wait(view, qtbot, SRC)
    assert anchor_urls(view)["MuseSpark"].startswith("wiki:")
    (ctx.vault.root / "Economy of Agents.md").write_text("# Economy of Agents\n", "utf-8")
    summary = ctx.vault.update_paths(["Economy of Agents.md"])
    assert SRC in summary.links_changed
    with qtbot.waitSignal(view.page_loaded, timeout=5000):
        view.on_vault_changed(summary)
    assert anchor_urls(view)["Economy of Agents"] == "wiki:Economy%20of%20Agents.md"


def test_screenshot(view, qtbot, tmp_path):
    open_and_wait(view, qtbot, SRC, terms=["token"])
    out = Path(os.environ.get("PAGE_VIEW_PNG", tmp_path / "page_view.png"))
    assert view.grab().save(str(out))
    assert out.stat().st_size > 10_000


def test_missing_and_binary_pages_give_one_clear_line(view, ctx, qtbot):
    (ctx.vault.root / "broken.md").write_bytes(b"\x00\x01binary\x00")
    open_and_wait(view, qtbot, "broken.md")
    assert "This file looks binary" in view.browser.toPlainText()
    with qtbot.waitSignal(view.status_message) as blocker:
        open_and_wait(view, qtbot, "gone/Nowhere.md")
    assert "This page does not exist" in view.browser.toPlainText()
    assert blocker.args[0].startswith("Cannot show gone/Nowhere.md")
    assert "Traceback" not in view.browser.toPlainText()


def test_image_embed_is_shown(view, ctx, qtbot):
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    assert image.save(str(ctx.vault.root / "entities" / "chart.png"))
    (ctx.vault.root / "entities/Chart page.md").write_text("# Chart\n\n![[chart.png]]\n", "utf-8")
    open_and_wait(view, qtbot, "entities/Chart page.md")
    doc = view.browser.document()
    names = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                names.append(fmt.toImageFormat().name())
            it += 1
        block = block.next()
    assert names == ["vault:entities/chart.png"]  # read off the UI thread, never by path
    loaded = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(names[0]))
    assert loaded is not None and loaded.width() == 40


def test_dark_palette_uses_dark_colours(view, qtbot):
    open_and_wait(view, qtbot, SRC)
    light_link = link_colour(view, "MuseSpark")
    dark = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"),
                         (QPalette.ColorRole.Base, "#1b1d21"),
                         (QPalette.ColorRole.Text, "#e6e6e6")):
        dark.setColor(role, QColor(colour))
    with qtbot.waitSignal(view.page_loaded, timeout=5000):
        view.setPalette(dark)
    dark_link = link_colour(view, "MuseSpark")
    assert light_link.lightness() < 128 < dark_link.lightness()


def link_colour(view: PageView, text: str) -> QColor:
    cursor = view.browser.document().find(text)
    cursor.setPosition(cursor.selectionStart() + 1)
    return cursor.charFormat().foreground().color()


def test_rebuild_reloads_open_page(view, ctx, qtbot):
    open_and_wait(view, qtbot, "entities/Scale AI.md")
    (ctx.vault.root / "entities/Scale AI.md").write_text("# Scale AI\n\nrewritten\n", "utf-8")
    with qtbot.waitSignal(view.page_loaded, timeout=5000):
        view.on_vault_changed(ChangeSummary(rebuilt=True))
    assert "rewritten" in view.browser.toPlainText()
    with qtbot.assertNotEmitted(view.page_loaded, wait=100):
        view.on_vault_changed(ChangeSummary(modified={"index.md"}))


# -- in the window -----------------------------------------------------------------------------
def test_ctrl_e_reads_the_page_source_off_the_ui_thread(qtbot, window, monkeypatch):
    from wiki.vault import editing

    threads: list[bool] = []
    real = editing.read_for_edit

    def spy(*args):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args)

    monkeypatch.setattr(editing, "read_for_edit", spy)
    view = window.session.page_view
    window.activateWindow()
    with qtbot.waitSignal(view.editing_started, timeout=5000):
        qtbot.keyClick(view.browser, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert threads == [False] and view.is_editing()
    assert view.editor.text() == WINDOW_PAGES["index.md"]


def test_created_missing_page_link_turns_into_a_page_link(qtbot, window, vault_dir):
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=5000):
        window.session.navigate("Alpha.md")
    answer_next_dialog(qtbot, QMessageBox.StandardButton.Yes)
    click_window_link(qtbot, window.session.page_view.browser, lambda href: "Nowhere" in href)
    qtbot.waitUntil(lambda: window.session.page_view.current_path == "Nowhere.md", timeout=10_000)
    wait_idle(qtbot, window)
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=5000):
        window.session.go_back()
    hrefs = []
    doc = window.session.page_view.browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if "Nowhere" in href:
                hrefs.append(href)
            it += 1
        block = block.next()
    assert hrefs and all(h.startswith("wiki:") for h in hrefs), hrefs
