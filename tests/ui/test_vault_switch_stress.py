"""Switching vaults 50 times while the watcher picks up files and searches run: no crash, no
thread or writer lock left behind, and the last vault is the one on screen."""

from __future__ import annotations

import threading

from test_ui_support import PAGES, close_window, make_window, wait_idle

from wiki.vault.facade import Vault

SWITCHES = 50


def make_vaults(tmp_path, count: int = 3):
    roots = []
    for n in range(count):
        root = tmp_path / f"vault{n}"
        for rel, text in PAGES.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text.replace("Alpha", f"Alpha{n}"), encoding="utf-8")
        (root / f"Only in {n}.md").write_text(f"# Vault {n}\n\nmarker{n} page\n",
                                              encoding="utf-8")
        roots.append(root)
    return roots


def live_threads() -> list[str]:
    return sorted(t.name for t in threading.enumerate() if t.is_alive())


def test_fifty_vault_switches_under_watcher_and_search(qtbot, tmp_path):
    roots = make_vaults(tmp_path)
    window = make_window(qtbot, roots[0], tmp_path / "s.ini")
    try:
        qtbot.waitUntil(lambda: window.session.live.watcher is not None, timeout=20_000)
        baseline = live_threads()
        for i in range(1, SWITCHES + 1):
            previous = roots[(i - 1) % len(roots)]
            target = roots[i % len(roots)]
            # the vault being left changes on disk while it closes: its watcher is busy
            (previous / f"churn {i}.md").write_text(f"churn {i} [[Alpha]]\n", encoding="utf-8")
            window.search_box.setText(f"marker{i % len(roots)}")  # a search in flight
            with qtbot.waitSignal(window.vault_opened, timeout=30_000):
                window.open_vault(target)
            window.search_box.setText(f"churn {i - 1}")
            if i % 10 == 0:  # now and then the new vault is fully up before the next switch
                qtbot.waitUntil(lambda: window.session.live.watcher is not None,
                                timeout=20_000)
                (target / f"seen {i}.md").write_text("# Seen\n\nwatched page\n",
                                                     encoding="utf-8")
                qtbot.waitUntil(lambda i=i: window.session.ctx.vault.page_info(
                    f"seen {i}.md") is not None, timeout=20_000)  # the watcher picked it up
        last = roots[SWITCHES % len(roots)]
        wait_idle(qtbot, window)
        qtbot.waitUntil(lambda: window.session.live.watcher is not None, timeout=20_000)
        session = window.session
        assert session.ctx.vault.root == last.absolute()
        qtbot.waitUntil(lambda: session.page_view.current_path is not None, timeout=20_000)
        assert session.ctx.vault.page_info(session.page_view.current_path) is not None
        assert str(last) in window.status.vault_label.text()
        assert window.windowTitle().endswith("Commonplace")
        window.search_box.setText(f"marker{SWITCHES % len(roots)}")
        qtbot.waitUntil(lambda: session.search_panel.last_results is not None and [
            h.path for h in session.search_panel.last_results.hits] == [
            f"Only in {SWITCHES % len(roots)}.md"], timeout=20_000)
        # no thread left behind: the same threads as with one vault open (watchdog's
        # observer and emitters, the worker, the reader), give or take a finishing one
        qtbot.waitUntil(lambda: len(live_threads()) <= len(baseline) + 1, timeout=20_000)
        # every vault left was closed: its writer lock is free again
        for root in roots:
            if root != last:
                other = Vault.open(root)
                try:
                    assert not other.readonly, other.readonly_reason
                finally:
                    other.close()
    finally:
        close_window(window, qtbot)
