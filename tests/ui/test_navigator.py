"""ui.views.navigator in the window: filtering and live insertion, as a user meets them."""

from __future__ import annotations

from test_ui_support import wait_idle

from ui.views.navigator import Navigator, PathRole


def test_navigator_filter_is_debounced_and_restores_open_groups(qtbot, window):
    nav: Navigator = window.session.navigator
    notes = nav.proxy.mapFromSource(nav._groups["notes"].index())
    nav.tree.collapse(notes)
    applied: list[str] = []
    real = nav.proxy.setFilterFixedString
    nav.proxy.setFilterFixedString = lambda text: (applied.append(text), real(text))
    qtbot.keyClicks(nav.filter_edit, "beta")
    qtbot.waitUntil(lambda: applied == ["beta"], timeout=2000)  # once, not per keystroke
    assert not nav.index_of("Alpha.md").isValid() and nav.index_of("notes/Beta.md").isValid()
    nav.filter_edit.clear()
    qtbot.waitUntil(lambda: nav.index_of("Alpha.md").isValid(), timeout=2000)
    top = nav.proxy.mapFromSource(nav._groups[""].index())
    notes = nav.proxy.mapFromSource(nav._groups["notes"].index())
    assert nav.tree.isExpanded(top) and not nav.tree.isExpanded(notes)  # as the user left them
    assert nav.tree.currentIndex() == nav.index_of("index.md")  # the open page stays selected


def test_navigator_inserts_new_pages_in_sorted_place(qtbot, window, vault_dir):
    nav: Navigator = window.session.navigator
    for name in ("Zeta", "Aardvark", "Mu", "Beta page b"):
        (vault_dir / "notes" / f"{name}.md").write_text(f"# {name}\n", encoding="utf-8")
        nav.on_vault_changed(window.session.ctx.vault.update_paths([f"notes/{name}.md"]))
    titles = [nav._groups["notes"].child(i).text()
              for i in range(nav._groups["notes"].rowCount())]
    assert titles == ["Aardvark", "Beta", "Beta page b", "Mu", "Zeta"]  # file names
    assert nav._groups["notes"].text() == "notes  (5)"


def test_down_from_the_filter_box_moves_into_the_list_and_enter_opens(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    session = window.session
    nav: Navigator = session.navigator
    window.activateWindow()
    nav.filter_edit.setFocus()
    qtbot.keyClicks(nav.filter_edit, "a")  # Alpha, Beta, Gamma Ray
    qtbot.keyClick(nav.filter_edit, Qt.Key.Key_Down)  # before the filter's delay ran out
    assert QApplication.focusWidget() is nav.tree
    first = nav.tree.currentIndex()
    assert first.data(PathRole) == "Alpha.md"
    qtbot.keyClick(nav.tree, Qt.Key.Key_Down)
    assert nav.tree.currentIndex().data(PathRole) == "Gamma Ray.md"
    qtbot.keyClick(nav.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.page_view.current_path == "Gamma Ray.md", timeout=10_000)
    nav.filter_edit.setFocus()
    nav.filter_edit.clear()
    qtbot.keyClicks(nav.filter_edit, "bee")  # an alias
    qtbot.keyClick(nav.filter_edit, Qt.Key.Key_Return)  # Enter in the box opens the first match
    qtbot.waitUntil(lambda: session.page_view.current_path == "notes/Beta.md", timeout=10_000)
    wait_idle(qtbot, window)


def test_group_counts_show_the_filtered_numbers(qtbot, window):
    from PySide6.QtCore import Qt

    nav: Navigator = window.session.navigator
    labels = lambda: sorted(g.text() for g in nav._groups.values())  # noqa: E731
    assert labels() == ["Top level  (3)", "notes  (1)"]
    nav.filter_edit.setFocus()
    qtbot.keyClicks(nav.filter_edit, "gamma")
    qtbot.waitUntil(lambda: labels() == ["Top level  (1 of 3)", "notes  (0 of 1)"],
                    timeout=5_000)
    qtbot.keyClick(nav.filter_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: labels() == ["Top level  (3)", "notes  (1)"], timeout=5_000)


def test_the_open_page_stays_highlighted_after_refreshes(qtbot, window, vault_dir):
    session = window.session
    nav: Navigator = session.navigator
    assert session.navigate("notes/Beta.md")
    assert nav.tree.currentIndex().data(PathRole) == "notes/Beta.md"
    # another program renames the page's title (its row moves) and adds pages around it
    page = vault_dir / "notes" / "Beta.md"
    page.write_text("---\ntitle: Aaa Beta\naliases: [Bee]\n---\nBeta, renamed.\n")
    (vault_dir / "notes" / "Aab.md").write_text("# Aab\n")
    qtbot.waitUntil(lambda: nav.index_of("notes/Aab.md").isValid(), timeout=10_000)
    qtbot.waitUntil(lambda: nav.index_of("notes/Beta.md").data() == "Aaa Beta", timeout=10_000)
    assert nav.tree.currentIndex().data(PathRole) == "notes/Beta.md"
    assert nav.tree.selectionModel().isSelected(nav.tree.currentIndex())
    window.actions_.refresh.trigger()  # F5
    wait_idle(qtbot, window)
    assert nav.tree.currentIndex().data(PathRole) == "notes/Beta.md"
    assert nav.tree.selectionModel().isSelected(nav.tree.currentIndex())
