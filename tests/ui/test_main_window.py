"""The main window on a real temporary vault: navigate, search, backlinks, switch, import."""

from __future__ import annotations

import warnings
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from test_ui_support import (
    PAGES,
    answer_next_dialog,
    click_link,
    close_window,
    make_window,
    wait_idle,
)

from ui.views.quick_switcher import QuickSwitcher


def drop_files(window, widget, files: list[Path]) -> None:
    """Drag files over ``widget`` and drop them, delivered like the window system does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    pos = QPointF(widget.mapTo(window, widget.rect().center()))
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    with warnings.catch_warnings():  # PySide marks Qt's only constructor as deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(window.windowHandle(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(window.windowHandle(), drop)


def open_via_navigator(qtbot, win, path: str) -> None:
    index = win.session.navigator.index_of(path)
    assert index.isValid(), path
    rect = win.session.navigator.tree.visualRect(index)
    with qtbot.waitSignal(win.session.page_view.page_loaded, timeout=10_000):
        qtbot.mouseClick(win.session.navigator.tree.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    wait_idle(qtbot, win)


def test_starts_on_index_and_lists_pages_by_folder(window):
    assert window.session.page_view.current_path == "index.md"
    assert "Start at" in window.session.page_view.browser.toPlainText()
    assert set(window.session.navigator.paths()) == set(PAGES)
    model = window.session.navigator.model
    groups = [model.item(i).text() for i in range(model.rowCount())]
    assert groups == ["Top level  (3)", "notes  (1)"]
    assert window.status.count_label.text() == "4 pages"
    assert window.windowTitle().startswith("index")  # the file name, not "# Home"


def test_navigator_link_click_and_back(qtbot, window):
    open_via_navigator(qtbot, window, "Alpha.md")
    assert "Alpha links to" in window.session.page_view.browser.toPlainText()
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        click_link(qtbot, window.session.page_view.browser, lambda href: "Beta" in href)
    assert window.session.page_view.current_path == "notes/Beta.md"
    assert window.session.navigator.tree.currentIndex().data() == "Beta"
    window.activateWindow()
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        qtbot.keyClick(window.session.page_view.browser, Qt.Key.Key_Left,
                       Qt.KeyboardModifier.AltModifier)
    assert window.session.page_view.current_path == "Alpha.md"
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        window.actions_.forward.trigger()
    assert window.session.page_view.current_path == "notes/Beta.md"
    # the mouse's back button works anywhere in the window
    viewport = window.session.navigator.tree.viewport()
    press = QMouseEvent(QMouseEvent.Type.MouseButtonPress, QPointF(5, 5), QPointF(5, 5),
                        Qt.MouseButton.BackButton, Qt.MouseButton.BackButton,
                        Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        QApplication.sendEvent(viewport, press)
    assert window.session.page_view.current_path == "Alpha.md"


def test_search_as_you_type_and_pick_with_keyboard(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    edit = window.session.search_panel.query_edit
    assert edit.hasFocus()
    qtbot.keyClicks(edit, "alpha")
    qtbot.waitUntil(lambda: window.session.search_panel.model.rowCount() >= 2, timeout=10_000)
    hits = window.session.search_panel.model.hits
    assert "alpha" in window.session.search_panel.last_results.query
    assert any('class="match"' in hit.snippet_html for hit in hits)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.session.page_view.current_path == hits[1].path
    assert window.session.page_view._terms == hits[1].terms


def test_search_suggestion_and_error_lines(qtbot, window):
    panel = window.session.search_panel
    qtbot.keyClicks(panel.query_edit, "photosinthesis")
    qtbot.waitUntil(lambda: "Did you mean" in panel.info.text(), timeout=10_000)
    assert panel.model.rowCount() == 0
    panel.info.linkActivated.emit("suggest")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    assert panel.query_edit.text() == panel.last_results.query
    assert panel.model.hits[0].path == "notes/Beta.md"
    panel.query_edit.setText("(alpha")
    qtbot.waitUntil(lambda: "never closed" in panel.info.text(), timeout=10_000)
    assert not panel.results.isVisible()


def test_backlinks_panel_shows_context_and_opens_pages(qtbot, window):
    open_via_navigator(qtbot, window, "Alpha.md")
    text = window.links_panel.toPlainText()
    linked, _, rest = text.partition("Unlinked mentions")
    assert "Linked mentions (2)" in linked
    assert "Beta" in linked and "Beta mentions Alpha in passing." in linked
    assert "index" in linked and "Start at Alpha." in linked
    assert "Gamma Ray" in rest.partition("Outgoing links")[0]
    outgoing = text.partition("Outgoing links (3)")[2]
    assert "Beta" in outgoing and "Gamma Ray" in outgoing
    assert "Nowhere (missing: click to create)" in outgoing
    assert set(window.graph.nodes) == {"Alpha.md", "index.md", "notes/Beta.md", "Gamma Ray.md"}
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        click_link(qtbot, window.links_panel, lambda href: href == "page:notes/Beta.md")
    assert window.session.page_view.current_path == "notes/Beta.md"
    wait_idle(qtbot, window)
    assert window.links_panel.hood.path == "notes/Beta.md"


def test_graph_node_click_opens_page(qtbot, window):
    open_via_navigator(qtbot, window, "Alpha.md")
    point = window.graph.node_position("Gamma Ray.md").toPoint()
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        qtbot.mouseClick(window.graph.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.session.page_view.current_path == "Gamma Ray.md"


def test_quick_switch_by_alias(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(QuickSwitcher)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.query_edit, "bee")
    assert dialog.list.item(0).data(Qt.ItemDataRole.UserRole + 1) == "notes/Beta.md"
    assert "← Bee" in dialog.list.item(0).text()
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    assert window.session.page_view.current_path == "notes/Beta.md"
    qtbot.waitUntil(lambda: window.findChild(QuickSwitcher) is None)  # closed and deleted


def test_create_missing_page_from_its_link(qtbot, window, vault_dir):
    open_via_navigator(qtbot, window, "Alpha.md")
    asked = answer_next_dialog(qtbot, QMessageBox.StandardButton.Yes)
    click_link(qtbot, window.session.page_view.browser, lambda href: "Nowhere" in href)
    qtbot.waitUntil(lambda: window.session.page_view.current_path == "Nowhere.md", timeout=10_000)
    assert asked and "Nowhere" in asked[0]
    assert (vault_dir / "Nowhere.md").read_text(encoding="utf-8").startswith("# Nowhere")
    qtbot.waitUntil(lambda: "Nowhere.md" in window.session.navigator.paths(), timeout=10_000)
    wait_idle(qtbot, window)
    assert "Alpha" in window.links_panel.toPlainText().partition("Unlinked")[0]


def test_create_missing_page_from_links_panel(qtbot, window, vault_dir):
    open_via_navigator(qtbot, window, "Alpha.md")
    click_link(qtbot, window.links_panel, lambda href: href == "create:Nowhere")
    qtbot.waitUntil(lambda: window.session.page_view.current_path == "Nowhere.md", timeout=10_000)
    assert (vault_dir / "Nowhere.md").exists()
    wait_idle(qtbot, window)
    assert "Alpha" in window.links_panel.toPlainText().partition("Unlinked")[0]


def test_vault_changes_on_disk_update_the_panels(qtbot, window, vault_dir):
    open_via_navigator(qtbot, window, "Alpha.md")
    (vault_dir / "notes" / "Delta.md").write_text("# Delta\n\nDelta cites [[Alpha]].\n",
                                                  encoding="utf-8")
    (vault_dir / "Gamma Ray.md").unlink()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "notes/Delta.md" in window.session.navigator.paths(), timeout=10_000)
    assert "Gamma Ray.md" not in window.session.navigator.paths()
    assert window.session.navigator.model.item(1).text() == "notes  (2)"
    wait_idle(qtbot, window)
    linked = window.links_panel.toPlainText().partition("Unlinked")[0]
    assert "Delta" in linked and "Delta cites Alpha." in linked
    assert window.status.count_label.text() == "4 pages"


def test_files_changed_by_another_program_show_up_without_refresh(qtbot, window, vault_dir):
    assert window.session.live.watcher is not None
    open_via_navigator(qtbot, window, "Alpha.md")
    (vault_dir / "notes" / "Epsilon.md").write_text("# Epsilon\n\nEpsilon cites [[Alpha]].\n",
                                                    encoding="utf-8")
    qtbot.waitUntil(lambda: "notes/Epsilon.md" in window.session.navigator.paths(), timeout=15_000)
    qtbot.waitUntil(lambda: "Epsilon cites" in window.links_panel.toPlainText(), timeout=15_000)


def test_drop_a_file_imports_it_and_opens_the_source_page(qtbot, window, tmp_path):
    article = tmp_path / "outside" / "article.txt"
    article.parent.mkdir()
    article.write_text("Tide Pools of Monterey\n\nTide pools are rocky habitats on the coast. "
                       "Sea stars and anemones live in them.\n" * 3, encoding="utf-8")
    before = set(window.session.navigator.paths())
    drop_files(window, window.session.page_view.browser.viewport(), [article])
    qtbot.waitUntil(lambda: window.session.page_view.current_path not in before, timeout=30_000)
    opened = window.session.page_view.current_path
    assert opened in window.session.navigator.paths()
    assert Path(window.session.ctx.vault.root, opened).exists()
    assert "Imported 1 file" in window.status.currentMessage()


def test_layout_is_remembered(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    first = make_window(qtbot, root, tmp_path / "s.ini")
    first.actions_.links.setChecked(False)
    first.resize(720, 520)
    with qtbot.waitSignal(first.session.page_view.page_loaded, timeout=10_000):
        first.session.navigate("Gamma Ray.md")
    wait_idle(qtbot, first)
    close_window(first, qtbot)
    second = make_window(qtbot, root, tmp_path / "s.ini")
    try:
        assert not second.links_panel.isVisible() and second.graph.isVisible()
        assert not second.actions_.links.isChecked()
        assert (second.width(), second.height()) == (720, 520)
        assert second.session.page_view.current_path == "Gamma Ray.md"
    finally:
        close_window(second, qtbot)


def test_open_another_vault_rebinds_every_panel(qtbot, window, tmp_path):
    other = tmp_path / "other vault"
    (other / "topics").mkdir(parents=True)
    (other / "topics" / "Only.md").write_text("# Only page\n\nAlone here.\n", encoding="utf-8")
    old_view = window.session.page_view
    with qtbot.waitSignal(window.vault_opened, timeout=10_000):
        window.open_vault(other)
    qtbot.waitUntil(lambda: window.session.page_view is not old_view
                    and window.session.page_view.current_path == "topics/Only.md", timeout=10_000)
    wait_idle(qtbot, window)
    assert window.session.navigator.paths() == ["topics/Only.md"]
    assert window.status.vault_label.text() == str(other)
    assert window.status.count_label.text() == "1 page"
    assert not window.session.history.can_go_back()
    assert "No other page links here." in window.links_panel.toPlainText()
    qtbot.keyClicks(window.session.search_panel.query_edit, "alone")
    qtbot.waitUntil(lambda: window.session.search_panel.model.rowCount() == 1, timeout=10_000)
    assert window.session.navigator.isVisible()


def test_vault_actions_wait_for_a_vault_and_follow_its_session(qtbot, write_files, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.tasks import Tasks
    from ui.window.main_window import MainWindow

    tasks = Tasks()
    window = MainWindow(tasks, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    try:
        actions = window.actions_.vault_actions()
        assert window.session is None
        assert not any(action.isEnabled() for action in actions.values())
        window.actions_.random.trigger()  # nothing to do, and nothing breaks
        with qtbot.waitSignal(window.ready, timeout=20_000):
            window.open_vault(write_files(PAGES))
        first = window.session
        assert first is not None and first.navigator.isVisible()
        assert window.actions_.home.isEnabled() and window.actions_.refresh.isEnabled()
        other = tmp_path / "second"
        other.mkdir()
        (other / "Solo.md").write_text("# Solo\n", encoding="utf-8")
        with qtbot.waitSignal(window.vault_opened, timeout=20_000):
            window.open_vault(other)
        qtbot.waitUntil(lambda: window.session is not first and window.session is not None
                        and window.session.page_view.current_path == "Solo.md", timeout=20_000)
        wait_idle(qtbot, window)
        with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
            window.actions_.home.trigger()  # one page view answers, not the closed one too
        assert window.session.navigator.paths() == ["Solo.md"]
        assert window.windowTitle().startswith("Solo")
    finally:
        close_window(window, qtbot)


def start_editing_in(qtbot, view) -> None:
    with qtbot.waitSignal(view.editing_started, timeout=5000):
        view.toggle_editor()


def test_closing_the_window_with_unsaved_edits_asks(qtbot, window, vault_dir):
    view = window.session.page_view
    start_editing_in(qtbot, view)
    view.editor.text_edit.setPlainText("# Home\n\ndraft\n")
    asked = answer_next_dialog(qtbot, QMessageBox.StandardButton.Cancel)
    r = window.close()
    assert not r and window.isVisible()
    assert asked and view.has_unsaved_changes()
    asked = answer_next_dialog(qtbot, QMessageBox.StandardButton.Save)
    window.close()  # the save runs off the UI thread; the window closes once it is written
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert (vault_dir / "index.md").read_text(encoding="utf-8") == "# Home\n\ndraft\n"
