"""``AGENTS.md`` at the vault root: what an AI agent working in this vault should know.

Written once, on the first compile that finds it missing, and never again: from then on it is
the user's page (they may edit it or delete it; the compile state remembers that it was written,
so a deleted one stays deleted). It is not stamped as generated, and it is not listed in
``index.md`` while the state knows it.
"""

from __future__ import annotations

from pathlib import Path

from wiki.compile.entities.classify import CONCEPT, ORG, PERSON, PRODUCT
from wiki.compile.entities.table import KIND_FOLDERS
from wiki.compile.writing.writer import PageRecord
from wiki.core.fileio import create_new
from wiki.core.rules import AGENTS_PAGE

AGENTS = AGENTS_PAGE
KIND = "agents"

TEXT = f"""# Working in this vault (for AI agents)

This folder is a Commonplace wiki: plain Markdown pages, compiled from raw articles and linked
with Obsidian-style `[[links]]`. It opens in Obsidian, and the `wiki` command works on it.

## Layout

- `raw/` — the articles as they were given (text, Markdown, HTML). Never edit or delete them:
  they are the compiler's input. Add new ones with `wiki ingest FILE` (or by dropping a file here
  while the Commonplace app or `wiki watch` runs).
- `sources/` — one page per article: summary, key points, the entities it mentions, full text.
- `{KIND_FOLDERS[PERSON]}/`, `{KIND_FOLDERS[ORG]}/`, `{KIND_FOLDERS[PRODUCT]}/`,
  `{KIND_FOLDERS[CONCEPT]}/` — one page per entity, with what each source says about it and
  related pages.
- `answers/` — answers filed by `wiki ask --save` (`type: answer`). They are never used as
  sources or as evidence for later answers.
- `index.md` — every page, one line each, grouped by kind. Start here.
- `log.md` — append-only history: `## [YYYY-MM-DD] ingest | Title` for each article compiled,
  `## [YYYY-MM-DD] query | Question` for each answer filed.
- `.wiki/` — derived state (link graph, search index, compile state). Never edit it; it can be
  deleted and is rebuilt from the files.

## Conventions

- A page is named by its file name: link to it as `[[File name]]`, `[[File name|text]]`,
  `[[File name#Heading]]`, or `[[folder/File name]]` when two pages share a name.
- Frontmatter (YAML between `---` lines) holds `title`, `type` (source, person, organization,
  product, concept, answer, index, log), `aliases` and `tags`.
- Pages with a `commonplace: sha1-…` line were generated. You may edit them: the compiler keeps
  your text from then on and only appends new mentions under "New mentions (added by
  Commonplace)". To change what the compiler writes, change or add raw articles instead.
- Write your own notes anywhere outside `raw/` and `.wiki/`; link them to existing pages.

## Commands an agent may run

- `wiki search QUERY [--json]` — full-text search (`"phrases"`, `AND`/`OR`/`NOT`, `prefix*`,
  `title:`, `tag:`, `type:`, `path:`).
- `wiki show PAGE [--json]` — a page with its links, backlinks and unlinked mentions.
- `wiki lint [--json]` — broken links, orphans, duplicate names, empty or damaged pages
  (`--llm`: and sources that contradict each other, when a model is configured).
- `wiki ingest FILE...` — add articles to `raw/` and compile them.
- `wiki index` — bring the search index up to date after editing pages by hand.
- `wiki ask QUESTION [--save]` — answer from the pages (needs a model configured).
- `wiki mcp` — the same tools over the Model Context Protocol (stdio).

Every command takes `--vault PATH`. Errors are one line on stderr with exit code 2. Only one
process writes a vault at a time; while the app runs, others read.
"""


def write_once(root: Path, pages: dict[str, PageRecord]) -> bool:
    """Create ``AGENTS.md`` unless the state says it was written before or a file is there.
    Records it in ``pages`` (the compile state). Never replaces a file."""
    if AGENTS in pages:
        return False
    path = root / AGENTS
    if path.exists():
        pages[AGENTS] = PageRecord("", KIND, "AGENTS")
        return False
    try:
        if not create_new(path, TEXT):
            pages[AGENTS] = PageRecord("", KIND, "AGENTS")
            return False
    except OSError:
        return False
    pages[AGENTS] = PageRecord("", KIND, "AGENTS")  # no hash: never the compiler's to update
    return True
