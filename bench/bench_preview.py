"""Hover preview: what it costs to preview a page, against rendering the whole page (the
baseline: what the page view does when the link is clicked), measured in the same run.

    QT_QPA_PLATFORM=offscreen python -m bench.bench_preview [--runs 15]

Three pages: a short note, a long article (~200 KB of Markdown) and a page at the reader's
size limit. For each: the engine part (read + render on the reader thread) with and without
``max_chars``, and the UI-thread part (``setHtml`` into a popup-sized ``QTextBrowser``) of each
result. Medians in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from wiki.markup.page_preview import PREVIEW_CHARS
from wiki.markup.vault_page import render_vault_page
from wiki.vault.facade import Vault


def _pages() -> dict[str, str]:
    para = ("The harbour at dawn, where [[Ships]] come in and the [[Market]] opens; "
            "a sentence of ordinary length with **bold** and a #tag in it.\n\n")
    return {
        "Short.md": "# Short\n\nA note of two lines linking [[Ships]].\n",
        "Article.md": "---\ntitle: Article\naliases: [A]\n---\n" + "".join(
            f"## Section {i}\n\n" + para * 6 for i in range(220)),
        "Huge.md": "# Huge\n\n" + para * 30_000,
        "Ships.md": "# Ships\n", "Market.md": "# Market\n",
    }


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication, QTextBrowser

    app = QApplication.instance() or QApplication([])
    browser = QTextBrowser()
    browser.resize(460, 320)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in _pages().items():
            (root / name).write_text(text, encoding="utf-8")
        vault = Vault.open(root)
        vault.refresh()
        print(f"{'page':<12}{'size':>10}  {'render whole':>13}{'preview':>9}{'ratio':>7}"
              f"  {'setHtml whole':>14}{'preview':>9}")
        for name in ("Short.md", "Article.md", "Huge.md"):
            size = (root / name).stat().st_size
            whole = render_vault_page(vault, name)
            part = render_vault_page(vault, name, max_chars=PREVIEW_CHARS)
            t_whole = _median_ms(lambda n=name: render_vault_page(vault, n), args.runs)
            t_part = _median_ms(lambda n=name: render_vault_page(vault, n,
                                                                 max_chars=PREVIEW_CHARS),
                                args.runs)
            h_whole = _median_ms(lambda h=whole.html: (browser.setHtml(h),
                                                       app.processEvents()), args.runs)
            h_part = _median_ms(lambda h=part.html: (browser.setHtml(h),
                                                     app.processEvents()), args.runs)
            ratio = t_whole / t_part if t_part else float("inf")
            print(f"{name:<12}{size:>10,}  {t_whole:>11.1f}ms{t_part:>7.1f}ms{ratio:>6.0f}x"
                  f"  {h_whole:>12.1f}ms{h_part:>7.1f}ms")
        vault.close()


if __name__ == "__main__":
    main()
