"""User actions on one page: create it, save it (and the ways out of a save conflict).

Each function runs the file work and the index update on the engine worker, broadcasts the
change summary (``Tasks.broadcast``) and answers on the UI thread, as Anki's ``aqt.operations``
do: no widget repeats this glue. Nothing here ever overwrites a file it did not mean to: a save
is checked against the etag taken when editing began.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ui.context import AppContext
from wiki.core.model import ChangeSummary
from wiki.core.stamp import HiddenStamp
from wiki.vault import editing
from wiki.vault.editing import EditConflict, EditError, Etag
from wiki.vault.obsidian_settings import new_note_path

OnError = Callable[[str], None]


def page_title(target: str) -> str:
    """The title a new page gets from the link or name it was made from."""
    return target.replace("\\", "/").rpartition("/")[2].removesuffix(".md").strip() or "Untitled"


def new_page_in(folder: str, name: str) -> str:
    """The path of a page called ``name`` in ``folder`` (file-system safe)."""
    rel = editing.new_page_path(name)
    return f"{folder}/{rel}" if folder else rel


def create_page(ctx: AppContext, target: str, *, current_page: str | None = None,
                rel: str | None = None, on_done: Callable[[str], None],
                on_error: OnError) -> str:
    """Create the page a missing link (or File > New Page) names, where Obsidian would put it
    (or at ``rel`` when the caller already said where), never overwriting one that exists;
    index it; ``on_done(path)``. Returns the path."""
    vault = ctx.vault
    rel = rel or new_note_path(vault.root, target, current_page)
    title = page_title(target)

    def job() -> ChangeSummary:
        if not (vault.root / rel).exists():
            editing.create_page(vault.root, rel, title)
        return vault.update_paths([rel])

    ctx.tasks.run(job, on_done=lambda _summary: on_done(rel),
                  on_error=lambda message: on_error(f"Could not create {rel}: {message}"))
    return rel


@dataclass(frozen=True, slots=True)
class Loaded:
    """A page as the editor shows it: the stamp line of generated pages taken out."""

    path: str
    text: str
    etag: Etag
    stamp: HiddenStamp | None = None


def read_for_edit(root: Path, path: str) -> Loaded:
    """Runs on the reader thread."""
    from wiki.core.stamp import hide_stamp

    text, etag = editing.read_for_edit(root, path)
    shown, stamp = hide_stamp(text)
    return Loaded(path, shown, etag, stamp)


def load_for_edit(ctx: AppContext, key: str, path: str, *, on_done: Callable[[Loaded], None],
                  on_error: OnError) -> None:
    ctx.tasks.query(key, read_for_edit, ctx.vault.root, path, on_done=on_done,
                    on_error=on_error)


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    """What became of a save. ``saved``: ``etag`` is the file's new etag. ``conflict``: the
    file changed on disk; ``theirs`` is what it holds now. ``deleted``: the file is gone."""

    path: str
    status: str  # saved | conflict | deleted
    etag: Etag | None = None
    theirs: Loaded | None = None


def _save_job(ctx: AppContext, path: str, text: str, expected: Etag | None,
              stamp: HiddenStamp | None) -> tuple[SaveOutcome, ChangeSummary | None]:
    root = ctx.vault.root
    data = stamp.restore(text) if stamp else text
    try:
        etag = editing.save_page(root, path, data, expected)
    except EditConflict:
        if not (root / path).exists():
            return SaveOutcome(path, "deleted"), None
        return SaveOutcome(path, "conflict", theirs=read_for_edit(root, path)), None
    return SaveOutcome(path, "saved", etag), ctx.vault.update_paths([path])


def save_page(ctx: AppContext, path: str, text: str, expected: Etag | None, *,
              stamp: HiddenStamp | None = None, on_done: Callable[[SaveOutcome], None],
              on_error: OnError) -> None:
    """Write ``text`` to ``path`` if the file still is what ``expected`` says (None: it must
    not exist), off the UI thread; then index it. A large page never stalls typing."""

    def done(result: tuple[SaveOutcome, ChangeSummary | None]) -> None:
        outcome, summary = result
        if summary is not None:
            ctx.tasks.broadcast(summary)
        on_done(outcome)

    ctx.tasks.run(_save_job, ctx, path, text, expected, stamp, on_done=done,
                  on_error=lambda message: on_error(f"Not saved: {message}"))


def copy_name(path: str, exists: Callable[[str], bool]) -> str:
    """``folder/Page (my version).md``, numbered when that is taken too."""
    folder, _, name = path.rpartition("/")
    stem = name.removesuffix(".md")
    for n in range(1, 1000):
        label = "my version" if n == 1 else f"my version {n}"
        candidate = f"{stem} ({label}).md"
        rel = f"{folder}/{candidate}" if folder else candidate
        if not exists(rel):
            return rel
    raise EditError(f"too many copies of {path}")


def save_copy(ctx: AppContext, path: str, text: str, *, on_done: Callable[[str], None],
              on_error: OnError) -> None:
    """Save ``text`` as a new page next to ``path`` (never over an existing file);
    ``on_done(new_path)``."""
    root = ctx.vault.root

    def job() -> tuple[str, ChangeSummary]:
        for _attempt in range(5):
            rel = copy_name(path, lambda r: (root / r).exists())
            try:
                editing.save_page(root, rel, text, None)
            except EditConflict:  # created meanwhile by someone else: take the next name
                continue
            return rel, ctx.vault.update_paths([rel])
        raise EditError(f"could not find a free name next to {path}")

    def done(result: tuple[str, ChangeSummary]) -> None:
        rel, summary = result
        ctx.tasks.broadcast(summary)
        on_done(rel)

    ctx.tasks.run(job, on_done=done,
                  on_error=lambda message: on_error(f"Not saved: {message}"))
