"""Clicks on what Obsidian notes add to a page: tags, task boxes and attachments.

``handle_link`` is called by the page view for every link kind it does not route itself:
a tag asks for a ``tag:`` search (``PageView.tag_requested``), a task box is ticked in the file
off the UI thread (etag-checked like a save) and the page shown again, an attachment inside the
vault opens in the system's app for its type, a foldable callout's title opens or closes it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from wiki.core.fileio import inside
from wiki.vault.tasks import toggle_task

if TYPE_CHECKING:
    from ui.views.page_view import PageView


def handle_link(view: PageView, kind: str, target: str, href: str) -> bool:
    """True when the click was one of ours and has been dealt with."""
    if kind == "tag":
        view.tag_requested.emit(target)
        return True
    if kind == "task":
        _toggle(view, int(target), "task done" in _classes_at(view, href))
        return True
    if kind == "file":
        _open_file(view, target)
        return True
    if kind == "fold":  # a foldable callout's title: open or close it
        view.flipped_callouts ^= {int(target)}
        view.reload(keep_scroll=True)
        return True
    return False


def _classes_at(view: PageView, href: str) -> str:
    """The box's state as rendered: the page's HTML says ``class="task done"`` for it."""
    page_html = getattr(view, "_last_html", "")
    marker = f'href="{href}"'
    at = page_html.find(marker)
    return page_html[max(0, at - 40):at] if at != -1 else ""


def _toggle(view: PageView, line: int, was_done: bool) -> None:
    path = view.current_path
    if path is None or view.is_editing():
        return
    vault = view.ctx.vault

    def job():
        toggle_task(vault.root, path, line, was_done)
        return vault.update_paths([path])  # broadcast: every panel sees the change

    def finished(_summary) -> None:
        if shiboken6.isValid(view):
            view.status_message.emit("Task reopened" if was_done else "Task done")
            view.reload(keep_scroll=True)

    def failed(message: str) -> None:
        if shiboken6.isValid(view):
            view.status_message.emit(f"Task not changed: {message}")
            view.reload(keep_scroll=True)

    view.ctx.tasks.run(job, on_done=finished, on_error=failed)


def _open_file(view: PageView, rel: str) -> None:
    root = os.path.realpath(view.ctx.vault.root)
    real = os.path.realpath(os.path.join(root, *rel.split("/")))
    if not inside(real, root) or not os.path.isfile(real):
        view.status_message.emit(f"No file {rel} in this vault")
        return
    QDesktopServices.openUrl(QUrl.fromLocalFile(real))
    view.external_link.emit(QUrl.fromLocalFile(real).toString())
