"""The links panel shows the real number of unlinked mentions, not the length of the first
page of them."""

from __future__ import annotations

from ui.views.backlinks_panel import BacklinksPanel, load_neighbourhood
from wiki.vault.facade import Vault


def test_unlinked_mentions_heading_counts_them_all(qtbot, write_files):
    files = {"Ada Lovelace.md": "# Ada Lovelace\n"}
    files |= {f"n{i:03}.md": f"Ada Lovelace, note {i}.\n" for i in range(75)}
    vault = Vault.open(write_files(files))
    try:
        vault.refresh()
        panel = BacklinksPanel()
        qtbot.addWidget(panel)
        panel.show_neighbourhood(load_neighbourhood(vault, "Ada Lovelace.md"))
        text = panel.toPlainText()
        assert "Unlinked mentions (75)" in text
        assert "The first 50 of 75." in text
        assert "Ada Lovelace, note 0." in text
    finally:
        vault.close()
