"""Find the articles in one raw text: a list page of titled posts, a social profile, or one article.

Structure is detected from the text alone:

* a **list of posts**: two or more isolated ``•`` lines (no list around them) that read like
  titles (mostly capitalised words, no final full stop), each followed by a long body; the short
  site header before the first one is dropped;
* several ``# Title`` headings (Markdown, or HTML with several ``<h1>``/``<article>``);
* a **profile**: near the top, a ``300 posts`` line and an ``@handle`` line, with the name before
  them and a bio after; every paragraph after that is a post (repeats, such as a pinned post shown
  twice, are dropped);
* otherwise the whole text is one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wiki.compile.reading.clean import norm_line, strip_artefacts, to_blocks
from wiki.compile.types import HEADING, PARA, Article, ArticleMeta, Block

_BULLET_LINE = re.compile(r"^(\s*)[•·▪●]\s*(\S.*)$")
_POST_COUNT = re.compile(r"^[\d.,]+\s*[KkMm]?\s+(?:posts|tweets|toots|notes)$", re.IGNORECASE)
_HANDLE = re.compile(r"^@([A-Za-z0-9_.]{1,40})$")
_H1 = re.compile(r"^#\s+(\S.*?)\s*#*$")
MIN_BODY = 300
MAX_PREAMBLE = 600


@dataclass(slots=True)
class Segment:
    title: str | None
    body: str
    kind: str = "article"
    meta: dict = field(default_factory=dict)


def split_text(text: str, title_hint: str | None = None) -> list[Segment]:
    text = strip_artefacts(text)
    lines = text.split("\n")
    profile = _profile(lines)
    if profile is not None:
        return [profile]
    # lines inside fenced code are code, whatever they look like ("# a comment")
    code = _fenced(lines)
    visible = [("" if i in code else line) for i, line in enumerate(lines)]
    for finder in (_bullet_titles, _h1_titles):
        found = finder(visible, lines)
        if found:
            return found
    return [Segment(title_hint, text)]


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def _fenced(lines: list[str]) -> set[int]:
    """Indexes of the lines of fenced code blocks (fences included)."""
    inside: set[int] = set()
    fence: str | None = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is not None:
            inside.add(i)
            if m and m.group(1)[0] == fence[0] and not line.strip().strip(fence[0]):
                fence = None
        elif m:
            fence = m.group(1)
            inside.add(i)
    return inside


def _bullet_titles(lines: list[str], source: list[str]) -> list[Segment]:
    cands: list[tuple[int, int, str]] = []  # (line index, indent, title)
    for i, line in enumerate(lines):
        m = _BULLET_LINE.match(line)
        if not m:
            continue
        title = norm_line(m.group(2))
        if not _title_like(title):
            continue
        prev = _neighbour(lines, i, -1)
        nxt = _neighbour(lines, i, 1)
        if (prev is not None and _BULLET_LINE.match(prev)) or nxt is None \
                or _BULLET_LINE.match(nxt):
            continue
        cands.append((i, len(m.group(1).expandtabs(4)), title))
    if len(cands) < 2:
        return []
    indent = min(c[1] for c in cands)
    cands = [c for c in cands if c[1] == indent]
    if len(cands) < 2 or len("".join(lines[:cands[0][0]]).strip()) > MAX_PREAMBLE:
        return []
    segments: list[Segment] = []
    for n, (start, _, title) in enumerate(cands):
        end = cands[n + 1][0] if n + 1 < len(cands) else len(lines)
        body = _dedent("\n".join(source[start + 1:end]))
        if len(body.strip()) < MIN_BODY:
            return []
        segments.append(Segment(title, body))
    return segments


def _title_like(text: str) -> bool:
    words = text.split()
    if len(words) < 2 or not 10 <= len(text) <= 250 or text[-1] in ".,;:":
        return False
    long_words = [w.strip("“”‘’\"'():") for w in words if len(w.strip("“”‘’\"'():")) >= 4]
    if not long_words:
        return False
    caps = sum(1 for w in long_words if w[:1].isupper() or w[:1].isdigit())
    return caps / len(long_words) >= 0.6


def _h1_titles(lines: list[str], source: list[str]) -> list[Segment]:
    heads = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _H1.match(line.strip()))]
    if len(heads) < 2 or len("".join(lines[:heads[0][0]]).strip()) > MAX_PREAMBLE:
        return []
    segments: list[Segment] = []
    for n, (start, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        body = "\n".join(source[start + 1:end])
        if len(body.strip()) < 60:
            return []
        segments.append(Segment(norm_line(title), body))
    return segments


def _profile(lines: list[str]) -> Segment | None:
    head = [(i, norm_line(line)) for i, line in enumerate(lines) if line.strip()][:25]
    for k, (i, line) in enumerate(head):
        if not _POST_COUNT.match(line):
            continue
        handle_at = next(((j, h) for j, h in head[k + 1:k + 4] if _HANDLE.match(h)), None)
        if handle_at is None or k == 0:
            continue
        name = head[k - 1][1]
        if len(name) > 60 or len(name.split()) > 6:
            continue
        j, handle_line = handle_at
        handle = "@" + _HANDLE.match(handle_line).group(1)  # type: ignore[union-attr]
        rest = [(n, line) for n, line in head if n > j]
        bio = rest[0][1] if rest and len(rest[0][1]) <= 300 else ""
        skip = {head[k - 1][0], i, j} | ({rest[0][0]} if bio else set())
        posts: list[str] = []
        seen: set[str] = set()
        for para in _paragraphs([("" if n in skip else line) for n, line in enumerate(lines)]):
            key = re.sub(r"\W+", " ", para).strip().casefold()
            if key and key not in seen:
                seen.add(key)
                posts.append(para)
        if not posts:
            return None
        display = name.title() if name == name.lower() else name
        meta = {"name": display, "handle": handle, "bio": bio, "count": line, "posts": posts}
        return Segment(f"Posts by {display} ({handle})", "\n\n".join(posts), "profile", meta)
    return None


def _paragraphs(lines: list[str]) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    for line in lines + [""]:
        text = norm_line(line)
        if text:
            cur.append(text)
        elif cur:
            out.append(" ".join(cur))
            cur = []
    return out


def _neighbour(lines: list[str], i: int, step: int) -> str | None:
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].strip():
            return lines[j]
        j += step
    return None


def _dedent(text: str) -> str:
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(line[cut:] for line in lines)


def articles_from(raw_rel: str, text: str, title_hint: str | None = None,
                  info: ArticleMeta | None = None) -> list[Article]:
    """All articles of one raw file, cleaned into blocks, with titles. ``info`` (what the file
    says about its article: authors, date, ...) goes to the article when the file holds one."""
    articles: list[Article] = []
    for n, seg in enumerate(split_text(text, title_hint)):
        if seg.kind == "profile":
            blocks = _profile_blocks(seg.meta)
            articles.append(Article(seg.title or "Posts", blocks, raw_rel, n, "profile", seg.meta))
            continue
        blocks = to_blocks(seg.body, title=seg.title)
        title = seg.title
        if not title and blocks and _SPEAKER_LABEL.match(blocks[0].text):
            title = _title_from_file(raw_rel)  # a transcript opens with a speaker, not a title
        if not title and blocks:
            first = blocks[0]
            if first.kind == HEADING or (first.kind == PARA and len(first.text) <= 120
                                         and first.text[-1] not in ".,;:"):
                title = first.text
                blocks = blocks[1:]
        if not blocks:
            continue
        title = (title or first_sentence(blocks)).strip() or _file_title(raw_rel, n)
        articles.append(Article(title, blocks, raw_rel, n))
    if info is not None and len(articles) == 1 and articles[0].kind == "article":
        articles[0].info = info
    return articles


def _file_title(raw_rel: str, n: int) -> str:
    """The title of an article that gives none (no heading, no words in its first sentence):
    its file's name, as Obsidian names a note."""
    stem = raw_rel.rpartition("/")[2].rpartition(".")[0] or raw_rel
    return stem if n == 0 else f"{stem} ({n + 1})"


_SPEAKER_LABEL = re.compile(r"^(?:\*\*[^*\n]{2,60}:\*\*|[A-Z][A-Z .'’\-]{2,40}:\s)")


def _title_from_file(raw_rel: str) -> str:
    """"raw/go-time-284.md" -> "Go time 284": a transcript opens with a speaker, not a title."""
    stem = raw_rel.rpartition("/")[2].rpartition(".")[0] or raw_rel
    words = re.sub(r"[-_]+", " ", stem).split()
    return " ".join(words)[:1].upper() + " ".join(words)[1:] if words else stem


def _profile_blocks(meta: dict) -> list[Block]:
    blocks: list[Block] = []
    for post in meta["posts"]:
        blocks.append(Block(HEADING, short_label(post)))
        blocks.extend(to_blocks(post, detect_headings=False))
    return blocks


def first_sentence(blocks: list[Block]) -> str:
    text = next((b.text for b in blocks if b.kind != HEADING), blocks[0].text)
    return short_label(text, 80)


def short_label(text: str, limit: int = 60) -> str:
    """The first sentence of ``text``, cut at a word boundary to at most ``limit`` characters."""
    m = re.match(r"(.+?[.!?:])(?:\s|$)", text)
    sentence = (m.group(1) if m else text).rstrip(".:")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"
