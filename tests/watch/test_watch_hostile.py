"""Issue 14, item 8: an article of HTML nested thousands deep in raw/ does not stop the
watcher's start-up reconcile; the real compiler, a real watcher, a real vault."""

from __future__ import annotations

from support import wait_until

from wiki.core.worker import Worker
from wiki.vault.facade import Vault
from wiki.watch.watcher import VaultWatcher

DEEP = ("<html><head><title>Deep Page</title></head><body>" + "<div>" * 3000
        + "<p>Ada Lovelace wrote the first program for the Analytical Engine.</p>"
        + "</div>" * 3000 + "</body></html>")


def test_a_deeply_nested_article_is_compiled_by_the_start_up_reconcile(vault_dir):
    (vault_dir / "raw").mkdir()
    (vault_dir / "raw/deep.html").write_text(DEEP, encoding="utf-8")
    (vault_dir / "Note.md").write_text("# Note\n\nplain note\n", encoding="utf-8")
    vault = Vault.open(vault_dir)
    worker = Worker()
    messages: list[str] = []
    watcher = VaultWatcher(vault, worker, on_message=messages.append)
    try:
        started = watcher.start()
        assert started is not None
        started.result(120)  # the reconcile finished: no exception, no hang
        assert wait_until(lambda: any("Lovelace" in h.snippet or "Lovelace" in h.title
                                      for h in vault.search("Lovelace").hits), timeout=30)
        assert any(p.startswith("sources/") for p in (i.path for i in vault.pages()))
        (vault_dir / "Later.md").write_text("# Later\n\nwatched afterwards\n", encoding="utf-8")
        assert wait_until(lambda: bool(vault.search("afterwards").hits), timeout=30)
    finally:
        watcher.stop()
        worker.close()
        vault.close()
