"""ui.window.layout: panel visibility and splitter sizes survive a restart."""

from __future__ import annotations

from test_ui_support import PAGES, close_window, make_window


def test_hidden_sidebar_and_splitter_sizes_are_restored(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    first = make_window(qtbot, root, tmp_path / "s.ini")
    first.layout_.main.setSizes([200, 800, 300])
    sizes = first.layout_.main.sizes()
    first.actions_.sidebar.setChecked(False)
    close_window(first, qtbot)
    second = make_window(qtbot, root, tmp_path / "s.ini")
    try:
        assert not second.layout_.left.isVisible() and not second.actions_.sidebar.isChecked()
        second.actions_.sidebar.setChecked(True)
        assert second.layout_.left.isVisible()
        assert second.layout_.main.sizes()[0] >= 100, (second.layout_.main.sizes(), sizes)
        # (it was 0 wide)
    finally:
        close_window(second, qtbot)
