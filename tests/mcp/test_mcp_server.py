"""`wiki mcp` through the official SDK's own client, over stdio, against a real compiled vault."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters
from support import REPO

from wiki.compile.build import build_from
from wiki.core.paths import SEEDS_DIR
from wiki.vault.facade import Vault

NEW_ARTICLE = ("Marta Quillfeather founded the Lantern Cooperative in Porto. The cooperative "
               "builds solar lanterns for fishing boats, and Quillfeather says the lanterns "
               "cut fuel costs by half for the crews that tried them.")


@pytest.fixture(scope="module")
def _compiled(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mcp") / "vault"
    assert build_from(root, SEEDS_DIR).ok
    with Vault.open(root) as vault:
        vault.refresh()
    return root


@pytest.fixture
def vault(_compiled: Path, tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(_compiled, root, ignore=shutil.ignore_patterns("write.lock"))
    return root


def session(vault: Path) -> Client:
    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "wiki", "mcp", "--vault", str(vault)],
                                   cwd=str(REPO))
    return Client(params, read_timeout_seconds=60)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


def text_of(result) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


def test_tools_read_the_vault(vault):
    async def scenario():
        async with session(vault) as client:
            listed = await client.list_tools()
            tools = {t.name: t for t in listed.tools}
            found = await client.call_tool("search", {"query": "vibe coding", "limit": 5})
            shown = await client.call_tool("show", {"page": "Karpathy"})  # an alias
            people = await client.call_tool("pages", {"folder": "people"})
            health = await client.call_tool("lint", {})
            missing = await client.call_tool("show", {"page": "No Such Page"})
            bad = await client.call_tool("search", {"query": "AND"})
            return tools, found, shown, people, health, missing, bad

    tools, found, shown, people, health, missing, bad = run(scenario())
    assert set(tools) == {"search", "show", "pages", "lint", "ingest"}
    assert tools["search"].annotations.read_only_hint is True
    assert tools["ingest"].annotations.read_only_hint is False

    hits = found.structured_content["hits"]
    assert not found.is_error and 1 <= len(hits) <= 5
    assert "concepts/Vibe coding.md" in [h["path"] for h in hits]
    assert all("**" in h["snippet"] for h in hits if h["snippet"])

    page = shown.structured_content
    assert page["path"] == "people/Andrej Karpathy.md" and page["type"] == "person"
    assert "# Andrej Karpathy" in page["text"]
    assert any(b["path"].startswith("sources/") for b in page["backlinks"])
    assert "Karpathy" in page["aliases"]

    listing = people.structured_content
    assert listing["total"] == len(list((vault / "people").glob("*.md")))
    assert all(p["path"].startswith("people/") and p["type"] == "person"
               for p in listing["pages"])

    report = health.structured_content
    assert set(report) >= {"findings", "broken_links", "orphans", "duplicate_names"}
    assert "AGENTS.md" not in report["orphans"]

    assert missing.is_error and "no page named 'No Such Page'" in text_of(missing)
    assert bad.is_error and "\n" not in text_of(bad).strip()


def test_ingest_compiles_and_indexes_an_article(vault):
    async def scenario():
        async with session(vault) as client:
            added = await client.call_tool("ingest", {"title": "Lanterns for Porto",
                                                      "text": NEW_ARTICLE})
            again = await client.call_tool("ingest", {"title": "Lanterns for Porto",
                                                      "text": NEW_ARTICLE})
            found = await client.call_tool("search", {"query": "Quillfeather lanterns"})
            empty = await client.call_tool("ingest", {"title": "x", "text": "  "})
            return added, again, found, empty

    added, again, found, empty = run(scenario())
    assert not added.is_error, text_of(added)
    result = added.structured_content
    assert result["source_pages"] == ["sources/Lanterns for Porto.md"]
    assert result["raw"] == "raw/Lanterns for Porto.md"
    assert "sources/Lanterns for Porto.md" in result["created"]
    assert (vault / "raw" / "Lanterns for Porto.md").exists()
    assert (vault / "sources" / "Lanterns for Porto.md").exists()
    assert not again.is_error
    assert sorted(p.name for p in (vault / "raw").glob("Lanterns*")) == ["Lanterns for Porto.md"]
    assert "sources/Lanterns for Porto.md" in [h["path"] for h in
                                              found.structured_content["hits"]]
    assert empty.is_error and "empty" in text_of(empty)


def test_read_only_while_another_process_writes(vault):
    writer = Vault.open(vault)  # this test process holds the writer lock, as the app would
    try:
        assert not writer.readonly

        async def scenario():
            async with session(vault) as client:
                found = await client.call_tool("search", {"query": "Karpathy"})
                added = await client.call_tool("ingest", {"title": "Lanterns",
                                                          "text": NEW_ARTICLE})
                return found, added

        found, added = run(scenario())
    finally:
        writer.close()
    assert not found.is_error and found.structured_content["hits"]
    assert added.is_error and "read-only" in text_of(added)
    assert not (vault / "raw" / "Lanterns.md").exists()


def test_the_server_does_not_keep_the_writer_lock_between_calls(vault):
    async def scenario():
        async with session(vault) as client:
            await client.call_tool("search", {"query": "Karpathy"})
            other = Vault.open(vault)  # e.g. the app, started while the agent is connected
            try:
                became_writer = not other.readonly
                answer = await client.call_tool("ingest", {"title": "Lanterns",
                                                           "text": NEW_ARTICLE})
            finally:
                other.close()
            return became_writer, answer

    became_writer, answer = run(scenario())
    assert became_writer
    assert answer.is_error and "read-only" in text_of(answer)


def test_no_vault_is_one_line(tmp_path):
    from support import run_wiki

    result = run_wiki("mcp", vault=tmp_path / "nowhere")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("wiki: no vault at") and \
        len(result.stderr.strip().splitlines()) == 1
