"""Clean scraped text into blocks: drop citation artefacts, recover headings and lists."""

from __future__ import annotations

import re

from wiki.compile.types import BULLET, CODE, HEADING, NUMBER, PARA, Block

_ARTEFACTS = re.compile(
    r":?contentReference\[oaicite:\d+\]\{index=\d+\}"
    r"|\[oaicite:\d+\]|【\d+(?::\d+)?†[^】]*】|\ue200cite\ue202[^\ue201]*\ue201"
    r"|\bcite(?:turn\d+\w+\d+)+"
)
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BULLET = re.compile(r"^\s*(?:[•·▪◦●‣∙]|[-*+–](?=\s))\s*")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_SECTION_WORDS = re.compile(
    r"^(?:tl;?\s?d[rw]\b.*|tldw\b.*|tldr\b.*|key takeaways?|takeaways|summary|detailed summary.*"
    r"|thoughts(?: and analysis)?|final thoughts.*|conclusions?|wrap[- ]?up|introduction|overview"
    r"|highlights|key points|background|notes|analysis|in brief|abstract)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|posted by|written by|words by|reporting by|story by)\s+[A-Z]",
                     re.IGNORECASE)
# Lines a copied web page leaves behind: menus, share buttons, ads, newsletter pitches, credits
_CHROME = re.compile(
    r"^(?:skip to (?:main )?content|menu|search|sign in|log in|login|sign up|register|subscribe"
    r"(?: now)?|advertisement|sponsored(?: content)?|share(?: this(?: article| story| post"
    r"| page)?)?|share on [\w.]+(?: [\w.]+)?|share via \w+|tweet|email|print|copy link"
    r"|related(?: articles| stories| posts| content)?|most (?:read|popular)|trending(?: now)?"
    r"|back to top|next article|previous article|\d+ comments?|comments|leave a (?:comment|reply)"
    r"|sign up for (?:our|the) [\w ]{0,30}newsletter|accept(?: all)?(?: cookies)?"
    r"|cookie (?:settings|preferences|policy))$"
    r"|^(?:read more|see also|also read|related|recommended|more from [\w ]{1,30})\s*:.{0,150}$"
    r"|^(?:©|\(c\)|copyright\b).{0,150}$|^.{0,120}\ball rights reserved\.?$"
    r"|^(?:image|photo|photograph|picture|video)(?: credit)?\s*:.{0,300}$"
    r"|^.{0,100}\bdelivered (?:straight )?to your inbox\b.{0,60}$"
    r"|^[A-Z][\w&' ]{0,25}(?: [|›»>/] [A-Z][\w&' ]{0,25})+$",  # "Business | Technology"
    re.IGNORECASE)
# A list of other stories at the end of a copied page: what follows is not the article
_TAIL = re.compile(r"^(?:related(?: articles| stories| posts| content)?|more stories|read next"
                   r"|recommended(?: for you)?|you may also like|more from [\w ]{1,30}"
                   r"|most (?:read|popular))$", re.IGNORECASE)
_DATELINE = re.compile(r"^(?:published|updated|last updated|posted|first published)\b",
                       re.IGNORECASE)
# (not "Overview": in a paper or a manual that is a section about the parts, not a summary)
SUMMARY_HEADING = re.compile(r"^(?:tl;?\s?d[rw]|tldw|tldr|summary|in brief|abstract)\b",
                             re.IGNORECASE)
KEYPOINTS_HEADING = re.compile(r"\b(?:takeaways?|key points|highlights|key ideas)\b",
                               re.IGNORECASE)


_REF_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]{1,200}\]:\s*\S+")


def is_definitions(text: str) -> bool:
    """A block of link or footnote definitions ("[bc]: http://…"): not text to summarise."""
    return bool(_REF_DEFINITION.match(text))


def strip_artefacts(text: str) -> str:
    """Remove citation artefacts and invisible characters; normalise line ends and spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ARTEFACTS.sub("", text)
    text = _INVISIBLE.sub("", text)
    return text


def norm_line(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def looks_like_heading(line: str) -> bool:
    """A short standalone line acting as a section heading."""
    if _SECTION_WORDS.match(line):
        return True
    words = line.split()
    if not words or len(line) > 80 or len(words) > 12:
        return False
    if line[-1] in ".,;:…" or line.endswith(("...", "”.", '".')):
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "“\"‘'"):
        return False
    if _BYLINE.match(line) or _DATELINE.match(line):
        return False  # "By Jane Doe and John Roe", "Posted by Jane Doe on March 3"
    if "://" in line or line.startswith("@") or re.search(r"\.(com|org|net|io)\b", line):
        return False
    if len(words) == 1 and not line[0].isupper():
        return False
    return True


def to_blocks(text: str, *, title: str | None = None, detect_headings: bool = True) -> list[Block]:
    """Split cleaned text into heading, paragraph and list blocks.

    Paragraphs are separated by blank lines; a wrapped paragraph (several lines) is joined. A
    ``#`` line, or a short standalone line that reads like a heading, becomes a heading; ``•``,
    ``-`` and ``*`` lines become list items; ``1.`` lines numbered items. A line repeating the
    title at the top, and consecutive repeated lines, are dropped.
    """
    blocks: list[Block] = []
    para: list[str] = []
    title_key = _key(title) if title else None

    def flush() -> None:
        if not para:
            return
        joined = " ".join(para)
        para.clear()
        if not joined:
            return
        if title_key and not _has_text(blocks) and _key(joined) == title_key:
            return
        blocks.append(Block(PARA, joined))

    lines = strip_artefacts(text).split("\n")
    defs_open = False  # the last block is a run of link or footnote definitions
    fence: str | None = None
    code: list[str] = []
    for i, raw_line in enumerate(lines):
        f = _FENCE.match(raw_line)
        if fence is not None:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence) \
                    and not raw_line.strip().strip(fence[0]):
                blocks.append(Block(CODE, "\n".join(code).strip("\n")))
                fence, code = None, []
            else:
                code.append(raw_line.rstrip())
            continue
        if f:
            flush()
            fence = f.group(1)
            continue
        line = norm_line(raw_line)
        if line and _TAIL.match(line) and len("".join(lines[i + 1:]).strip()) < 600:
            break
        if line and _CHROME.match(line):
            line = raw_line = lines[i] = ""  # page furniture: read as a blank line
        if not line:
            if para and detect_headings and len(para) == 1 and looks_like_heading(para[0]) \
                    and _next_nonblank(lines, i) is not None:
                blocks.append(Block(HEADING, para[0].lstrip("#").strip(), 2))
                para.clear()
            flush()
            continue
        if line.startswith(">"):  # a Markdown quotation: its text, without the markers
            line = re.sub(r"^(?:>\s?)+", "", line).strip()
            if not line:
                continue
        m = _MD_HEADING.match(line)
        if m:
            flush()
            heading = m.group(2).strip()
            if heading and not (title_key and _key(heading) == title_key and not _has_text(blocks)):
                blocks.append(Block(HEADING, heading, len(m.group(1))))
            continue
        m = _BULLET.match(raw_line)
        if m and line not in ("-", "*", "•"):
            flush()
            item = norm_line(raw_line[m.end():])
            if item:
                blocks.append(Block(BULLET, item))
            continue
        m = _NUMBERED.match(line)
        if m:
            flush()
            blocks.append(Block(NUMBER, line))
            continue
        if _REF_DEFINITION.match(line):
            # "[rust-1.0]: https://…", "[^1]: a note": one a line, or the links and notes
            # that use them break; a run of them is one block of lines
            flush()
            if blocks and blocks[-1].kind == PARA and defs_open:
                blocks[-1] = Block(PARA, f"{blocks[-1].text}\n{line}")
            else:
                blocks.append(Block(PARA, line))
            defs_open = True
            continue
        defs_open = False
        para.append(line)
    if para and detect_headings and len(para) == 1 and _SECTION_WORDS.match(para[0]):
        para.clear()  # a dangling section word at the very end carries nothing
    flush()
    if fence is not None and code:  # a fence never closed: still code
        blocks.append(Block(CODE, "\n".join(code).strip("\n")))
    return _dedupe(blocks)


def _has_text(blocks: list[Block]) -> bool:
    return any(b.kind not in (HEADING, CODE) for b in blocks)


def _next_nonblank(lines: list[str], i: int) -> str | None:
    for line in lines[i + 1:]:
        if line.strip():
            return line
    return None


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().casefold()


def _dedupe(blocks: list[Block]) -> list[Block]:
    """Drop a block identical to the one before it, and empty trailing headings."""
    out: list[Block] = []
    for block in blocks:
        if out and out[-1] == block:
            continue
        out.append(block)
    while out and out[-1].kind == HEADING:
        out.pop()
    # two headings in a row: the first had no content
    cleaned: list[Block] = []
    for i, block in enumerate(out):
        if block.kind == HEADING and i + 1 < len(out) and out[i + 1].kind == HEADING \
                and not _SECTION_WORDS.match(block.text):
            continue
        cleaned.append(block)
    return cleaned


def section(blocks: list[Block], heading: re.Pattern[str]) -> list[Block]:
    """The blocks under the first heading matching ``heading``, up to the next heading."""
    out: list[Block] = []
    inside = False
    for block in blocks:
        if block.kind == HEADING:
            if inside:
                break
            inside = bool(heading.search(block.text))
            continue
        if inside:
            out.append(block)
    return out


def to_markdown(blocks: list[Block], *, top_level: int = 2) -> str:
    """Render blocks as Markdown: headings from ``top_level`` down (an article's own headings
    nest under the page's), ``-`` lists, fenced code, blank lines between blocks."""
    parts: list[str] = []
    prev = None
    for block in blocks:
        if block.kind == HEADING:
            level = min(6, top_level + max(0, (block.level or 2) - 2))
            text = f"{'#' * level} {block.text}"
        elif block.kind == CODE:
            fence = "````" if "```" in block.text else "```"
            text = f"{fence}\n{block.text}\n{fence}"
        elif block.kind == BULLET:
            text = f"- {escape_line(block.text)}"
        elif block.kind == NUMBER:
            text = block.text
        else:
            text = escape_line(block.text)
        if parts and not (block.kind == prev and block.kind in (BULLET, NUMBER)):
            parts.append("")
        parts.append(text)
        prev = block.kind
    return "\n".join(parts)


def escape_line(text: str) -> str:
    """Keep plain text from being read as Markdown structure at the start of a line."""
    if re.match(r"^(#{1,6}\s|>|---|===|```|~~~)", text):
        return "\\" + text
    return text
