"""Hover previews, bookmarks (Obsidian's bookmarks.json, or QSettings) and recent pages, as a
reader uses them: the mouse, the keys and the menus, on a real temporary vault."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, Qt
from test_ui_support import PAGES, anchor_point, close_window, make_window, wait_idle

CTRL = Qt.KeyboardModifier.ControlModifier

LONG_BETA = PAGES["notes/Beta.md"] + "\n".join(
    f"\nParagraph {i} of the long page, which goes on and on." for i in range(400)) + \
    "\n\nTHE VERY END\n"


def open_page(qtbot, window, path: str) -> None:
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        window.navigate(path)
    wait_idle(qtbot, window)


def test_hovering_a_link_previews_the_start_of_its_page(qtbot, write_files, tmp_path):
    window = make_window(qtbot, write_files({**PAGES, "notes/Beta.md": LONG_BETA}),
                         tmp_path / "s.ini")
    try:
        open_page(qtbot, window, "Alpha.md")
        view = window.session.page_view
        popup = window.reading.preview.popup
        viewport = view.browser.viewport()
        point = anchor_point(view.browser, lambda href: "Beta" in href)
        qtbot.mouseMove(viewport, point)
        qtbot.waitUntil(popup.isVisible, timeout=10_000)
        text = popup.browser.toPlainText()
        assert popup.path == "notes/Beta.md"
        assert "Beta mentions Alpha in passing." in text  # rendered: no [[ ]]
        assert "[[" not in text
        assert "Paragraph 3 " in text and "THE VERY END" not in text  # only the start
        assert popup.width() <= 460 and popup.height() <= 320
        assert not popup.isActiveWindow()  # reading goes on in the page
        # the popup sits next to the pointer
        at = viewport.mapToGlobal(point)
        assert abs(popup.pos().x() - at.x()) < 500 and abs(popup.pos().y() - at.y()) < 400

        # off the link: it goes away
        qtbot.mouseMove(viewport, QPoint(5, viewport.height() - 5))
        qtbot.waitUntil(lambda: not popup.isVisible(), timeout=5000)

        # a missing page has no preview (its status hint says it is missing)
        point = anchor_point(view.browser, lambda href: "Nowhere" in href)
        qtbot.mouseMove(viewport, point)
        qtbot.wait(600)
        assert not popup.isVisible()
        assert "Missing page" in window.status.currentMessage()
    finally:
        close_window(window, qtbot)


def bookmark_titles(window) -> list[str]:
    menu = window.reading.bookmarks.menu
    menu.aboutToShow.emit()
    return window.reading.bookmarks.titles()


def test_bookmarks_in_an_obsidian_vault_use_its_bookmarks_json(qtbot, write_files, tmp_path):
    existing = {"items": [
        {"type": "group", "ctime": 1, "title": "Reading", "items": [
            {"type": "file", "ctime": 2, "path": "Gamma Ray.md"},
            {"type": "file", "ctime": 3, "path": "Alpha.md"}]},
        {"type": "search", "ctime": 4, "query": "tag:#idea"},
        {"type": "file", "ctime": 5, "path": "notes/Beta.md", "subpath": "#Details"},
    ], "someFutureKey": True}
    root = write_files({**PAGES, ".obsidian/bookmarks.json": json.dumps(existing),
                        ".obsidian/app.json": "{}"})
    file = root / ".obsidian" / "bookmarks.json"
    window = make_window(qtbot, root, tmp_path / "s.ini")
    try:
        qtbot.waitUntil(lambda: len(bookmark_titles(window)) == 3, timeout=5000)
        assert bookmark_titles(window) == ["Reading / Gamma Ray", "Reading / Alpha",
                                           "Beta › Details"]
        toggle = window.reading.bookmarks.toggle_action
        # Ctrl+D on the page shown (index): added at the end, everything else kept
        assert not toggle.isChecked()
        qtbot.keyClick(window.session.page_view.browser, Qt.Key.Key_D, CTRL)
        qtbot.waitUntil(lambda: "Bookmarked index" in window.status.currentMessage(),
                        timeout=5000)
        saved = json.loads(file.read_text(encoding="utf-8"))
        assert saved["items"][:3] == existing["items"] and saved["someFutureKey"] is True
        assert saved["items"][3]["type"] == "file" and saved["items"][3]["path"] == "index.md"
        assert isinstance(saved["items"][3]["ctime"], int)
        assert toggle.isChecked()
        assert bookmark_titles(window)[-1] == "index"

        # a bookmark in a group: Ctrl+D on that page drops it from the group
        open_page(qtbot, window, "Alpha.md")
        assert toggle.isChecked()
        qtbot.keyClick(window.session.page_view.browser, Qt.Key.Key_D, CTRL)
        qtbot.waitUntil(lambda: "Removed the bookmark of Alpha" in
                        window.status.currentMessage(), timeout=5000)
        saved = json.loads(file.read_text(encoding="utf-8"))
        assert saved["items"][0]["items"] == [{"type": "file", "ctime": 2,
                                               "path": "Gamma Ray.md"}]
        assert not toggle.isChecked()

        # Obsidian changed the file meanwhile: the menu shows it when it opens
        saved["items"].append({"type": "file", "ctime": 9, "path": "notes/Beta.md"})
        file.write_text(json.dumps(saved), encoding="utf-8")
        qtbot.waitUntil(lambda: "Beta" in bookmark_titles(window), timeout=5000)

        # choosing a bookmark opens its page (a heading bookmark: at the heading)
        action = next(a for a in window.reading.bookmarks.menu.actions()
                      if a.text() == "Reading / Gamma Ray")
        with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
            action.trigger()
        assert window.session.page_view.current_path == "Gamma Ray.md"
    finally:
        close_window(window, qtbot)


def test_a_damaged_bookmarks_json_is_never_overwritten(qtbot, write_files, tmp_path):
    root = write_files({**PAGES, ".obsidian/bookmarks.json": '{"items": [ {"type": "fi'})
    file = root / ".obsidian" / "bookmarks.json"
    window = make_window(qtbot, root, tmp_path / "s.ini")
    try:
        qtbot.keyClick(window.session.page_view.browser, Qt.Key.Key_D, CTRL)
        qtbot.waitUntil(lambda: "left unchanged" in window.status.currentMessage(),
                        timeout=5000)
        assert file.read_text(encoding="utf-8") == '{"items": [ {"type": "fi'
        assert not window.reading.bookmarks.toggle_action.isChecked()
    finally:
        close_window(window, qtbot)


def test_bookmarks_without_obsidian_are_kept_per_vault_across_launches(qtbot, write_files,
                                                                       tmp_path):
    root = write_files(PAGES)
    settings = tmp_path / "s.ini"
    window = make_window(qtbot, root, settings)
    try:
        open_page(qtbot, window, "notes/Beta.md")
        qtbot.keyClick(window.session.page_view.browser, Qt.Key.Key_D, CTRL)
        assert bookmark_titles(window) == ["Beta"]
        assert not (root / ".obsidian").exists()  # not made an Obsidian vault behind its back
        assert not list((root / ".wiki").glob("bookmark*"))  # nor in the cache
    finally:
        close_window(window, qtbot)
    again = make_window(qtbot, root, settings)
    try:
        assert bookmark_titles(again) == ["Beta"]
    finally:
        close_window(again, qtbot)
    other_root = tmp_path / "other"  # a second vault, same settings: its own bookmarks
    other_root.mkdir()
    (other_root / "Solo.md").write_text("# Solo\n", encoding="utf-8")
    third = make_window(qtbot, other_root, settings)
    try:
        assert bookmark_titles(third) == []
    finally:
        close_window(third, qtbot)


def test_recent_pages_lists_the_last_pages_newest_first(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    settings = tmp_path / "s.ini"
    window = make_window(qtbot, root, settings)
    try:
        for path in ("Alpha.md", "notes/Beta.md", "Gamma Ray.md", "Alpha.md"):
            open_page(qtbot, window, path)
        recent = window.reading.recent
        assert recent.titles() == ["Alpha", "Gamma Ray", "Beta", "index"]
        action = next(a for a in recent.menu.actions() if a.text() == "Beta")
        with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
            action.trigger()
        assert window.session.page_view.current_path == "notes/Beta.md"
    finally:
        close_window(window, qtbot)
    (root / "Gamma Ray.md").unlink()  # gone while the app was closed: not listed
    again = make_window(qtbot, root, settings)
    try:
        wait_idle(qtbot, again)
        assert again.reading.recent.titles()[:3] == ["Beta", "Alpha", "index"]
    finally:
        close_window(again, qtbot)


def test_hovering_a_heading_link_previews_that_section(qtbot, write_files, tmp_path):
    pages = {**PAGES, "Reader.md": "# Reader\n\nSee [[Beta#Details|the details]].\n"}
    window = make_window(qtbot, write_files(pages), tmp_path / "s.ini")
    try:
        open_page(qtbot, window, "Reader.md")
        view = window.session.page_view
        popup = window.reading.preview.popup
        point = anchor_point(view.browser, lambda href: "Beta" in href)
        qtbot.mouseMove(view.browser.viewport(), point)
        qtbot.waitUntil(popup.isVisible, timeout=10_000)
        text = popup.browser.toPlainText()
        assert "Beta details about photosynthesis." in text
        assert "Beta mentions" not in text
    finally:
        close_window(window, qtbot)
