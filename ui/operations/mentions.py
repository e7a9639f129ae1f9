"""Link an unlinked mention (the links panel's "Link"): the mentioning file gets a
``[[link]]`` on the engine worker (``Vault.link_unlinked_mention``, etag-safe like a save), and
the change summary is broadcast so the panel, the page and the graph refresh what they show."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from wiki.core.model import ChangeSummary, Mention

if TYPE_CHECKING:
    from ui.context import AppContext


def link_mention(ctx: AppContext, mention: Mention, target: str, *,
                 on_done: Callable[[str], None], on_error: Callable[[str], None]) -> bool:
    """Turn ``mention`` of the page ``target`` into a link in ``mention.path``. ``on_done``
    gets one line for the status bar; ``on_error`` a reason (the file changed meanwhile, the
    vault is read-only…): nothing is written then. False when nothing was started."""
    vault = ctx.vault
    if vault.readonly:
        on_error("this vault is open read-only: cannot change its files")
        return False
    source = mention.title or mention.path
    name = vault.label(target)

    def linked(_summary: ChangeSummary) -> None:
        on_done(f"Linked “{name}” in {source}")

    ctx.tasks.run(vault.link_unlinked_mention, mention, target, on_done=linked,
                  on_error=lambda message: on_error(f"Could not link {source}: {message}"))
    return True
