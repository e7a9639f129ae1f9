"""The editor as a user meets it: typing into the real widget in the real window."""

from __future__ import annotations

import json
import threading

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPalette, QPixmap, QTextCursor
from PySide6.QtWidgets import QApplication
from test_ui_support import wait_idle

from ui.views.link_completion import (
    blocks_of,
    headings_of,
    link_context,
    page_suggestions,
)
from wiki.core.model import PageInfo


def edit_page(qtbot, window, path: str):
    view = window.session.page_view
    if view.current_path != path:
        with qtbot.waitSignal(view.page_loaded, timeout=10_000):
            window.session.navigate(path)
    window.activateWindow()
    with qtbot.waitSignal(view.editing_started, timeout=5000):
        qtbot.keyClick(view.browser, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    edit = view.editor.text_edit
    edit.setFocus()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    return view, edit


def type_text(qtbot, edit, text: str) -> None:
    """Type ``text`` key by key (Return for each newline)."""
    for n, line in enumerate(text.split("\n")):
        if n:
            qtbot.keyClick(edit, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(edit, line)


def save(qtbot, view, edit) -> None:
    with qtbot.waitSignal(view.page_saved, timeout=5000):
        qtbot.keyClick(edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


# -- [[ completion ------------------------------------------------------------------------------
def test_link_context_follows_what_is_typed():
    assert link_context("see [[Al", 8).kind == "page"
    assert link_context("see [[Al", 8).typed == "Al"
    heading = link_context("[[Beta#Det", 10)
    assert (heading.kind, heading.target, heading.typed) == ("heading", "Beta", "Det")
    block = link_context("[[Beta#^ab", 10)
    assert (block.kind, block.target, block.typed) == ("block", "Beta", "ab")
    assert link_context("[[Beta^ab", 9).kind == "block"
    assert link_context("[[Beta|shown", 12) is None  # display text: nothing to offer
    assert link_context("[[Beta]] and", 12) is None
    assert link_context("no link", 7) is None


def test_suggestions_offer_names_aliases_and_the_missing_target():
    pages = [PageInfo("notes/Beta.md", "Beta page", aliases=("Bee",)),
             PageInfo("Alpha.md", "Alpha"), PageInfo("old/Alpha.md", "Old alpha")]
    by_alias = page_suggestions("Bee", pages)
    assert by_alias[0].insert == "Beta|Bee" and not by_alias[0].missing
    alphas = [s.insert for s in page_suggestions("alpha", pages)]
    assert "Alpha" in alphas and "old/Alpha" in alphas  # two pages named Alpha: paths
    missing = page_suggestions("Nowhere yet", pages)[-1]
    assert missing.missing and missing.insert == "Nowhere yet"
    body = "# Top\n\n```\n# not a heading\n```\n## Second\n\nA claim. ^claim-1\n"
    assert headings_of(body) == ["Top", "Second"]
    assert blocks_of(body) == [("claim-1", "A claim.")]


def test_typing_double_bracket_picks_a_page_by_alias(qtbot, window, vault_dir):
    view, edit = edit_page(qtbot, window, "Alpha.md")
    completer = view.editor.completer
    type_text(qtbot, edit, "\nAsk the [[")
    assert completer.is_open()  # every page is offered at once
    with qtbot.waitSignal(completer.shown, timeout=2000):
        qtbot.keyClicks(edit, "Be")
    qtbot.keyClicks(edit, "e")
    assert completer.choices()[0] == "Beta|Bee"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert not completer.is_open()
    assert view.editor.text().endswith("Ask the [[Beta|Bee]]")
    assert edit.textCursor().atEnd()
    save(qtbot, view, edit)
    assert (vault_dir / "Alpha.md").read_text(encoding="utf-8").endswith("[[Beta|Bee]]")
    wait_idle(qtbot, window)
    assert any(m.path == "Alpha.md" for m in window.session.ctx.vault.backlinks("notes/Beta.md"))


def test_hash_offers_the_target_headings_and_caret_its_blocks(qtbot, window, vault_dir):
    (vault_dir / "notes" / "Beta.md").write_text(
        "---\naliases: [Bee]\n---\n# Beta page\n\n## Details\n\nA fact. ^fact-1\n\n"
        "## Sources\n", encoding="utf-8")
    window.session.ctx.vault.update_paths(["notes/Beta.md"])
    view, edit = edit_page(qtbot, window, "Alpha.md")
    completer = view.editor.completer
    type_text(qtbot, edit, "\n[[Beta")
    with qtbot.waitSignal(completer.shown, timeout=5000):  # headings are read off-thread
        qtbot.keyClicks(edit, "#")
    assert completer.choices() == ["Beta page", "Details", "Sources"]
    qtbot.keyClicks(edit, "sour")
    assert completer.choices()[0] == "Sources"
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert view.editor.text().endswith("[[Beta#Sources]]")
    qtbot.keyClicks(edit, " and [[Beta#^")
    qtbot.waitUntil(completer.is_open, timeout=5000)
    assert completer.choices() == ["fact-1"]
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert view.editor.text().endswith("[[Beta#Sources]] and [[Beta#^fact-1]]")
    qtbot.keyClicks(edit, " [[Beta|")  # display text: the popup goes away
    assert not completer.is_open()


def test_a_missing_target_can_be_chosen_and_is_shown_as_missing(qtbot, window):
    view, edit = edit_page(qtbot, window, "Alpha.md")
    completer = view.editor.completer
    type_text(qtbot, edit, "\n[[Zebra crossing")
    qtbot.waitUntil(completer.is_open, timeout=2000)
    last = completer.popup.item(completer.popup.count() - 1)
    assert completer.choices()[-1] == "Zebra crossing" and "missing" in last.text()
    assert last.font().italic()
    completer.popup.setCurrentRow(completer.popup.count() - 1)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert view.editor.text().endswith("[[Zebra crossing]]")
    type_text(qtbot, edit, "\n[[Al")
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert not completer.is_open() and view.is_editing()  # Esc closes the popup only


# -- images -------------------------------------------------------------------------------------
def paste_image(qtbot, view, edit) -> str:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a7ae2"))
    mime = QMimeData()
    mime.setImageData(image)
    QApplication.clipboard().setMimeData(mime)
    with qtbot.waitSignal(view.editor.attached, timeout=5000) as saved:
        qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QApplication.clipboard().clear()  # the clipboard owns the data: let it go before exit
    return saved.args[0]


def test_a_pasted_image_lands_on_disk_and_renders(qtbot, window, vault_dir):
    view, edit = edit_page(qtbot, window, "notes/Beta.md")
    type_text(qtbot, edit, "\nA picture: ")
    rel = paste_image(qtbot, view, edit)
    assert rel.startswith("notes/Pasted image ") and rel.endswith(".png")  # next to the page
    saved = QImage(str(vault_dir / rel))
    assert saved.width() == 40 and saved.pixelColor(5, 5) == QColor("#2a7ae2")
    name = rel.rpartition("/")[2]
    assert view.editor.text().endswith(f"A picture: ![[{name}]]")
    save(qtbot, view, edit)
    with qtbot.waitSignal(view.page_loaded, timeout=5000):
        qtbot.keyClick(edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    html = view.browser.toHtml()
    assert "<img" in html and name.replace(" ", "%20") in html
    shown = view.browser.document().resource(2, QUrl.fromLocalFile(str(vault_dir / rel)))
    assert isinstance(shown, QImage | QPixmap) and shown.width() == 40  # the picture shows


def test_pasted_image_goes_to_the_obsidian_attachment_folder(qtbot, window, vault_dir):
    (vault_dir / ".obsidian").mkdir()
    (vault_dir / ".obsidian" / "app.json").write_text(
        json.dumps({"attachmentFolderPath": "assets/img"}), encoding="utf-8")
    view, edit = edit_page(qtbot, window, "notes/Beta.md")
    rel = paste_image(qtbot, view, edit)
    assert rel.startswith("assets/img/Pasted image ") and (vault_dir / rel).is_file()
    assert view.editor.text().endswith(f"![[{rel}]]")  # a path: it is not next to the page
    second = paste_image(qtbot, view, edit)
    assert second != rel and (vault_dir / rel).is_file()  # never over the first one


def test_a_dropped_image_file_is_copied_in_as_an_attachment(qtbot, window, vault_dir, tmp_path):
    picture = tmp_path / "photo.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    image.save(str(picture))
    view, edit = edit_page(qtbot, window, "Alpha.md")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(picture))])
    assert edit.canInsertFromMimeData(mime)
    with qtbot.waitSignal(view.editor.attached, timeout=5000) as saved:
        edit.insertFromMimeData(mime)
    assert saved.args == ["photo.png"] and (vault_dir / "photo.png").read_bytes() == \
        picture.read_bytes()
    assert view.editor.text().endswith("![[photo.png]]") and picture.exists()


# -- highlighting -------------------------------------------------------------------------------
def colour_at(edit, block_number: int, column: int) -> QColor:
    block = edit.document().findBlockByNumber(block_number)
    for fmt in block.layout().formats():
        if fmt.start <= column < fmt.start + fmt.length:
            return fmt.format.foreground().color()
    return QColor()


def test_markdown_is_coloured_in_light_and_dark(qtbot, window):
    view, edit = edit_page(qtbot, window, "notes/Beta.md")
    edit.setPlainText("---\naliases: [Bee]\n---\n# Heading\n\nSee [[Alpha]] and #tag and "
                      "`code`.\n")
    heading = colour_at(edit, 3, 2)
    link = colour_at(edit, 5, 6)
    tag = colour_at(edit, 5, 19)
    front = colour_at(edit, 1, 2)
    plain = colour_at(edit, 5, 1)
    assert heading.isValid() and link.isValid() and tag.isValid() and front.isValid()
    assert len({heading.name(), link.name(), front.name()}) == 3 and not plain.isValid()
    light_link = link.name()
    dark = QPalette(view.palette())
    for role, colour in ((QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#ddd"),
                         (QPalette.ColorRole.Window, "#202020")):
        dark.setColor(role, QColor(colour))
    edit.setPalette(dark)
    view.editor.setPalette(dark)
    qtbot.waitUntil(lambda: view.editor.highlighter.dark, timeout=2000)
    assert colour_at(edit, 5, 6).name() != light_link
    assert colour_at(edit, 5, 6).lightness() > QColor(light_link).lightness()


# -- saves, stamps and new pages ----------------------------------------------------------------
def test_saving_runs_off_the_ui_thread(qtbot, window, monkeypatch, vault_dir):
    from wiki.vault import editing

    threads: list[bool] = []
    real = editing.save_page

    def spy(*args):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args)

    monkeypatch.setattr(editing, "save_page", spy)
    view, edit = edit_page(qtbot, window, "Alpha.md")
    edit.insertPlainText("\n" + "a long line of text " * 100_000)  # a 2 MB page
    qtbot.keyClicks(edit, "end")
    save(qtbot, view, edit)
    assert threads == [False]
    assert (vault_dir / "Alpha.md").read_text(encoding="utf-8").endswith("text end")


def test_the_stamp_line_is_hidden_in_the_editor_but_kept_in_the_file(qtbot, window, vault_dir):
    stamped = ("---\ntype: entity\ncommonplace: sha1-0123456789ab\naliases: [G]\n---\n"
               "# Gamma Ray\n\nGenerated.\n")
    (vault_dir / "Gamma Ray.md").write_text(stamped, encoding="utf-8")
    window.session.ctx.vault.update_paths(["Gamma Ray.md"])
    view, edit = edit_page(qtbot, window, "Gamma Ray.md")
    assert "commonplace:" not in view.editor.text()
    assert view.editor.text() == "---\ntype: entity\naliases: [G]\n---\n# Gamma Ray\n\nGenerated.\n"
    qtbot.keyClicks(edit, "Edited by hand.")
    save(qtbot, view, edit)
    on_disk = (vault_dir / "Gamma Ray.md").read_text(encoding="utf-8")
    assert on_disk == ("---\ntype: entity\ncommonplace: sha1-0123456789ab\naliases: [G]\n---\n"
                       "# Gamma Ray\n\nGenerated.\nEdited by hand.")


def test_a_stamp_only_frontmatter_disappears_from_the_editor(qtbot, window, vault_dir):
    (vault_dir / "Gamma Ray.md").write_text(
        "---\ncommonplace: sha1-0123456789ab\n---\n# Gamma Ray\n", encoding="utf-8")
    window.session.ctx.vault.update_paths(["Gamma Ray.md"])
    view, edit = edit_page(qtbot, window, "Gamma Ray.md")
    assert view.editor.text() == "# Gamma Ray\n"
    qtbot.keyClicks(edit, "more")
    save(qtbot, view, edit)
    assert (vault_dir / "Gamma Ray.md").read_text(encoding="utf-8") == \
        "---\ncommonplace: sha1-0123456789ab\n---\n# Gamma Ray\nmore"


@pytest.mark.parametrize("config, expected", [
    ({}, "Nowhere.md"),
    ({"newFileLocation": "folder", "newFileFolderPath": "Inbox"}, "Inbox/Nowhere.md"),
    ({"newFileLocation": "current"}, "notes/Nowhere.md"),
])
def test_a_missing_link_creates_its_page_where_obsidian_would(qtbot, window, vault_dir,
                                                               monkeypatch, config, expected):
    from PySide6.QtWidgets import QMessageBox
    from test_ui_support import click_link

    if config:
        (vault_dir / ".obsidian").mkdir()
        (vault_dir / ".obsidian" / "app.json").write_text(json.dumps(config), encoding="utf-8")
    (vault_dir / "notes" / "Beta.md").write_text("# Beta page\n\nSee [[Nowhere]].\n",
                                                 encoding="utf-8")
    window.session.ctx.vault.update_paths(["notes/Beta.md"])
    view = window.session.page_view
    with qtbot.waitSignal(view.page_loaded, timeout=10_000):
        window.session.navigate("notes/Beta.md")
    asked: list[str] = []

    def question(_parent, _title, text, *_args, **_kw):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    with qtbot.waitSignal(view.editing_started, timeout=10_000):  # it opens in the editor
        click_link(qtbot, view.browser, lambda href: "Nowhere" in href)
    assert asked and asked[0].endswith(f"It will be saved as {expected}")
    assert view.current_path == expected and view.is_editing()
    assert (vault_dir / expected).read_text(encoding="utf-8") == "# Nowhere\n\n"
    assert window.session.ctx.vault.resolve("Nowhere", "notes/Beta.md") == expected


# -- preview ------------------------------------------------------------------------------------
def test_the_preview_beside_the_editor_shows_the_draft_and_follows_the_cursor(qtbot, window):
    view = window.session.page_view
    with qtbot.waitSignal(view.page_loaded, timeout=10_000):
        window.session.navigate("Alpha.md")
    window.activateWindow()
    preview = view.editor.preview
    with qtbot.waitSignal(preview.rendered, timeout=5000):  # Ctrl+Shift+E opens both
        qtbot.keyClick(view.browser, Qt.Key.Key_E,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert view.is_editing() and view.editor.preview_browser.isVisible()
    assert "Alpha links to Beta" in view.editor.preview_browser.toPlainText()
    edit = view.editor.text_edit
    edit.moveCursor(QTextCursor.MoveOperation.End)
    filler = "".join(f"Filler line {i} about nothing much at all.\n\n" for i in range(80))
    edit.insertPlainText("\n" + filler + "## Far below\n\n" + filler)
    with qtbot.waitSignal(preview.rendered, timeout=5000):
        type_text(qtbot, edit, "typed [[Beta]] last")
    shown = view.editor.preview_browser.toPlainText()
    assert "Far below" in shown and "typed Beta last" in shown
    bar = view.editor.preview_browser.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() > bar.maximum() // 2  # the cursor is at the end
    cursor = edit.textCursor()
    cursor.setPosition(edit.document().find("## Far below").selectionStart())
    edit.setTextCursor(cursor)
    qtbot.waitUntil(lambda: preview.heading_above_cursor() == "Far below", timeout=1000)
    at_heading = bar.value()
    edit.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.waitUntil(lambda: bar.value() < at_heading, timeout=2000)
    assert bar.value() < 40  # at the first heading, the top of the page
    view.editor.text_edit.document().setModified(False)
    view.save()
    qtbot.waitUntil(lambda: not view.has_unsaved_changes(), timeout=5000)
    with qtbot.waitSignal(view.page_loaded, timeout=5000):  # Ctrl+E still switches views
        qtbot.keyClick(edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert not view.is_editing()
    with qtbot.waitSignal(preview.rendered, timeout=5000):
        qtbot.keyClick(view.browser, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert view.editor.preview_browser.isVisible()  # remembered
