"""ui.views.navigator in the window: filtering and live insertion, as a user meets them."""

from __future__ import annotations

from ui.views.navigator import Navigator


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
