"""``wiki mcp``: the vault as tools for the user's own AI agent, over the Model Context
Protocol (stdio), with the official ``mcp`` SDK. No model runs in Commonplace for this: the
agent (Claude Desktop, Claude Code, Codex, …) calls search, show, pages, lint and ingest."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

from wiki.mcp.tools import ToolProblem, VaultTools

INSTRUCTIONS = """\
This server is the user's Commonplace wiki: Markdown pages compiled from articles they read
(sources/ for each article; people/, organizations/, products/, concepts/ for what they mention;
index.md lists every page; log.md says what was added when). Search first, then show the pages
you need; cite pages by their path. Use ingest only when the user asks to add an article."""


def _tool_errors(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """A problem the agent can act on comes back as the tool's error text (one line)."""
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return fn(*args, **kwargs)
        except ToolProblem as exc:
            raise ToolError(str(exc)) from None
    return run


def build_server(root: Path) -> MCPServer:
    tools = VaultTools(root)
    server: MCPServer = MCPServer("commonplace", title="Commonplace wiki",
                                  instructions=INSTRUCTIONS, log_level="WARNING")
    reading = ToolAnnotations(read_only_hint=True, destructive_hint=False)

    @server.tool(annotations=reading)
    @_tool_errors
    def search(query: str, limit: int = 10) -> dict[str, Any]:
        """Full-text search of the wiki. All words must match; also "phrases", AND/OR/NOT,
        prefix*, and the fields title:, tag:, type:, path:, alias:. Returns the best pages
        (path, title, a snippet with matches in **bold**) and a spelling suggestion when
        nothing matches."""
        return tools.search(query, limit)

    @server.tool(annotations=reading)
    @_tool_errors
    def show(page: str) -> dict[str, Any]:
        """One page by name, alias or path: its Markdown text, frontmatter, outgoing links,
        backlinks (pages linking here, with context) and unlinked mentions."""
        return tools.show(page)

    @server.tool(annotations=reading)
    @_tool_errors
    def pages(folder: str = "", type: str = "", limit: int = 200,  # noqa: A002
              offset: int = 0) -> dict[str, Any]:
        """List pages (path, title, type), optionally only those in a folder (such as
        "people") or of a type (source, person, organization, product, concept, answer)."""
        return tools.pages(folder, type, limit, offset)

    @server.tool(annotations=reading)
    @_tool_errors
    def lint() -> dict[str, Any]:
        """Health check: broken links, orphan pages, duplicate page names, empty or damaged
        pages."""
        return tools.lint()

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False,
                                             idempotent_hint=True))
    @_tool_errors
    def ingest(title: str, text: str) -> dict[str, Any]:
        """Add an article (its title and its text, plain or Markdown) to the wiki: it is saved
        in raw/, compiled into a source page and entity pages, and indexed. Returns the pages
        created or updated. Never overwrites the user's pages."""
        return tools.ingest(title, text)

    return server


def serve(root: Path) -> None:
    build_server(root).run("stdio")
