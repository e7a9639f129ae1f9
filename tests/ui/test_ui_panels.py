"""The side panels on their own, each on a real temporary vault."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from test_ui_support import PAGES, drain

from ui.context import AppContext
from ui.tasks import Tasks
from ui.views.backlinks_panel import BacklinksPanel, load_neighbourhood
from ui.views.navigator import Navigator
from ui.views.quick_switcher import rank_pages
from ui.views.search_panel import SearchPanel, search_box
from ui.window.history import History, Place
from ui.window.statusbar import StatusBar
from wiki.vault.facade import Vault


@pytest.fixture
def ctx(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    vault = Vault.open(root, create=True)
    vault.refresh()
    tasks = Tasks()
    yield AppContext(vault, tasks, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    drain(qtbot, tasks)
    tasks.close()
    vault.close()


def test_navigator_updates_rows_in_place(qtbot, ctx, vault_dir):
    nav = Navigator(ctx)
    qtbot.addWidget(nav)
    alpha_item = nav._items["Alpha.md"]
    (vault_dir / "notes" / "Aardvark.md").write_text("# Aardvark\n", encoding="utf-8")
    (vault_dir / "Gamma Ray.md").write_text("# A Gamma Ray\n", encoding="utf-8")
    (vault_dir / "index.md").unlink()
    (vault_dir / "people").mkdir()
    (vault_dir / "people" / "Ada.md").write_text("# Ada Lovelace\n", encoding="utf-8")
    with qtbot.waitSignal(nav.count_changed) as counted:
        nav.on_vault_changed(ctx.vault.refresh())
    assert counted.args == [5]
    assert nav._items["Alpha.md"] is alpha_item  # untouched rows are not rebuilt
    assert nav.paths() == ["Alpha.md", "Gamma Ray.md", "notes/Aardvark.md", "notes/Beta.md",
                           "people/Ada.md"]
    groups = [nav.model.item(i).text() for i in range(nav.model.rowCount())]
    assert groups == ["Top level  (2)", "notes  (2)", "people  (1)"]
    nav.filter_edit.setText("bee")  # aliases match too (applied after a short pause)
    qtbot.waitUntil(lambda: not nav.index_of("Alpha.md").isValid(), timeout=2000)
    visible = nav.proxy.mapFromSource(nav._items["notes/Beta.md"].index())
    assert visible.isValid() and not nav.index_of("Alpha.md").isValid()


def test_navigator_emits_page_on_enter(qtbot, ctx):
    nav = Navigator(ctx)
    qtbot.addWidget(nav)
    nav.show()
    nav.show_current("notes/Beta.md")
    with qtbot.waitSignal(nav.page_requested) as opened:
        qtbot.keyClick(nav.tree, Qt.Key.Key_Return)
    assert opened.args == ["notes/Beta.md"]


def test_search_is_debounced_and_reruns_on_change(qtbot, ctx, vault_dir):
    panel = SearchPanel(ctx, search_box())
    qtbot.addWidget(panel)
    qtbot.addWidget(panel.query_edit)
    shown = []
    panel.results_shown.connect(shown.append)
    qtbot.keyClicks(panel.query_edit, "photo*")
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
    qtbot.wait(400)
    assert len(shown) == 1 and shown[0].query == "photo*"  # one query for six keystrokes
    assert [hit.path for hit in panel.model.hits] == ["notes/Beta.md"]
    (vault_dir / "Photos.md").write_text("# Photos\n\nphotography notes\n", encoding="utf-8")
    panel.on_vault_changed(ctx.vault.refresh())
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=5000)
    assert {hit.path for hit in panel.model.hits} == {"notes/Beta.md", "Photos.md"}
    assert panel.isVisible()
    panel.query_edit.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=5000)
    assert not panel.isVisible()  # the page list below gets the room back


def test_links_panel_for_a_hub(qtbot, ctx, vault_dir):
    for n in range(29):
        (vault_dir / "spokes" / f"S{n:02}.md").parent.mkdir(exist_ok=True)
        (vault_dir / "spokes" / f"S{n:02}.md").write_text(f"# Spoke {n}\n\nOn [[Alpha]].\n",
                                                          encoding="utf-8")
    ctx.vault.refresh()
    panel = BacklinksPanel()
    qtbot.addWidget(panel)
    panel.show_neighbourhood(load_neighbourhood(ctx.vault, "Alpha.md"))
    assert "Linked mentions (31)" in panel.toPlainText()  # the graph: tests/ui/test_local_graph.py


def test_quick_switcher_ranking():
    from wiki.core.model import PageInfo

    pages = [PageInfo("Alpha.md", "Alpha"), PageInfo("notes/Beta.md", "Beta page", ("Bee",)),
             PageInfo("Alphabet soup.md", "Alphabet soup"), PageInfo("x/Gamma Ray.md", "Gamma Ray")]
    assert rank_pages("alpah", pages)[0][0].path == "Alpha.md"
    assert rank_pages("alpha", pages)[0][0].path == "Alpha.md"
    assert rank_pages("bee", pages)[0] == (pages[1], "Bee")
    assert rank_pages("gamma", pages)[0][0].path == "x/Gamma Ray.md"
    assert [info.title for info, _ in rank_pages("", pages)][:2] == ["Alpha", "Alphabet soup"]


def test_history_back_forward_and_forget():
    history = History()
    for path in ("a.md", "b.md", "c.md"):
        history.visit(Place(path))
    assert history.back() == Place("b.md")
    history.visit(Place("d.md"))
    assert not history.can_go_forward()
    history.forget({"b.md"})
    assert history.back() == Place("a.md")
    assert history.forward() == Place("d.md")


def test_status_bar_states(qtbot, ctx):
    bar = StatusBar(ctx.tasks)
    qtbot.addWidget(bar)
    bar.show()
    bar.set_activity("compiling")
    ctx.tasks.busy_changed.emit(True)
    ctx.tasks.progress.emit(3, 10, "compiling article 3")
    assert bar.state_label.text() == "compiling"
    assert bar.progress_bar.isVisible() and bar.progress_bar.value() == 3
    assert bar.currentMessage() == "compiling article 3"
    ctx.tasks.busy_changed.emit(False)
    assert bar.state_label.text() == "idle" and not bar.progress_bar.isVisible()
