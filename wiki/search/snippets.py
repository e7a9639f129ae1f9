"""Search-result snippets: plain text with **marks** and escaped HTML, tidied of Markdown noise."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from whoosh.analysis import Token
from whoosh.highlight import SCORE, BasicFragmentScorer, PinpointFragmenter, top_fragments
from whoosh.searching import Searcher

SNIPPET_CHARS = 200
_ON, _OFF = "\x01", "\x02"  # match markers, never present in page text (stripped below)

_CODE_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_WIKI_ALIAS = re.compile(r"!?\[\[([^\]|\n]*)\|([^\]\n]*)\]\]")
_WIKI = re.compile(r"!?\[\[([^\]\n]*)\]\]")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_HEADING = re.compile(r"(^|\n)\s{0,3}#{1,6}\s+")
_NOISE = re.compile(r"\[\[|\]\]|\*\*|__|`+|^\s*[-*+>]\s+|\s[-*+>]\s+", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def _wiki_alias(m: re.Match) -> str:
    """``[[target|text]]`` reads as its text, unless the match is in the target."""
    target, text = m.group(1), m.group(2)
    if _ON in target and _ON not in text:
        return f"{target.rpartition('/')[2]} ({text})"
    return text


def _tidy(marked: str) -> str:
    """Drop Markdown noise from text that may contain match markers; collapse whitespace."""
    t = marked.replace("\x00", "")
    t = _CODE_FENCE.sub(" ", t)
    t = _WIKI_ALIAS.sub(_wiki_alias, t)
    t = _WIKI.sub(lambda m: m.group(1).rpartition("/")[2].replace("#", " › "), t)
    t = _MD_LINK.sub(lambda m: m.group(1), t)
    t = _HEADING.sub(r"\1", t)
    t = _NOISE.sub(" ", t)
    return _SPACE.sub(" ", t).strip()


def render(marked: str) -> tuple[str, str]:
    """(plain with **marks**, HTML with <b class="match">) from text with \\x01/\\x02 markers."""
    text = _tidy(marked)
    plain: list[str] = []
    out: list[str] = []
    inside = False
    for part in re.split(f"([{_ON}{_OFF}])", text):
        if part == _ON:
            inside = True
        elif part == _OFF:
            inside = False
        elif part:
            if inside and part.strip():
                plain.append(f"**{part}**")
                out.append(f'<b class="match">{html.escape(part)}</b>')
            else:
                plain.append(part)
                out.append(html.escape(part))
    return "".join(plain), "".join(out)


def mark_spans(text: str, start: int, end: int, spans: Sequence[tuple[int, int]]) -> str:
    """``text[start:end]`` with each (startchar, endchar) span wrapped in match markers."""
    clean = text
    if _ON in text or _OFF in text:  # marker characters in the page itself: blank them out
        clean = text.replace(_ON, " ").replace(_OFF, " ")
    merged: list[list[int]] = []  # overlapping or touching spans (a word's CJK bigrams) as one
    for s, e in sorted(spans):
        if s < start or e > end:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    parts: list[str] = []
    pos = start
    for s, e in merged:
        parts += [clean[pos:s], _ON, clean[s:e], _OFF]
        pos = e
    parts.append(clean[pos:end])
    return "".join(parts)


def fragment_snippet(text: str, start: int, end: int,
                     spans: Sequence[tuple[int, int]]) -> tuple[str, str]:
    """Snippet for one fragment of ``text``, cut at spaces, with an ellipsis where it is cut."""
    first = min((s for s, _ in spans), default=end)
    last = max((e for _, e in spans), default=start)
    if start > 0:  # do not start or end in the middle of a word
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", last, end)
        end = space if space >= 0 else end
    plain, rich = render(mark_spans(text, start, end, spans))
    if text[:start].strip(" \t\r\n#>*-"):
        plain, rich = "…" + plain, "…" + rich
    if end < len(text.rstrip()):
        plain, rich = plain + "…", rich + "…"
    return plain, rich


def body_start(body: str, limit: int = SNIPPET_CHARS) -> tuple[str, str]:
    """The beginning of a body, tidied, cut at a word boundary near ``limit`` characters."""
    raw = body[: limit * 3]
    text = _tidy(raw.replace(_ON, " ").replace(_OFF, " "))
    cut = len(text) > limit or len(body) > len(raw)
    if len(text) > limit:
        text = text[:limit]
        space = text.rfind(" ")
        if space > limit // 2:
            text = text[:space]
    if cut:
        text += "…"
    return text, html.escape(text)


_FRAGMENTER = PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=70)
_SCORER = BasicFragmentScorer()
MAX_HIGHLIGHT_TERMS = 64  # a prefix like "a*" expands to many terms: highlight the first ones


def term_chars(searcher: Searcher, field: str, terms: Iterable[bytes],
               docnums: Sequence[int]) -> dict[int, dict[str, list[tuple[int, int]]]]:
    """For each document, where each term occurs in ``field``: {docnum: {term: [(start, end)]}}.

    Reads the character offsets stored in the postings (``chars=True``) of only these documents,
    so nothing is re-tokenised.
    """
    out: dict[int, dict[str, list[tuple[int, int]]]] = {d: {} for d in docnums}
    wanted = sorted(set(docnums))
    reader = searcher.reader()
    for i, bterm in enumerate(terms):
        if i >= MAX_HIGHLIGHT_TERMS:
            break
        if not reader.doc_frequency(field, bterm):
            continue
        m = searcher.postings(field, bterm)
        for docnum in wanted:
            if not m.is_active():
                break
            if m.id() < docnum:
                m.skip_to(docnum)
                if not m.is_active():
                    break
            if m.id() == docnum:
                text = bterm.decode("utf-8") if isinstance(bterm, bytes) else bterm
                out[docnum][text] = [(s, e) for _, s, e in m.value_as("characters")]
    return out


def whole_runs(chars: dict[str, list[tuple[int, int]]],
               runs: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """``chars`` with the bigrams of each query run of Chinese (Japanese, Thai...) text only
    where the whole run stands: 公用 of the query 公用語 is not marked in 公用文."""
    out = dict(chars)
    alone = {r for r in runs if len(r) <= 2}  # a query word that is one bigram: everywhere
    for run in runs:
        if len(run) <= 2:
            continue
        grams = [run[i:i + 2] for i in range(len(run) - 1)]
        starts = [{s for s, _ in chars.get(g, ())} for g in grams]
        found = sorted(s for s in starts[0] if all(s + i in starts[i] for i in range(len(grams))))
        for g in grams:
            if g not in alone:
                out.pop(g, None)
        if found:
            out[run] = [(s, s + len(run)) for s in found]
    return out


def hit_snippet(body: str, chars: dict[str, list[tuple[int, int]]]) -> tuple[str, str]:
    """The best ~200-character fragment of ``body`` around these matches (or its start)."""
    tokens = []
    for word, spans in chars.items():
        for start, end in spans:
            if end > _FRAGMENTER.charlimit:
                break
            tokens.append(Token(text=word, startchar=start, endchar=end, boost=1.0))
    if not tokens:
        return body_start(body)
    tokens.sort(key=lambda t: (t.startchar, -t.endchar))
    frags = top_fragments(_FRAGMENTER.fragment_matches(body, tokens), 1, _SCORER, SCORE)
    if not frags:
        return body_start(body)
    fr = frags[0]
    return fragment_snippet(body, fr.startchar, fr.endchar,
                            [(t.startchar, t.endchar) for t in fr.matches])
