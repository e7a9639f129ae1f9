"""Issue 14, items 1 and 10: the page view reads nothing outside the vault.

A note's raw HTML names local files every way it can (``file:``, absolute, ``../`` resolved
against the working directory, ``background=``, ``background-image``, entity-encoded schemes,
``/dev/zero``, a FIFO inside the vault); a known page is swapped for a symlink out of the vault.
Real PageView, real vault, real QTextDocument.
"""

from __future__ import annotations

import os
import time

import pytest
from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from test_ui_support import drain

from ui.context import AppContext
from ui.tasks import Tasks
from ui.views.page_view import PageView
from wiki.vault.editing import EditError, read_for_edit
from wiki.vault.facade import Vault


def _png(path, colour="#cc3333") -> None:
    image = QImage(30, 20, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))


@pytest.fixture
def setting(tmp_path, qtbot, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    _png(outside / "secret.png")
    (outside / "secret.md").write_text("TOP SECRET TEXT\n", encoding="utf-8")
    root = tmp_path / "vault"
    (root / "img").mkdir(parents=True)
    _png(root / "img" / "ok.png", "#3366cc")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # '../outside/secret.png' resolves from here if anything resolves it
    secret = outside / "secret.png"
    entity = "&#102;&#105;&#108;&#101;"  # 'file' as entities
    (root / "hostile.md").write_text(
        "# Hostile\n\n"
        f'<img src="{secret.as_uri()}">\n'
        f'<img src="{secret}">\n'
        '<img src="../outside/secret.png">\n'
        f'<img src="{entity}://{secret}">\n'
        '<img src="/dev/zero">\n'
        f'<table background="{secret}"><tr><td background="{secret}">cell</td></tr></table>\n'
        f'<p style="background-image: url({secret})">styled</p>\n\n'
        f"![md image]({secret.as_uri()}) ![rel](../outside/secret.png)\n\n"
        "![[ok.png]] and <img src=\"img/ok.png\">\n",
        encoding="utf-8")
    os.mkfifo(root / "img" / "pipe.png")
    os.mkfifo(work / "cwd-pipe.png")  # where Qt would look for a relative src on its own
    (root / "fifo.md").write_text("# Fifo\n\n![[pipe.png]] <img src=\"img/pipe.png\"> "
                                  "<img src=\"cwd-pipe.png\">\n", encoding="utf-8")
    (root / "Known.md").write_text("# Known\n\nharmless\n", encoding="utf-8")
    (root / "embeds.md").write_text("# Embeds\n\n![[Known]]\n", encoding="utf-8")
    vault = Vault.open(root, create=True)
    vault.refresh()
    tasks = Tasks()
    ctx = AppContext(vault=vault, tasks=tasks,
                     settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    view = PageView(ctx)
    view.resize(900, 700)
    qtbot.addWidget(view)
    view.show()
    yield view, root, outside
    drain(qtbot, tasks)
    tasks.close()
    vault.close()


def _open(view, qtbot, path):
    with qtbot.waitSignal(view.page_loaded, timeout=10_000):
        view.open_page(path)


def _image_names(doc: QTextDocument) -> list[str]:
    names = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                names.append(fmt.toImageFormat().name())
            it += 1
        block = block.next()
    return names


def _loaded(doc: QTextDocument, name: str) -> bool:
    res = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
    return res is not None and not (isinstance(res, QImage) and res.isNull()) and bool(res)


def test_raw_html_cannot_make_the_view_load_files_outside_the_vault(setting, qtbot):
    view, root, outside = setting
    _open(view, qtbot, "hostile.md")
    doc = view.browser.document()
    view.browser.viewport().repaint()  # lay out and paint: every image is asked for now
    html = doc.toHtml()
    assert str(outside) not in html and "secret.png" not in html
    assert "background" not in html.replace("background-color", "")
    names = _image_names(doc)
    loaded = [n for n in names if _loaded(doc, n)]
    assert loaded == ["vault:img/ok.png", "vault:img/ok.png"]  # only the vault's own image
    for n in names:
        assert n.startswith("vault:") or not _loaded(doc, n)


def test_a_fifo_image_in_the_vault_neither_blocks_nor_loads(setting, qtbot):
    view, root, outside = setting
    started = time.monotonic()
    _open(view, qtbot, "fifo.md")
    view.browser.viewport().repaint()
    assert time.monotonic() - started < 5
    doc = view.browser.document()
    assert not any(_loaded(doc, n) for n in _image_names(doc))


def test_a_page_swapped_for_a_symlink_out_of_the_vault_is_not_read(setting, qtbot):
    view, root, outside = setting
    (root / "Known.md").unlink()
    (root / "Known.md").symlink_to(outside / "secret.md")
    _open(view, qtbot, "Known.md")
    text = view.browser.toPlainText()
    assert "TOP SECRET" not in text and "outside the vault" in text
    _open(view, qtbot, "embeds.md")
    assert "TOP SECRET" not in view.browser.toPlainText()
    with pytest.raises(EditError, match="outside the vault"):
        read_for_edit(root, "Known.md")
