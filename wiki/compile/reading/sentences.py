"""Split an article's text into sentences (abbreviations such as "Dr." or "e.g." do not end one)."""

from __future__ import annotations

import re

from wiki.compile.types import CODE, HEADING, Article

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9@])")
_ABBREV = re.compile(r"(?:\b(?:vs|e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Inc|Corp|Ltd|Co|No|"
                     r"approx|cf|al|Fig|Vol)|\b[A-Z])\.$")


def ends_abbreviated(text: str) -> bool:
    """``text`` ends with an abbreviation ("Dr.", "e.g.", an initial) rather than a sentence.
    Only its last characters are looked at: a run of pieces joined after "A. A. A. …" must not
    be searched whole again at every step (that was quadratic)."""
    tail = text[-_TAIL:]
    m = _ABBREV.search(tail)
    if m is None:
        return False
    # the word boundary at the start of the tail must be one in the whole text too
    return m.start() > 0 or len(text) <= _TAIL or not text[-_TAIL - 1].isalnum()


_TAIL = 16  # longer than the longest abbreviation ("approx.") with its boundary


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
        if out and ends_abbreviated(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


_NOT_PROSE = re.compile(
    r"`(?![A-Z][a-z]+(?: [A-Z][a-z]+)*`)[^`\n]*`"  # inline code (not a plain name: `Melodie`)
    r"|!\[[^\[\]\n]*\]\([^)\n]*\)"  # an image
    r"|(?<=\])\([^)\s]*\)|(?<=\])\[[^\[\]\n]*\]"  # a link's target: [text](url), [text][ref]
    r"|<[^<>\n]{1,300}>"  # an HTML tag, an autolink
    r"|\bhttps?://\S+|\bwww\.\S+"  # a bare URL
    r"|\$\$[^$]*\$\$|(?<![\w$])\$[^$\s][^$\n]{0,200}?\$(?!\w)"  # math
    r"|\{\{[^}]*\}\}|\{%[^%]*%\}"  # template shortcodes
    r"|\[\^?\d+\]"  # footnote marks
    r"|\\\[[^\]\n]{0,120}\\\]"  # a transcript's annotations: \[laughter\], \[02:01\]
)


def prose(sentence: str) -> str:
    """The sentence without what is not prose: inline code, link targets, images, HTML tags,
    URLs, math and template shortcodes (each replaced by a mark no name runs across); a plain
    name in backticks (`` `Melodie` ``) stays."""
    if sentence.count("|") >= 3:
        return ""  # a row of a Markdown table: cells of data, not sentences
    if not any(c in sentence for c in "`[<$/{"):
        return sentence
    text = _NOT_PROSE.sub(" ¦ ", sentence)  # "¦" keeps the words on either side apart
    return text.replace("[", " ").replace("]", " ").replace("`", " ¦ ")


# (a link's text holds no "[": one "[" after another must not be scanned to the end each time)
_LINK_MD = re.compile(r"!?\[([^\[\]\n]*)\]\([^)\n]*\)|!?\[([^\[\]\n]*)\]\[[^\[\]\n]*\]")
_ANNOTATION = re.compile(r"(?<!\s)\s*\\\[[^\[\]\n]{0,120}\\\]")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")


def plain(sentence: str) -> str:
    """The sentence as a reader sees it quoted: links as their text, no emphasis marks, no
    transcript annotations (\\[applause\\])."""
    if not any(c in sentence for c in "[*_\\"):
        return sentence
    text = _LINK_MD.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), sentence)
    text = _ANNOTATION.sub("", text)
    return " ".join(_EMPHASIS.sub("", text).split())
