"""What the MCP server's tools do, without the protocol: search, show, pages, lint, ingest.

The vault is opened for each call and closed after it, so the server never holds the vault's
writer lock while it waits for the agent: the app or ``wiki watch`` started later still become
the writer. While another process writes, reads use that process's index and graph, and ingest
says it cannot run (one line) instead of racing it.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wiki.compile.writing.render import frontmatter
from wiki.core.rules import safe_page_name
from wiki.pipeline import ingest_and_index
from wiki.vault.facade import Vault, VaultError

MAX_TEXT_CHARS = 200_000  # what `show` returns of one page at most
MAX_LIMIT = 1000
READ_ONLY = ("another Commonplace process (the app or `wiki watch`) is writing this vault, so "
             "this server is read-only: add the article from there, or save it as a file in "
             "the vault's raw/ folder and that process will compile it")


class ToolProblem(Exception):
    """A request the tool cannot serve; ``str()`` is one line for the agent."""


def _plain(value: Any) -> Any:
    """JSON-safe (frontmatter may hold dates)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


class VaultTools:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()  # the SDK runs each tool call on a worker thread

    @contextmanager
    def _vault(self, *, write: bool = False) -> Iterator[Vault]:
        with self._lock:
            try:
                vault = Vault.open(self.root)
            except VaultError as exc:
                raise ToolProblem(str(exc)) from None
            try:
                if write and vault.readonly:
                    raise ToolProblem(READ_ONLY)
                vault.refresh()  # the writer indexes what changed; a reader reloads the writer's
                yield vault
            finally:
                vault.close()

    # -- reads ----------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 10) -> dict[str, Any]:
        limit = max(1, min(int(limit), MAX_LIMIT))
        with self._vault() as vault:
            results = vault.search(query, limit=limit)
        if results.error:
            raise ToolProblem(results.error)
        return {"query": query, "total": results.total,
                "hits": [{"path": h.path, "title": h.title, "snippet": h.snippet,
                          "score": round(h.score, 4)} for h in results.hits],
                "suggestion": results.suggestion}

    def show(self, page: str) -> dict[str, Any]:
        with self._vault() as vault:
            path = vault.find_page(page)
            if path is None:
                raise ToolProblem(f"no page named '{page}' (try the search or pages tool)")
            info = vault.page_info(path)
            full = vault.read_page(path)
            text = full.body
            data: dict[str, Any] = {
                "path": path,
                "title": info.title if info else full.title,
                "type": full.type,
                "aliases": list(full.aliases),
                "tags": list(full.tags),
                "frontmatter": _plain(full.frontmatter),
                "text": text[:MAX_TEXT_CHARS],
                "truncated": len(text) > MAX_TEXT_CHARS,
                "links": [{"target": r.link.target, "path": r.path} for r in vault.outgoing(path)],
                "backlinks": [{"path": m.path, "title": m.title, "context": m.context}
                              for m in vault.backlinks(path)],
                "unlinked_mentions": [{"path": m.path, "title": m.title, "context": m.context}
                                      for m in vault.unlinked_mentions(path)],
            }
            if vault.problem(path):
                data["problem"] = vault.problem(path)
        return data

    def pages(self, folder: str = "", type: str = "", limit: int = 200,  # noqa: A002
              offset: int = 0) -> dict[str, Any]:
        limit = max(1, min(int(limit), MAX_LIMIT))
        offset = max(0, int(offset))
        prefix = folder.strip("/") + "/" if folder.strip("/") else ""
        with self._vault() as vault:
            infos = [i for i in vault.pages() if i.path.startswith(prefix)
                     and (not type or (i.type or "") == type)]
        return {"total": len(infos), "offset": offset,
                "pages": [{"path": i.path, "title": i.title, "type": i.type}
                          for i in infos[offset:offset + limit]]}

    def lint(self) -> dict[str, Any]:
        from wiki.vault.lint import lint

        with self._vault() as vault:
            report = lint(vault)
        return {"findings": report.count(), **report.as_dict()}

    # -- the one write --------------------------------------------------------------------------
    def ingest(self, title: str, text: str) -> dict[str, Any]:
        title = " ".join(title.split())
        if not title:
            raise ToolProblem("the title is empty")
        if not text.strip():
            raise ToolProblem("the text is empty")
        article = frontmatter({"title": title}) + f"\n# {title}\n\n{text.strip()}\n"
        with self._vault(write=True) as vault, tempfile.TemporaryDirectory() as tmp:
            staged = Path(tmp) / f"{safe_page_name(title)}.md"
            staged.write_text(article, encoding="utf-8")
            report = ingest_and_index(vault, [staged]).report  # as `wiki ingest` does
        if report.errors and not any(report.source_pages.values()):
            raise ToolProblem("; ".join(f"{Path(f).name}: {m}" for f, m in report.errors))
        raw = next(iter(report.source_pages), None)
        return {"raw": raw, "source_pages": [p for ps in report.source_pages.values()
                                             for p in ps],
                "created": report.created, "updated": report.updated,
                "conflicts": report.conflicts,
                "errors": [f"{f}: {m}" for f, m in report.errors]}
