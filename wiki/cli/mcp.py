"""``wiki mcp``: serve the vault to an MCP client over stdin/stdout until it disconnects."""

from __future__ import annotations

import argparse

from wiki.cli.errors import CliError
from wiki.core.paths import vault_from_args


def cmd_mcp(args: argparse.Namespace) -> int:
    root = vault_from_args(getattr(args, "vault", None))
    if not root.is_dir():
        raise CliError(f"no vault at {root}: the folder does not exist (create one with "
                       "`wiki build --vault PATH`)")
    try:
        from wiki.mcp.server import serve
    except ImportError as exc:  # installed without its dependencies
        raise CliError(f"the MCP server needs the 'mcp' package ({exc})") from None
    serve(root)
    return 0
