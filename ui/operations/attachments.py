"""Attach an image to a page: the file is written on the engine worker, then the editor gets
the ``![[…]]`` to insert."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ui.context import AppContext
from wiki.vault.attachment_saving import MAX_ATTACHMENT, embed_for, save_attachment
from wiki.vault.editing import EditError


def attach(ctx: AppContext, page: str, *, name: str, data: bytes | None = None,
           source: Path | None = None, on_done: Callable[[str, str], None],
           on_error: Callable[[str], None]) -> None:
    """Save ``data`` (or a copy of the file ``source``) as an attachment of ``page`` named
    ``name``; ``on_done(embed, saved_path)`` on the UI thread."""
    root = ctx.vault.root

    def job() -> tuple[str, str]:
        payload = data
        if payload is None:
            assert source is not None
            try:
                if source.stat().st_size > MAX_ATTACHMENT:
                    raise EditError(f"{source.name} is larger than "
                                    f"{MAX_ATTACHMENT // (1024 * 1024)} MB")
                payload = source.read_bytes()
            except OSError as exc:
                raise EditError(f"cannot read {source.name}: {exc.strerror or exc}") from exc
        rel = save_attachment(root, page, payload, name)
        return embed_for(page, rel), rel

    ctx.tasks.run(job, on_done=lambda result: on_done(*result),
                  on_error=lambda message: on_error(f"Image not attached: {message}"))
