"""Commonplace engine: vault, links, link graph, compiler, Whoosh index, watcher, CLI.

Nothing in this package imports Qt; the desktop app in ``ui/`` is built on top of it.
"""

__version__ = "0.1.0"
