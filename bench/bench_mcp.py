"""What a `wiki mcp` tool call costs, given that the server opens the vault for each call (so
it never holds the writer lock while the agent thinks).

Builds (once) a synthetic vault of N notes, then times, interleaved in the same run:
- baseline: ``vault.search`` on a vault kept open (what a server holding the lock would pay);
- per call: ``VaultTools.search`` (open, refresh, search, close), as each MCP call does;
- over stdio: the same search through the official SDK client and a `wiki mcp` subprocess.
Prints medians.

    python -m bench.bench_mcp [--n 2000] [--runs 15] [--vault DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import make_vault

QUERIES = ["learning memory", "river market", "protein genome", "quantum particle",
           "library archive", "compiler kernel", "sleep dream", "bridge tower"]


def _prepare(root: Path, n: int) -> None:
    from wiki.vault.facade import Vault

    if not (root / ".wiki").exists():
        make_vault(root, n)
    with Vault.open(root) as vault:
        vault.refresh()


async def _stdio_times(root: Path, runs: int) -> list[float]:
    from mcp import Client, StdioServerParameters

    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "wiki", "mcp", "--vault", str(root)],
                                   cwd=str(Path(__file__).resolve().parents[1]))
    times = []
    async with Client(params, read_timeout_seconds=120) as client:
        await client.call_tool("search", {"query": "warm up"})
        for i in range(runs):
            t = time.perf_counter()
            await client.call_tool("search", {"query": QUERIES[i % len(QUERIES)]})
            times.append(time.perf_counter() - t)
    return times


def main(argv: list[str] | None = None) -> None:
    from wiki.mcp.tools import VaultTools
    from wiki.vault.facade import Vault

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--vault")
    args = parser.parse_args(argv)
    root = Path(args.vault) if args.vault else Path(tempfile.gettempdir()) / f"bench-mcp-{args.n}"
    _prepare(root, args.n)
    tools = VaultTools(root)
    baseline, per_call = [], []
    with Vault.open(root) as kept:
        kept.refresh()
        kept.search("warm up")
        tools_times = []
        for i in range(args.runs):
            query = QUERIES[i % len(QUERIES)]
            t = time.perf_counter()
            kept.search(query, limit=10)
            baseline.append(time.perf_counter() - t)
            # (the kept vault holds the lock, so VaultTools reads as a reader here: measured
            # again below as the writer)
            t = time.perf_counter()
            tools.search(query, 10)
            tools_times.append(time.perf_counter() - t)
    for i in range(args.runs):
        t = time.perf_counter()
        tools.search(QUERIES[i % len(QUERIES)], 10)
        per_call.append(time.perf_counter() - t)
    stdio = asyncio.run(_stdio_times(root, args.runs))

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.1f} ms"

    print(f"vault: {root} ({args.n} notes), {args.runs} searches each, medians")
    print(f"  baseline, vault kept open:              {ms(baseline)}")
    print(f"  per call, as the writer (open+refresh): {ms(per_call)} "
          f"({statistics.median(per_call) / statistics.median(baseline):.1f}x)")
    print(f"  per call, while another process writes: {ms(tools_times)}")
    print(f"  over stdio (SDK client -> wiki mcp):     {ms(stdio)}")


if __name__ == "__main__":
    main()
