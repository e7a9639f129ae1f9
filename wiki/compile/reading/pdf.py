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

from wiki.compile.types import ArticleMeta

MAX_PAGES = 200
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
    return "\n\n".join(_join_lines(p) for p in paras), info


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
    parts = re.split(r"\s*(?:;|,|\band\b|&)\s*", text) if text else []
    return [p for p in parts if p and len(p) <= 80][:12]


def _clean_pages(pages: list[str]) -> str:
    """Drop page numbers and the lines repeated at the top or bottom of most pages."""
    edges: dict[str, int] = {}
    split = [p.strip("\n").split("\n") for p in pages if p.strip()]
    for lines in split:
        for line in {*(lines[:2]), *(lines[-2:])}:
            key = re.sub(r"\d+", "#", line.strip())
            if key:
                edges[key] = edges.get(key, 0) + 1
    repeated = {k for k, n in edges.items() if len(split) >= 3 and n >= len(split) * 0.6}
    out: list[str] = []
    for lines in split:
        kept = [line for line in lines if not _PAGE_NUMBER.match(line)
                and re.sub(r"\d+", "#", line.strip()) not in repeated]
        out.append("\n".join(kept))
    return "\n\n".join(out)


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
    """The text of an "Abstract" (or "Summary") section at the start of the paper."""
    for i, para in enumerate(paras[:15]):
        m = _ABSTRACT.match(" ".join(para.split()))
        if not m:
            continue
        rest = m.group(1).strip()
        if len(rest) >= 80:
            return rest
        if i + 1 < len(paras):
            return _join_lines(paras[i + 1])
    return ""
