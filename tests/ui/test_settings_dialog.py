"""Edit > Settings… (Ctrl+,) on a real vault: theme, page font, folders to ignore, reopening the
last page; each applies live and is there again after a restart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication
from test_ui_support import PAGES, close_window, make_window, wait_idle

from ui import theme
from ui.views.page_browser import DARK, LIGHT


@pytest.fixture(autouse=True)
def _system_theme_after():
    yield
    theme.apply_theme("system")  # the app palette is global: later tests get the usual one


def open_settings(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Comma,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.look.dialog is not None and window.look.dialog.isVisible(),
                    timeout=5000)
    return window.look.dialog


def dark_now() -> bool:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def page_pixel_lightness(window) -> int:
    browser = window.page_view.browser
    image = browser.viewport().grab().toImage()
    return image.pixelColor(5, image.height() - 5).lightness()  # the page's background


def close_dialog(qtbot, dialog) -> None:
    window = dialog.parent()
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.look.dialog is None, timeout=10_000)


def test_dark_theme_applies_live_and_is_remembered(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    window = make_window(qtbot, root, tmp_path / "s.ini")
    try:
        assert not dark_now()
        assert page_pixel_lightness(window) > 200
        dialog = open_settings(qtbot, window)
        dialog.theme.setFocus()
        qtbot.keyClicks(dialog.theme, "Dark")  # a combo box picks by the letters typed
        assert dialog.theme.currentData() == "dark"
        assert dark_now()  # our own palette: the offscreen platform offers no dark one
        qtbot.waitUntil(lambda: DARK["link"] in window.page_view.browser.document()
                        .defaultStyleSheet(), timeout=5000)
        qtbot.waitUntil(lambda: page_pixel_lightness(window) < 60, timeout=5000)
        search_icon = window.search_box.actions()[0].icon().pixmap(16, 16).toImage()
        assert max(search_icon.pixelColor(x, y).lightness() for x in range(16)
                   for y in range(16) if search_icon.pixelColor(x, y).alpha() > 200) > 150
        close_dialog(qtbot, dialog)
        theme.apply_theme("system")  # as a fresh start would find the desktop
        assert not dark_now()
    finally:
        close_window(window, qtbot)
    again = make_window(qtbot, root, tmp_path / "s.ini")  # a restart: dark from the start
    try:
        assert dark_now()
        assert page_pixel_lightness(again) < 60
        dialog = open_settings(qtbot, again)
        qtbot.keyClicks(dialog.theme, "Light")
        assert not dark_now()
        qtbot.waitUntil(lambda: LIGHT["link"] in again.page_view.browser.document()
                        .defaultStyleSheet(), timeout=5000)
        qtbot.wait(QApplication.keyboardInputInterval() + 100)  # a new word, not "LightSystem"
        qtbot.keyClicks(dialog.theme, "System")
        assert dialog.theme.currentData() == "system" and not dark_now()
        close_dialog(qtbot, dialog)
    finally:
        close_window(again, qtbot)


def test_page_font_and_size_apply_to_the_page(qtbot, window, tmp_path):
    dialog = open_settings(qtbot, window)
    dialog.font_size.setFocus()
    dialog.font_size.selectAll()
    qtbot.keyClicks(dialog.font_size, "20")
    qtbot.keyClick(dialog.font_size, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: "font-size: 22pt" in window.page_view.browser.document()
                    .defaultStyleSheet(), timeout=5000)
    families = [f for f in ("DejaVu Serif", "Liberation Serif", "DejaVu Sans Mono")
                if f in QFontDatabase.families()]
    if families:
        dialog.font_family.setFocus()
        dialog.font_family.lineEdit().selectAll()
        qtbot.keyClicks(dialog.font_family.lineEdit(), families[0])
        qtbot.keyClick(dialog.font_family.lineEdit(), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: f"font-family: '{families[0]}'" in window.page_view.browser
                        .document().defaultStyleSheet(), timeout=5000)
        assert window.settings.value("preferences/page_font") == families[0]
    assert int(window.settings.value("preferences/page_size")) == 20
    close_dialog(qtbot, dialog)


def test_ignoring_a_folder_hides_its_pages_everywhere(qtbot, window):
    navigator = window.session.navigator
    assert "notes/Beta.md" in navigator.paths()
    dialog = open_settings(qtbot, window)
    dialog.folders.setFocus()
    qtbot.keyClicks(dialog.folders, "notes/")
    qtbot.mouseClick(dialog.apply_folders, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Ignoring notes" in dialog.folder_status.text(), timeout=20_000)
    assert "1 page(s) hidden" in dialog.folder_status.text()
    qtbot.waitUntil(lambda: "notes/Beta.md" not in navigator.paths(), timeout=10_000)
    assert (window.session.ctx.vault.root / "notes/Beta.md").exists()  # the file stays
    close_dialog(qtbot, dialog)
    window.session.search_panel.search_for("photosynthesis")  # Beta's body
    qtbot.waitUntil(lambda: window.session.search_panel.last_results is not None
                    and window.session.search_panel._shown == "photosynthesis", timeout=10_000)
    assert window.session.search_panel.last_results.hits == []
    wait_idle(qtbot, window)


def test_a_bad_folder_is_refused_and_the_dialog_stays(qtbot, window):
    navigator = window.session.navigator
    dialog = open_settings(qtbot, window)
    dialog.folders.setFocus()
    qtbot.keyClicks(dialog.folders, "../elsewhere")
    close_button = dialog.buttons.buttons()[0]
    qtbot.mouseClick(close_button, Qt.MouseButton.LeftButton)  # Close applies what is typed
    qtbot.waitUntil(lambda: dialog.folder_status.text().startswith("Not applied"),
                    timeout=20_000)
    assert "not a folder inside the vault" in dialog.folder_status.text()
    assert dialog.isVisible()  # nothing was lost: the line can be fixed
    assert "notes/Beta.md" in navigator.paths()
    dialog.folders.selectAll()
    qtbot.keyClicks(dialog.folders, "notes")
    qtbot.mouseClick(close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.look.dialog is None, timeout=20_000)  # closed, once taken
    qtbot.waitUntil(lambda: "notes/Beta.md" not in navigator.paths(), timeout=10_000)
    assert window.session.ctx.vault.ignored_folders() == ("notes",)


def test_last_page_is_reopened_per_vault_unless_turned_off(qtbot, write_files, tmp_path):
    first_root = write_files(PAGES)
    other_root = tmp_path / "other"
    other_root.mkdir()
    (other_root / "index.md").write_text("# Other home\n\n[[Second]]\n", encoding="utf-8")
    (other_root / "Second.md").write_text("# Second\n\nThe other vault.\n", encoding="utf-8")
    settings = tmp_path / "s.ini"

    window = make_window(qtbot, first_root, settings)
    try:
        assert window.session.navigate("Gamma Ray.md")
        # (a page is read off the UI thread: it is the last page once it is shown)
        qtbot.waitUntil(lambda: window.page_view.current_path == "Gamma Ray.md", timeout=20_000)
        with qtbot.waitSignal(window.vault_opened, timeout=20_000):
            window.open_vault(other_root)
        qtbot.waitUntil(lambda: window.page_view is not None
                        and window.page_view.current_path == "index.md", timeout=20_000)
        assert window.session.navigate("Second.md")
        qtbot.waitUntil(lambda: window.page_view.current_path == "Second.md", timeout=20_000)
        wait_idle(qtbot, window)
    finally:
        close_window(window, qtbot)

    window = make_window(qtbot, first_root, settings)
    try:
        assert window.page_view.current_path == "Gamma Ray.md"  # this vault's own last page
        with qtbot.waitSignal(window.vault_opened, timeout=20_000):
            window.open_vault(other_root)
        qtbot.waitUntil(lambda: window.page_view is not None
                        and window.page_view.current_path == "Second.md", timeout=20_000)
        dialog = open_settings(qtbot, window)
        qtbot.mouseClick(dialog.reopen, Qt.MouseButton.LeftButton,
                         pos=QPoint(4, dialog.reopen.height() // 2))
        assert not dialog.reopen.isChecked()
        close_dialog(qtbot, dialog)
        wait_idle(qtbot, window)
    finally:
        close_window(window, qtbot)

    window = make_window(qtbot, first_root, settings)
    try:
        assert window.page_view.current_path == "index.md"  # the home page, as asked
    finally:
        close_window(window, qtbot)
