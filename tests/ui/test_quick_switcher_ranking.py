"""The quick switcher on the seed wiki: typing lists good matches only, with their folder,
in a list that never scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ui.views.quick_switcher import PathRole, QuickSwitcher, match_tier
from wiki.markup.pages import iter_page_paths, make_page_info, read_page

SEEDS = Path(__file__).resolve().parent.parent / "data" / "golden" / "seeds"


@pytest.fixture
def switcher(qtbot):
    pages = [make_page_info(read_page(SEEDS, rel)) for rel, _ in iter_page_paths(SEEDS)]
    dialog = QuickSwitcher(pages)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def shown(dialog: QuickSwitcher) -> list[str]:
    return [dialog.list.item(i).text() for i in range(dialog.list.count())]


def paths(dialog: QuickSwitcher) -> list[str]:
    return [dialog.list.item(i).data(PathRole) for i in range(dialog.list.count())]


def test_vibe_lists_vibe_pages_only(qtbot, switcher):
    qtbot.keyClicks(switcher.query_edit, "vibe")
    assert paths(switcher)[0] == "concepts/Vibe coding.md"
    assert shown(switcher)[0] == "Vibe coding  ·  concepts"
    listed = " ".join(shown(switcher))
    for noise in ("Tribe B2", "Vercell", "Move 37", "Steve Jobs", "Nvidia"):
        assert noise not in listed
    assert all("vibe" in text.lower() for text in shown(switcher))


@pytest.mark.parametrize("typed, first", [
    ("anthropic", "organizations/Anthropic.md"),
    ("antrhopic", "organizations/Anthropic.md"),  # a typo still finds it
    ("open ai", "organizations/OpenAI.md"),
    ("karpathy", "people/Andrej Karpathy.md"),
])
def test_the_right_page_comes_first(qtbot, switcher, typed, first):
    qtbot.keyClicks(switcher.query_edit, typed)
    assert paths(switcher)[0] == first
    assert len(paths(switcher)) <= 5  # and not a screenful of noise after it


def test_a_long_title_is_cut_not_scrolled(qtbot, switcher):
    switcher.resize(420, 300)
    qtbot.keyClicks(switcher.query_edit, "alex wang")
    assert len(shown(switcher)) >= 2 and len(shown(switcher)[1]) > 100  # a long source title
    assert switcher.list.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert not switcher.list.horizontalScrollBar().isVisible()
    assert shown(switcher)[1].endswith("·  sources")


def test_enter_opens_the_top_match(qtbot, switcher):
    qtbot.keyClicks(switcher.query_edit, "claude c")
    with qtbot.waitSignal(switcher.page_chosen) as chosen:
        qtbot.keyClick(switcher.query_edit, Qt.Key.Key_Return)
    assert chosen.args == ["products/Claude Code.md"]


def test_weak_matches_are_cut():
    assert match_tier("vibe", "tribe b2") == 0
    assert match_tier("vibe", "move 37") == 0
    assert match_tier("vibe", "vibe coding") > match_tier("vibe", "karpathy on vibe coding") > 0
