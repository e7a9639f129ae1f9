"""PDF articles (research papers above all): text in reading order, title and authors from the
metadata or the first page, the abstract as the description.

Text comes from pdfminer.six, which lays out characters into words, lines and paragraphs in
reading order. (pypdf was measured on the corpus's JOSS paper and lost the spaces between words
of whole lines; pdfminer kept them.) A PDF without a text layer (a scan) is refused with a clear
message: there is nothing to read without OCR.
"""

from __future__ import annotations

import io
import re
import unicodedata

from wiki.compile.types import ArticleMeta

MAX_PAGES = 200
_COMBINING = {"´": "\u0301", "¨": "\u0308", "ˆ": "\u0302", "˜": "\u0303", "ˇ": "\u030c"}
_SPACING_ACCENT = re.compile(r"([´¨ˆ˜ˇ])([A-Za-z])")  # (not "`": code has backticks)
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.IGNORECASE)
_ABSTRACT = re.compile(r"^\s*(?:abstract|summary)\s*[:.—-]?\s*(.*)$", re.IGNORECASE)


class NoText(Exception):
    """The PDF has no text to read; ``str(e)`` says why, in one line."""


def pdf_text(data: bytes) -> tuple[str, ArticleMeta]:
    """``(text, info)``: paragraphs separated by blank lines, lines of a paragraph joined (words
    hyphenated at a line end rejoined), repeated page headers, footers and page numbers
    dropped."""
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError

    try:
        parser = PDFParser(io.BytesIO(data))
        doc = PDFDocument(parser)
        raw_info = doc.info[0] if doc.info else {}
        text = extract_text(io.BytesIO(data), maxpages=MAX_PAGES)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise NoText("the PDF is encrypted (protected by a password)") from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise NoText(f"not a readable PDF ({type(exc).__name__})") from None
    text = re.sub(r"\(cid:\d+\)", "", text)  # a glyph the font does not map to a character
    # an accent set as its own glyph before its letter ("Tr´on"): the accented letter ("Trón")
    text = unicodedata.normalize("NFC", _SPACING_ACCENT.sub(
        lambda m: m.group(2) + _COMBINING[m.group(1)], text))
    pages = [p for p in text.split("\f")]
    if not "".join(pages).strip():
        raise NoText("no text in this PDF (a scanned document? it would need OCR)")
    info = ArticleMeta(title=_meta_text(raw_info.get("Title")),
                       authors=_authors(_meta_text(raw_info.get("Author"))))
    body = _clean_pages(pages)
    paras = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    if not info.title and paras:
        first = " ".join(paras[0].split())
        if len(first) <= 200:
            info.title = first
    info.description = _abstract(paras)
    front, start = _front_matter(paras)
    if not info.authors:
        info.authors = _first_page_authors(front)
    info.date = next((d for line in front for d in [_date(line)] if d), "")
    if start and sum(map(len, front)) <= MAX_FRONT:
        paras = paras[start:]  # title, authors, affiliations: the page shows them otherwise
    return "\n\n".join(_as_text(p) for p in paras), info


MAX_FRONT = 1500  # more than this before the abstract is not a paper's front matter
_MATH = re.compile(r"[∈∧∨≡≤≥∀∃⊕⊗∑∏√∞≠≈→←↔∪∩⊂⊆×÷±∂∇′]")
_WORD = re.compile(r"^[(\[“\"']?[A-Za-z][a-z]{2,}[)\],.;:!?”\"']*$")


def _as_text(para: str) -> str:
    """A paragraph of the PDF as the article's text: a formula as a code block (kept as laid
    out, never read for names or quoted as a key point); a line of a code listing ("# compile")
    escaped, since PDF text is not Markdown and it is no heading."""
    tokens = [t for t in para.split() if "://" not in t]  # (a note's address is not math)
    words = sum(1 for t in tokens if _WORD.match(t))
    short = sum(1 for t in tokens if len(t.strip("()[]{},.;:")) <= 2)
    if len(tokens) >= 4 and ((len(_MATH.findall(para)) >= 3 and words < len(tokens) * 0.6)
                             or (words < len(tokens) * 0.25 and short >= len(tokens) * 0.5)):
        lines = [line.strip().replace("```", "ʼʼʼ") for line in para.split("\n") if line.strip()]
        return "```\n" + "\n".join(lines) + "\n```"
    return re.sub(r"^(?=#)", "\\\\", _join_lines(para))


def _meta_text(value) -> str:
    if isinstance(value, bytes):
        for enc in ("utf-16", "utf-8", "latin-1"):
            try:
                value = value.decode(enc) if not value.startswith(b"\xfe\xff") or enc == "utf-16" \
                    else value.decode("utf-16")
                break
            except UnicodeDecodeError:
                continue
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def _authors(text: str) -> list[str]:
    """Names from the metadata's Author field ("A, B and C"); what is not a name ("others as
    per https://…", an e-mail address) is left out."""
    parts = re.split(r"\s*(?:;|,|\band\b|&)\s*", text) if text else []
    return [p for p in parts if p and len(p) <= 80 and p[:1].isupper()
            and not re.search(r"://|@|\bwww\.", p)][:12]


def _front_matter(paras: list[str]) -> tuple[list[str], int]:
    """The lines between a paper's title and its abstract (or first section): authors,
    affiliations, a date; and the index of the paragraph that starts the paper (0: none
    found in the first few paragraphs)."""
    lines: list[str] = []
    for i, para in enumerate(paras[1:8], start=1):
        text = " ".join(para.split())
        if not _date(text) and (_ABSTRACT.match(text) or _SECTION.match(text)):
            return lines, i
        for line in para.split("\n"):
            line = " ".join(line.split())
            if lines and re.match(r"(?:and|&|,|[a-z])", line):
                lines[-1] += " " + line  # "Course taught by X" / "and Y": one line
            elif line:
                lines.append(line)
    return lines, 0


_SECTION = re.compile(r"^(?:\d+\.?|[IVX]+\.)\s+[A-Z]|^(?:introduction|keywords|index terms)\b",
                      re.IGNORECASE)
# words that make a line of the front matter an affiliation, a role or a note, not names
_NOT_NAMES = re.compile(
    r"\b(?:university|universit[äé]|institute?|department|dept|school|college|laborator(?:y|ies)"
    r"|lab|centre|center|faculty|inc|ltd|gmbh|corporation|foundation|course|email|e-mail|"
    r"correspondence|abstract|draft|version|revision|preprint|journal|proceedings|conference|"
    r"figure|logo)\b", re.IGNORECASE)
_NAME = re.compile(r"^(?:[A-Z][\w'’-]*\.?|[A-Z]\.|de|van|von|der|den|da|di|du|la|le|y|bin|al-?)"
                   r"(?:\s+(?:[A-Z][\w'’-]*\.?|[A-Z]\.|de|van|von|der|den|da|di|du|la|le|y|"
                   r"bin|al-?)){1,4}$")
_HONORIFIC = re.compile(r"^(?:Prof|Dr|Mr|Mrs|Ms)\.?\s+")
_MARKS = re.compile(r"[\d*†‡§¶,]+$|^[\d*†‡§¶]+")


def _first_page_authors(lines: list[str]) -> list[str]:
    """Authors named on the first page, for a PDF whose metadata names none: the lines of the
    front matter made only of names ("Ada Lovelace, Charles Babbage and Mary Somerville",
    footnote marks allowed); affiliations, roles and dates are not names."""
    names: list[str] = []
    for line in lines[:12]:
        if _NOT_NAMES.search(line) or re.search(r"@|://|\d{3,}", line):
            continue
        parts = [_HONORIFIC.sub("", _MARKS.sub("", p)).strip()
                 for p in re.split(r"\s*(?:,|;|\band\b|&)\s*", line)]
        parts = [p for p in parts if p]
        if not parts or not all(_NAME.match(p) and not p.isupper() for p in parts):
            continue
        names += [p for p in parts if p not in names]
    return names[:12]


def _date(line: str) -> str:
    from wiki.compile.reading.metadata import date_of

    return date_of(line) if len(line) <= 40 else ""


def _clean_pages(pages: list[str]) -> str:
    """Drop page numbers and the lines repeated at the top or bottom of most pages."""
    edges: dict[str, int] = {}
    split = [p.strip("\n").split("\n") for p in pages if p.strip()]
    for lines in split:
        for line in {*(lines[:2]), *(lines[-2:])}:
            key = _edge_key(line)
            if key:
                edges[key] = edges.get(key, 0) + 1
    # a running header laid out inside the page's text (two columns): a line of a few words
    # found on most pages
    inside: dict[str, int] = {}
    for lines in split:
        for line in {line.strip() for line in lines[2:-2]}:
            if len(line) >= 20 and len(line.split()) >= 3:
                inside[_edge_key(line)] = inside.get(_edge_key(line), 0) + 1
    repeated = {k for k, n in [*edges.items(), *inside.items()]
                if len(split) >= 3 and n >= len(split) * 0.6}
    out: list[str] = []
    for lines in split:
        kept = [line for line in lines if not _PAGE_NUMBER.match(line)
                and _edge_key(line) not in repeated]
        out.append("\n".join(kept))
    return "\n\n".join(out)


def _edge_key(line: str) -> str:
    """A header or footer line with its page number and spacing left out: "LEDGER (2018) 2"
    and "LEDGER (2018)10" are the same running header."""
    return re.sub(r"\s+", "", re.sub(r"\d+", "#", line))


def _join_lines(para: str) -> str:
    lines = [line.strip() for line in para.split("\n") if line.strip()]
    out = ""
    for line in lines:
        if out.endswith("-") and line[:1].islower() and not out.endswith(" -"):
            out = out[:-1] + line  # "flex-" + "ible"
        else:
            out = f"{out} {line}" if out else line
    return out


def _abstract(paras: list[str]) -> str:
    """The text of an "Abstract" (or "Summary") section at the start of the paper: its
    paragraphs up to the first section, keywords or anything that is not prose."""
    for i, para in enumerate(paras[:15]):
        m = _ABSTRACT.match(" ".join(para.split()))
        if not m:
            continue
        rest = _join_lines(m.group(1))
        out = [rest] if len(rest) >= 80 else []
        for nxt in paras[i + 1:i + 5]:
            text = _join_lines(nxt)
            if _SECTION.match(text) or len(text) < 80 or not text.endswith((".", "!", "?")) \
                    or len(out) >= 3:
                break
            out.append(text)
        return "\n\n".join(out)
    return ""
