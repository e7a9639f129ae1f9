"""How every `wiki` command fails: one line on stderr, exit code 2."""

from __future__ import annotations

EXIT_USAGE = 2


class CliError(Exception):
    """One line for stderr; exit code 2."""
