"""Change the folders the open vault ignores (Settings > This vault), on the worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.context import AppContext
    from wiki.core.model import ChangeSummary


def set_ignored_folders(ctx: AppContext, folders: list[str], *,
                        on_done: Callable[[tuple[str, ...], str], None],
                        on_error: Callable[[str], None]) -> None:
    """Save the folders and re-read the vault without them; the change summary (pages hidden
    or back) is broadcast to every widget by ``Tasks``. ``on_done(folders as kept, message)``;
    a refused folder name comes to ``on_error`` in one line and changes nothing."""
    vault = ctx.vault

    def done(summary: ChangeSummary) -> None:
        kept = vault.ignored_folders()
        hidden, back = len(summary.removed), len(summary.pages_changed)
        parts = [f"{hidden:,} page(s) hidden"] if hidden else []
        parts += [f"{back:,} page(s) back"] if back else []
        what = ", ".join(kept) if kept else "no folder"
        on_done(kept, f"Ignoring {what}" + (f": {'; '.join(parts)}." if parts else "."))

    ctx.tasks.run(vault.set_ignored_folders, folders, on_done=done, on_error=on_error)
