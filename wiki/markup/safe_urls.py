"""Outside links made safe to hand to the desktop (issue 14): a ``mailto:`` link keeps only the
fields of a plain message.

Mail programs honour more than RFC 6068's fields: ``?attach=/home/me/.ssh/id_rsa`` (Thunderbird,
Evolution, KMail and others take ``attach``, ``attachment`` or ``attachments``) attaches a local
file to the message it opens, so a page could make a click send a private file. Only the fields
below pass; anything else is dropped, however it is spelled (``%61ttach``, ``ATTACH``) or
separated (``&`` or ``;``).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

MAIL_FIELDS = frozenset({"to", "cc", "bcc", "subject", "body", "in-reply-to"})
_SEPARATORS = re.compile(r"[&;]")


def safe_mailto(url: str) -> tuple[str, list[str]]:
    """(the link with only ``MAIL_FIELDS`` kept, the names of the fields dropped)."""
    address, question, query = url.partition("?")
    if not question:
        return url, []
    kept: list[str] = []
    dropped: list[str] = []
    for piece in _SEPARATORS.split(query):
        if not piece:
            continue
        name = unquote(piece.partition("=")[0]).strip().lower()
        if name in MAIL_FIELDS:
            kept.append(piece)
        else:
            dropped.append(name or piece)
    return (address + "?" + "&".join(kept) if kept else address), dropped
