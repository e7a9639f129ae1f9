"""Link resolution with Obsidian's rules, over an in-memory table of every page.

Matching is case-insensitive (Unicode NFC + casefold) and ignores a ``.md`` suffix. Ties go to
the page closest to the vault root (fewest folders), then the shorter path, then alphabetical.

The tables map a key to one path (a ``str``: nearly every key) or to a ``frozenset`` of paths
(a name several pages share): a set per key cost a fifth of the memory of a 100,000-note vault.
They hold only plain strings and frozensets, so ``export()`` can be persisted as it is and
``restore()``d on the next open without folding every page's names again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

from wiki.core.model import Link, PageInfo
from wiki.core.rules import normalize_rel

_PATH, _SUFFIX, _NAME, _ALIAS = "path", "suffix", "name", "alias"
_TITLE = "title"
TABLES = (_PATH, _SUFFIX, _NAME, _ALIAS, _TITLE)

Paths = str | frozenset[str]  # the pages under one key
Table = dict[str, Paths]


def _put(table: Table, key: str, path: str) -> None:
    old = table.get(key)
    if old is None:
        table[key] = path
    elif isinstance(old, str):
        if old != path:
            table[key] = frozenset((old, path))
    else:
        table[key] = old | {path}


def _drop(table: Table, key: str, path: str) -> None:
    old = table.get(key)
    if old is None:
        return
    if isinstance(old, str):
        if old == path:
            del table[key]
        return
    rest = old - {path}
    table[key] = next(iter(rest)) if len(rest) == 1 else rest


def _members(paths: Paths | None) -> tuple[str, ...] | frozenset[str]:
    if paths is None:
        return ()
    return (paths,) if isinstance(paths, str) else paths


def _best(paths: Paths) -> str:
    return paths if isinstance(paths, str) else min(paths, key=_rank)


def fold(text: str) -> str:
    """The comparison form of a name or path: NFC, casefolded, stripped."""
    return unicodedata.normalize("NFC", text.strip()).casefold()


def strip_md(path: str) -> str:
    return path[:-3] if path[-3:].lower() == ".md" else path


def _rank(path: str) -> tuple[int, int, str]:
    return (path.count("/"), len(path), path)


def _suffixes(key: str) -> Iterator[str]:
    """``a/b/c`` -> ``a/b/c``, ``b/c``, ``c``."""
    yield key
    i = key.find("/")
    while i != -1:
        yield key[i + 1:]
        i = key.find("/", i + 1)


def label_for(info: PageInfo, shared: bool) -> str:
    """``info.title``, told apart by its folder when ``shared`` (another page has that name)."""
    return f"{info.title} ({info.folder or '/'})" if shared else info.title


class Resolver:
    """Every page's path, name and aliases, indexed for O(1) link resolution."""

    def __init__(self, infos: Iterable[PageInfo] = ()) -> None:
        self._infos: dict[str, PageInfo] = {}
        self._tables: dict[str, Table] = {name: {} for name in TABLES}
        for info in infos:
            self.add(info)

    # --- table upkeep -------------------------------------------------------------------

    def _entries(self, info: PageInfo) -> Iterator[tuple[Table, str]]:
        tables = self._tables
        key = fold(strip_md(info.path))
        yield tables[_PATH], key
        # a suffix is looked up only with a folder in it, and the whole path is in _PATH
        folder_at = key.find("/")
        last = key.rfind("/")
        while folder_at != -1 and folder_at < last:
            yield tables[_SUFFIX], key[folder_at + 1:]
            folder_at = key.find("/", folder_at + 1)
        yield tables[_NAME], key[last + 1:]
        for alias in info.aliases:
            if isinstance(alias, str) and alias.strip():
                yield tables[_ALIAS], fold(alias)
        if info.title and info.title.strip():
            yield tables[_TITLE], fold(info.title)

    def add(self, info: PageInfo) -> None:
        """Add or replace one page."""
        if info.path in self._infos:
            self.remove(info.path)
        self._infos[info.path] = info
        path = info.path
        for table, key in self._entries(info):
            _put(table, key, path)

    def remove(self, path: str) -> None:
        info = self._infos.pop(path, None)
        if info is None:
            return
        for table, key in self._entries(info):
            _drop(table, key, path)

    def clear(self) -> None:
        self._infos.clear()
        for table in self._tables.values():
            table.clear()

    def export(self) -> dict[str, Table]:
        """The tables, as plain dicts of strings and frozensets (persisted by the caller;
        the same objects, so copy them or hold the caller's lock while using them)."""
        return self._tables

    @classmethod
    def restore(cls, infos: dict[str, PageInfo], tables: dict[str, Table]) -> Resolver:
        """A resolver over ``infos`` with the tables ``export()`` gave for those same pages."""
        resolver = cls()
        resolver._infos = infos
        resolver._tables = {name: tables[name] for name in TABLES}
        return resolver

    def __len__(self) -> int:
        return len(self._infos)

    def __contains__(self, path: object) -> bool:
        return path in self._infos

    def get(self, path: str) -> PageInfo | None:
        return self._infos.get(path)

    def infos(self) -> list[PageInfo]:
        return [self._infos[p] for p in sorted(self._infos)]

    # --- resolution ---------------------------------------------------------------------

    def _candidates(self, target: str, source_path: str, kind: str) -> Iterator[tuple[str, str]]:
        """(table, key) pairs to try in order; the first hit wins."""
        target = target.strip().replace("\\", "/")
        if not target:
            yield _PATH, fold(strip_md(source_path))
            return
        rooted = target.startswith("/")
        bare = strip_md(target.strip("/")) if kind == "wiki" else target
        folder = source_path.rpartition("/")[0]
        escapes = ".." in bare.split("/")
        if kind == "markdown" or "/" in bare or rooted:
            relative = None if rooted else normalize_rel(f"{folder}/{bare}" if folder else bare)
            from_root = normalize_rel(bare)
            if relative is not None:
                yield _PATH, fold(strip_md(relative))
            if from_root is None:
                return  # '..' past the vault root: never outside the vault
            if from_root != relative:
                yield _PATH, fold(strip_md(from_root))
            if escapes or rooted:
                return
            key = fold(strip_md(from_root))
            if "/" in key:
                yield _SUFFIX, key
                yield _ALIAS, fold(target)
                return
            bare = key
        elif escapes:
            return
        key = fold(strip_md(bare))
        yield _NAME, key
        yield _ALIAS, fold(target)

    def resolve(self, target: str, source_path: str, kind: str = "wiki") -> str | None:
        """The vault path a link from ``source_path`` points to, or None."""
        if not target.strip():
            return source_path
        tables = self._tables
        for table, key in self._candidates(target, source_path, kind):
            if table == _SUFFIX:
                found = (*_members(tables[_PATH].get(key)), *_members(tables[_SUFFIX].get(key)))
                if found:
                    return min(found, key=_rank)
                continue
            paths = tables[table].get(key)
            if paths:
                return _best(paths)
        return None

    def resolve_link(self, link: Link, source_path: str) -> str | None:
        return self.resolve(link.target, source_path, link.kind)

    def link_keys(self, target: str, source_path: str, kind: str = "wiki") -> list[str]:
        """Keys under which a link's target may be found in ``page_keys`` of some page.

        ``resolve(target, source) == P`` implies at least one of these is in ``page_keys(P)``.
        """
        keys: list[str] = []
        for _table, key in self._candidates(target, source_path, kind):
            if key not in keys:
                keys.append(key)
        return keys

    @staticmethod
    def page_keys(info: PageInfo) -> set[str]:
        """Keys a page can be reached by: path suffixes (full path ... name) and aliases."""
        keys = set(_suffixes(fold(strip_md(info.path))))
        keys.update(fold(a) for a in info.aliases if isinstance(a, str) and a.strip())
        return keys

    # Names used in docs/ARCHITECTURE.md.
    # --- lookups for the CLI and lint ---------------------------------------------------

    def find(self, name: str) -> str | None:
        """What a user means by ``name``: vault path (with or without .md), file name, alias,
        then title; case-insensitive."""
        name = name.strip()
        if not name:
            return None
        if name in self._infos:
            return name
        rel = normalize_rel(name)
        if rel is not None:
            paths = self._tables[_PATH].get(fold(strip_md(rel)))
            if paths:
                return _best(paths)
        key = fold(strip_md(name))
        for table, k in ((self._tables[_NAME], key), (self._tables[_ALIAS], fold(name)),
                         (self._tables[_TITLE], fold(name))):
            found = table.get(k)
            if found:
                return _best(found)
        return None

    def label(self, path: str) -> str:
        """The name to show for a page: its title, with its folder when another page shows the
        same name (``Todo (projects/a)``, ``Todo (/)`` at the top level)."""
        info = self._infos.get(path)
        if info is None:
            return strip_md(path.rpartition("/")[2])
        return label_for(info, not isinstance(self._tables[_TITLE].get(fold(info.title), ""),
                                              str))

    def paths_named(self, name: str) -> list[str]:
        """Every page whose file name (without .md) is ``name``, case-insensitively; ranked."""
        return sorted(_members(self._tables[_NAME].get(fold(strip_md(name)))), key=_rank)

    def duplicate_names(self) -> dict[str, list[str]]:
        """File names shared by more than one page (what ``[[name]]`` cannot tell apart)."""
        return {k: sorted(v, key=_rank) for k, v in self._tables[_NAME].items()
                if not isinstance(v, str)}
