"""The app on an Obsidian vault, driven like a user: each rendering rule as the QTextDocument
shows it, clicks on tags, task boxes and attachments, F2 rename with link updates, delete with
undo, and the tags pane. Real window, real vault (tests/data/obsidian-syntax), offscreen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QInputDialog, QMessageBox
from test_ui_support import click_link, close_window, make_window, wait_idle

DATA = Path(__file__).resolve().parents[1] / "data" / "obsidian-syntax"
Yes = QMessageBox.StandardButton.Yes


@pytest.fixture
def win(qtbot, tmp_path):
    root = tmp_path / "vault"
    shutil.copytree(DATA, root)
    window = make_window(qtbot, root, tmp_path / "settings.ini", page="notes/Inline.md")
    yield window
    close_window(window, qtbot)


def show(qtbot, window, path: str) -> QTextDocument:
    if window.page_view.current_path != path:
        with qtbot.waitSignal(window.page_view.page_loaded, timeout=10_000):
            window.navigate(path)
    window.page_view.browser.viewport().repaint()
    return window.page_view.browser.document()


def fragments(doc: QTextDocument):
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            yield block, it.fragment()
            it += 1
        block = block.next()


def images(doc: QTextDocument) -> dict[str, QImage | None]:
    out = {}
    for _block, frag in fragments(doc):
        fmt = frag.charFormat()
        if fmt.isImageFormat():
            name = fmt.toImageFormat().name()
            res = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
            out[name] = res if isinstance(res, QImage) and not res.isNull() else None
    return out


def test_lists_are_real_nested_lists(qtbot, win):
    doc = show(qtbot, win, "notes/Lists.md")
    depth = {}
    for block, _frag in fragments(doc):
        if block.textList() is not None:
            depth[block.text()] = block.textList().format().indent()
    assert depth["apples"] == depth["bread"] == 1
    assert depth["conference"] == 2 and depth["very ripe"] == 3
    assert depth["first"] == 1 and depth["four-space child"] == 2
    assert "- apples" not in doc.toPlainText()


def test_tags_are_clickable_and_search_tag(qtbot, win):
    doc = show(qtbot, win, "notes/Tags.md")
    text = doc.toPlainText()
    assert "#project" in text and "#area/home" in text
    headings = list(dict.fromkeys(b.text() for b, _f in fragments(doc)
                                  if b.blockFormat().headingLevel()))
    assert headings == ["A real heading"]  # the tag line is not a heading
    with qtbot.waitSignal(win.session.search_panel.results_shown, timeout=10_000) as shown:
        click_link(qtbot, win.page_view.browser, lambda href: href == "tag:area/home")
    assert win.session.search_panel.query_edit.text() == "tag:area/home"
    assert [h.path for h in shown.args[0].hits] == ["notes/Tags.md"]


def test_clicking_a_task_box_ticks_it_in_the_file(qtbot, win):
    file = win.ctx.vault.root / "notes/Tasks.md"
    doc = show(qtbot, win, "notes/Tasks.md")
    assert "☐ write the report" in doc.toPlainText() and "[ ]" not in doc.toPlainText()
    with qtbot.waitSignal(win.page_view.page_loaded, timeout=10_000):
        click_link(qtbot, win.page_view.browser, lambda href: href == "task:2")
    assert "- [x] write the report" in file.read_text(encoding="utf-8")
    assert "☑ write the report" in win.page_view.browser.toPlainText()
    with qtbot.waitSignal(win.page_view.page_loaded, timeout=10_000):
        click_link(qtbot, win.page_view.browser, lambda href: href == "task:3")
    assert "- [ ] send the invoice" in file.read_text(encoding="utf-8")


def test_a_task_changed_on_disk_meanwhile_is_not_overwritten(qtbot, win):
    file = win.ctx.vault.root / "notes/Tasks.md"
    show(qtbot, win, "notes/Tasks.md")
    file.write_text(file.read_text(encoding="utf-8").replace("- [ ] write the report",
                                                             "written elsewhere"), "utf-8")
    with qtbot.waitSignal(win.page_view.page_loaded, timeout=10_000):
        click_link(qtbot, win.page_view.browser, lambda href: href == "task:2")
    assert "written elsewhere" in file.read_text(encoding="utf-8")
    assert "[x] write" not in file.read_text(encoding="utf-8")


def test_callouts_highlight_strike_footnotes_math_code(qtbot, win):
    doc = show(qtbot, win, "notes/Callouts.md")
    text = doc.toPlainText()
    assert "Mind the gap" in text and "▸" in text and "[!" not in text
    assert "Hidden at first" not in text and "Alias of question" in text  # '-' starts folded
    with qtbot.waitSignal(win.page_view.page_loaded, timeout=10_000):
        click_link(qtbot, win.page_view.browser, lambda href: href == "fold:0")
    assert "Hidden at first" in win.page_view.browser.toPlainText()
    with qtbot.waitSignal(win.page_view.page_loaded, timeout=10_000):
        click_link(qtbot, win.page_view.browser, lambda href: href == "fold:1")
    assert "Alias of question" not in win.page_view.browser.toPlainText()
    doc = show(qtbot, win, "notes/Inline.md")
    text = doc.toPlainText()
    assert "==" not in text and "~~" not in text and "%%" not in text and "$$" not in text
    assert "private comment" not in text and "HTML comment" not in text
    marked = {f.text(): f.charFormat() for _b, f in fragments(doc)}
    assert marked["highlighted"].background().color().name() != "#000000"
    assert marked["highlighted"].background().style() != 0
    assert marked["struck"].fontStrikeOut()
    loaded = images(doc)
    maths = [n for n in loaded if n.startswith("math:")]
    assert len(maths) == 2 and all(loaded[n] is not None for n in maths)
    assert win.page_view.scroll_to_heading("fn:1")  # a footnote reference can be followed
    colours = {f.charFormat().foreground().color().name() for _b, f in fragments(doc)
               if f.text() in ("def", "return")}
    assert colours == {"#008000"}  # Pygments


def test_embeds_images_and_attachments(qtbot, win, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    doc = show(qtbot, win, "notes/Embeds.md")
    loaded = images(doc)
    assert loaded["vault:assets/diagram.png"] is not None
    text = doc.toPlainText()
    assert "call Ada" in text and "Plan the garden" in text and '"nodes"' not in text
    qtbot.waitUntil(lambda: "Outgoing links (6)" in win.links_panel.toPlainText(),
                    timeout=10_000)
    panel = win.links_panel.toPlainText()
    assert "assets/manual.pdf (attachment)" in panel and "missing" not in panel
    click_link(qtbot, win.page_view.browser, lambda href: href == "vault:assets/manual.pdf")
    assert opened == [QUrl.fromLocalFile(str(win.ctx.vault.root / "assets/manual.pdf"))
                      .toString()]
    messages: list[str] = []
    win.page_view.status_message.connect(messages.append)
    with qtbot.waitSignal(win.page_view.page_loaded, timeout=10_000):
        click_link(qtbot, win.page_view.browser,
                   lambda href: href == "wiki:notes/Tasks.md#%5Ecall-ada")
    assert win.page_view.current_path == "notes/Tasks.md"
    assert not any("No heading" in m for m in messages)  # the block's anchor was found
    doc = show(qtbot, win, "notes/sketch.excalidraw.md")
    assert "Kitchen plan" in doc.toPlainText() and "compressed-json" not in doc.toPlainText()


def test_f2_renames_and_updates_links(qtbot, win, monkeypatch):
    root = win.ctx.vault.root
    show(qtbot, win, "notes/Tasks.md")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Chores", True))
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a, **k: asked.append(text) or Yes)
    with qtbot.waitSignal(win.page_view.page_loaded, timeout=10_000):
        win.page_view.browser.setFocus()
        qtbot.keyClick(win.page_view.browser, Qt.Key.Key_F2)
    wait_idle(qtbot, win)
    assert win.page_view.current_path == "notes/Chores.md"
    assert asked and "updates 2 links in 1 file" in asked[0]
    assert not (root / "notes/Tasks.md").exists()
    embeds = (root / "notes/Embeds.md").read_text(encoding="utf-8")
    assert "![[Chores#^call-ada]]" in embeds and "[[Chores#^call-ada|call Ada]]" in embeds
    assert win.windowTitle().startswith("Chores")
    assert "notes/Chores.md" in win.session.navigator.paths() and \
        "notes/Tasks.md" not in win.session.navigator.paths()


def test_delete_and_undo(qtbot, win, monkeypatch):
    root = win.ctx.vault.root
    show(qtbot, win, "notes/Lists.md")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: Yes)
    win.obsidian.delete_action.trigger()
    qtbot.waitUntil(lambda: win.obsidian.undo_button.isVisible(), timeout=10_000)
    assert not (root / "notes/Lists.md").exists()
    qtbot.waitUntil(lambda: "notes/Lists.md" not in win.session.navigator.paths(), timeout=10_000)
    with qtbot.waitSignal(win.page_view.page_loaded, timeout=10_000):
        win.obsidian.undo_button.click()
    assert (root / "notes/Lists.md").read_text(encoding="utf-8").startswith("Shopping")
    assert win.page_view.current_path == "notes/Lists.md"
    qtbot.waitUntil(lambda: "notes/Lists.md" in win.session.navigator.paths(), timeout=10_000)
    assert not win.obsidian.undo_button.isVisible()


def test_tags_pane_counts_nests_and_lists_pages(qtbot, win):
    pane = win.obsidian.tags
    win.obsidian.tags_action.trigger()
    assert win.obsidian.dock.isVisible()
    tags = pane.tags()
    assert tags["area"] == 1 and tags["area/home"] == 1 and tags["todo"] == 1
    assert tags["excalidraw"] == 1
    area = next(pane.tree.topLevelItem(i) for i in range(pane.tree.topLevelItemCount())
                if pane.tree.topLevelItem(i).text(0).startswith("#area "))
    assert area.text(0) == "#area  (1)" and area.child(0).text(0) == "#home  (1)"
    rect = pane.tree.visualItemRect(area)
    qtbot.mouseClick(pane.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert [pane.pages.item(i).text() for i in range(pane.pages.count())] == ["Tags"]
    with qtbot.waitSignal(win.page_view.page_loaded, timeout=10_000):
        item = pane.pages.item(0)
        qtbot.mouseClick(pane.pages.viewport(), Qt.MouseButton.LeftButton,
                         pos=pane.pages.visualItemRect(item).center())
    assert win.page_view.current_path == "notes/Tags.md"
    (win.ctx.vault.root / "notes/New.md").write_text("#area/garden here\n", encoding="utf-8")
    win.session.refresh()
    qtbot.waitUntil(lambda: pane.tags().get("area") == 2, timeout=10_000)
    assert pane.tags()["area/garden"] == 1


def test_a_hidden_tags_pane_rebuilds_only_when_it_is_shown(qtbot, win, monkeypatch):
    """Building the tree reads every page's tags (0.2 s of the UI thread at 13,415 pages):
    a pane nobody looks at must not pay it on every change."""
    from ui.views import tags_pane

    pane = win.obsidian.tags
    assert not win.obsidian.dock.isVisible()  # hidden by default
    builds = []
    real = tags_pane.tag_tree
    monkeypatch.setattr(tags_pane, "tag_tree", lambda pages: builds.append(1) or real(pages))
    (win.ctx.vault.root / "notes/New.md").write_text("#area/garden here\n", encoding="utf-8")
    win.session.refresh()
    qtbot.waitUntil(lambda: win.ctx.vault.page_info("notes/New.md") is not None, timeout=10_000)
    wait_idle(qtbot, win)
    assert builds == []
    win.obsidian.tags_action.trigger()  # shown: built once, with the change
    qtbot.waitUntil(lambda: pane.tags().get("area/garden") == 1, timeout=10_000)
    assert builds == [1] and pane.tags()["area"] == 2


def test_shared_names_show_their_folder_in_the_window(qtbot, tmp_path):
    root = tmp_path / "named"
    for rel, text in {"AFL Harness.md": "# Default\n\n[[projects/a/Todo]] [[projects/b/Todo]]\n",
                      "projects/a/Todo.md": "# Todo\n\nfirst\n",
                      "projects/b/Todo.md": "second, links [[AFL Harness]]\n"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    window = make_window(qtbot, root, tmp_path / "s.ini", page="AFL Harness.md")
    try:
        assert window.windowTitle().startswith("AFL Harness")  # not "Default"
        nav = window.session.navigator
        labels = {nav._items[p].text() for p in nav.paths()}
        assert labels == {"AFL Harness", "Todo (projects/a)", "Todo (projects/b)"}
        qtbot.waitUntil(lambda: "Outgoing links (2)" in window.links_panel.toPlainText(),
                        timeout=10_000)
        panel = window.links_panel.toPlainText()
        assert "Todo (projects/a)" in panel and "Todo (projects/b)" in panel
        doc = show(qtbot, window, "projects/b/Todo.md")
        assert doc.toPlainText().startswith("Todo (projects/b)")  # the inline title
        assert window.windowTitle().startswith("Todo (projects/b)")
    finally:
        close_window(window, qtbot)


def test_code_and_math_follow_a_dark_palette(qtbot, win):
    from PySide6.QtGui import QColor, QPalette

    doc = show(qtbot, win, "notes/Inline.md")
    light_def = next(f.charFormat().foreground().color() for _b, f in fragments(doc)
                     if f.text() == "def")
    dark = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"),
                         (QPalette.ColorRole.Base, "#1b1d21"),
                         (QPalette.ColorRole.Text, "#e6e6e6")):
        dark.setColor(role, QColor(colour))
    with qtbot.waitSignal(win.page_view.page_loaded, timeout=10_000):
        win.page_view.setPalette(dark)
    doc = win.page_view.browser.document()
    win.page_view.browser.viewport().repaint()
    dark_def = next(f.charFormat().foreground().color() for _b, f in fragments(doc)
                    if f.text() == "def")
    assert light_def.name() != dark_def.name() and dark_def.lightness() > 110
    formula = next(img for name, img in images(doc).items() if name.startswith("math:"))
    assert formula is not None
    inked = [formula.pixelColor(x, y) for x in range(formula.width())
             for y in range(formula.height()) if formula.pixelColor(x, y).alpha() > 200]
    assert inked and min(c.lightness() for c in inked) > 128  # light strokes on a dark page
