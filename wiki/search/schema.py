"""The search index's Whoosh schema and what goes into a page's document."""

from __future__ import annotations

import unicodedata

from whoosh.fields import ID, KEYWORD, TEXT, Schema

from wiki.core.model import Page
from wiki.markup.own_text import own_text
from wiki.search.analysis import Analyzer

# Bump when the schema or what goes into a document changes: old indexes are then rebuilt.
# 2: NFC text; 3: titles are file names; 4: only valid Obsidian tags; 5: accents folded, CJK
# and Thai as character bigrams (analysis.py); 6: a generated page's link lists are not its
# text (markup/own_text.py)
SCHEMA_VERSION = 6

SEARCH_FIELDS = ("head", "body")  # what a plain word searches
SPELL_FIELDS = ("title", "aliases", "body")  # where a bulk build counts words for "did you mean"
HEAD_BOOST = {"head": 3.0}


def make_schema() -> Schema:
    stem = Analyzer()  # one instance: its word caches are shared by the text fields
    return Schema(
        path=ID(unique=True, stored=True, sortable=True),
        # `path:` prefix filters, lower-cased: every ancestor folder ("a/", "a/b/"), the parent
        # folder ("/" at the top) and the file name. A whole folder is then one posting list.
        folders=KEYWORD(commas=True),
        parent=ID(),
        fname=ID(),
        # title + aliases + file name: one field, so that a word costs two postings lookups.
        # A query word that analyses into several terms (a run of Chinese: its bigrams) is the
        # phrase of those terms.
        head=TEXT(analyzer=stem, multitoken_query="phrase"),
        title=TEXT(stored=True, analyzer=stem, multitoken_query="phrase"),  # `title:` filters
        aliases=TEXT(stored=True, analyzer=stem, multitoken_query="phrase"),  # `alias:` filters
        tags=KEYWORD(lowercase=True, commas=True, scorable=True),
        type=KEYWORD(lowercase=True, commas=True),
        body=TEXT(stored=True, analyzer=stem, chars=True, multitoken_query="phrase"),
    )


def nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def page_document(page: Page) -> dict[str, str]:
    """The Whoosh document for one page. Text is normalised to NFC, as queries are, so a name
    typed on one system finds it written decomposed on another (macOS file names)."""
    name = page.path.rpartition("/")[2].removesuffix(".md")
    tags = {t.strip().lstrip("#").strip().replace(",", " ") for t in page.tags if t}
    title = page.title or name
    aliases = "\n".join(a for a in page.aliases if a)
    head = [title, aliases] if name.lower() == title.lower() else [title, aliases, name]
    parent, _, fname = page.path.lower().rpartition("/")
    parts = parent.split("/") if parent else []
    folders = ",".join("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
    return {
        "path": page.path,
        "folders": folders,
        "parent": parent + "/",
        "fname": fname,
        "head": nfc("\n".join(head)),
        "title": nfc(title),
        "aliases": nfc(aliases),
        "tags": ",".join(sorted(t for t in tags if t)),
        "type": (page.type or "").replace(",", " "),
        "body": nfc(own_text(page)),  # (what the page says: snippets come from it too)
    }
