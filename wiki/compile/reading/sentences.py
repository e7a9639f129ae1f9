"""Split an article's text into sentences (abbreviations such as "Dr." or "e.g." do not end one)."""

from __future__ import annotations

import re

from wiki.compile.types import CODE, HEADING, Article

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9@])")
_ABBREV = re.compile(r"(?:\b(?:vs|e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Inc|Corp|Ltd|Co|No|"
                     r"approx|cf|al|Fig|Vol)|\b[A-Z])\.$")


def sentences(article: Article) -> list[str]:
    """Body sentences of an article (headings and code excluded), in order."""
    out: list[str] = []
    for block in article.blocks:
        if block.kind not in (HEADING, CODE):
            out.extend(split_sentences(block.text))
    return out


def split_sentences(text: str) -> list[str]:
    out: list[str] = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if out and _ABBREV.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out
