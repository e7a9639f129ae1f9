"""A long sentence cut down to the part that names an entity.

The facts keep whole sentences (bounded); an entity page quotes each one around that entity's
own name, so that a sentence naming ten things shows each of them where it is named, not only
its first words.
"""

from __future__ import annotations

import re

_CLAUSE_END = re.compile(r"[,;:—–]\s|\s[—–]\s")


def first_at(text: str, names: list[str]) -> tuple[int, int]:
    """(start, end) of the first of ``names`` in ``text`` (case aside), or (-1, -1)."""
    folded = text.casefold()
    best = (-1, -1)
    for name in names:
        if not name:
            continue
        i = folded.find(name.casefold())
        if i >= 0 and (best[0] < 0 or i < best[0]):
            best = (i, i + len(name))
    return best


def window(text: str, names: list[str], limit: int) -> str:
    """``text`` when it is short; else at most about ``limit`` characters of it that show the
    first of ``names``: from the start of the clause it is in (or a little before it), to the
    end of a clause (or a word), with "…" where it was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    start, end = first_at(text, names)
    if start < 0 or end <= limit - 20:
        return _cut_end(text, 0, limit, max(end, 0))
    begin = 0
    for m in _CLAUSE_END.finditer(text, max(0, start - limit // 2), start):
        begin = m.end()
        break
    if begin == 0 or start - begin > limit // 2:
        begin = text.rfind(" ", 0, max(0, start - 40)) + 1
    return "… " + _cut_end(text, begin, limit - 2, end).lstrip()


def _cut_end(text: str, begin: int, limit: int, keep: int) -> str:
    """``text`` from ``begin``, cut after at most ``limit`` characters (never before ``keep``),
    at the end of a clause when one ends late enough, else at a word."""
    piece = text[begin:]
    if len(piece) <= limit:
        return piece
    cut = piece[:limit]
    clause = max((m.start() for m in _CLAUSE_END.finditer(cut, max(limit // 2, keep - begin))),
                 default=-1)
    if clause > 0:
        return cut[:clause].rstrip() + " …"
    return cut.rsplit(" ", 1)[0].rstrip(",;:—– ") + " …"
