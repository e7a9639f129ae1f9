"""The link graph: every page's metadata in memory, links and their key index in SQLite.

Links are kept as written. Each page's links are indexed under the lookup keys they could match
(a name, path forms); backlinks of a page are then a lookup by the page's own keys, confirmed
with the resolver — no pass over every link in the vault. Targets that resolve to nothing stay
in the graph as missing pages, so a link starts working the moment its page is written.

The links of pages loaded from the store, and their keys, stay in SQLite: links are read
(through ``load_links``) and decoded when somebody looks at them, only the last ``CACHED_LINKS``
pages' kept; keys are asked of the store (``keys_in_store``) for each backlink lookup. So memory
does not grow with every link in the vault. Pages set or removed since the vault was opened
(and every page of a graph read from the files, with no store) are *local*: their links and
keys are held here until it is closed and override what the store says of them, so the graph is
right while a batch is applied and before the store has committed it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable

from wiki.core.model import Link, PageInfo, ResolvedLink
from wiki.vault.resolve import Resolver
from wiki.vault.store import decode_links, encode_links

CACHED_LINKS = 4_096  # pages whose stored links are kept decoded


class LinkGraph:
    def __init__(self, load_links: Callable[[str], str | None] | None = None,
                 keys_in_store: Callable[[set[str]], set[str]] | None = None) -> None:
        self.resolver = Resolver()
        self.infos: dict[str, PageInfo] = {}
        self._load_links = load_links  # src -> its encoded links in the store
        self._keys_in_store = keys_in_store  # keys -> src pages with links stored under them
        self._use_store = keys_in_store is not None  # off for a graph read from the files
        self._encoded: dict[str, str] = {}  # src -> encoded links held in memory
        self._decoded: dict[str, list[Link]] = {}  # links of pages set since opening
        self._cache: OrderedDict[str, list[Link]] = OrderedDict()  # recently read from store
        self._local: set[str] = set()  # pages whose keys the store may not know (see above)
        self._keys: dict[str, frozenset[str]] = {}  # local src -> lookup keys of its links
        self._by_key: dict[str, set[str]] = defaultdict(set)  # key -> local src pages
        self.lock = threading.RLock()

    # -- building -----------------------------------------------------------------------------
    def keys_of(self, links: list[Link], src: str) -> frozenset[str]:
        keys: set[str] = set()
        for link in links:
            if link.target:
                keys.update(self.resolver.link_keys(link.target, src, link.kind))
        return frozenset(keys)

    def load_page(self, info: PageInfo, encoded: str | None = None,
                  keys: frozenset[str] | None = None) -> None:
        """Add a page while loading or building: no change tracking (nothing is shown yet).
        ``encoded`` None: its links are in the store, read through ``load_links``; ``keys``
        None: so are their keys (else the page is local)."""
        with self.lock:
            self.infos[info.path] = info
            self.resolver.add(info)
            if encoded is not None:
                self._encoded[info.path] = encoded
            if keys is not None:
                self._index_keys(info.path, keys)

    def restore(self, infos: dict[str, PageInfo], tables: dict) -> None:
        """Load every page at once, with the resolver tables saved from a graph of exactly
        these pages (``Resolver.export``); links and keys are in the store."""
        with self.lock:
            self.clear()
            self.infos = infos
            self.resolver = Resolver.restore(dict(infos), tables)

    def replace(self, infos: dict[str, PageInfo], resolver: Resolver) -> None:
        """Every page at once, with a resolver built over exactly these pages (a first open
        builds both beside the graph readers see, then swaps them in); links and keys are in
        the store."""
        with self.lock:
            self.clear()
            self.infos = infos
            self.resolver = resolver

    def memory_only(self) -> None:
        """This graph is read from the files: the store is not asked for keys (it may be of
        another version, or empty)."""
        self._use_store = False

    def _index_keys(self, src: str, keys: frozenset[str]) -> None:
        self._local.add(src)
        self._keys[src] = keys
        for key in keys:
            self._by_key[key].add(src)

    def set_page(self, info: PageInfo, links: list[Link]) -> tuple[set[str], str, frozenset[str]]:
        """Add or replace a page. Returns the pages whose links or backlinks may now differ,
        and the encoded links and keys to persist."""
        with self.lock:
            old = self.infos.get(info.path)
            affected = {info.path}
            # Pages linking by a name this page gains or loses: their links may now resolve
            # elsewhere, so the pages they pointed to before and after gain or lose backlinks.
            watchers: set[str] = set()
            if old is None or (old.aliases, old.title) != (info.aliases, info.title):
                watchers = self._sources_for(info)
                if old is not None:
                    watchers |= self._sources_for(old)
                watchers.discard(info.path)
            before = self._targets_of(watchers)
            if old is not None:
                affected |= self._targets(info.path)
                self.resolver.remove(info.path)
                self._unindex_links(info.path)
            self.infos[info.path] = info
            self.resolver.add(info)
            encoded, keys = encode_links(links), self.keys_of(links, info.path)
            self._encoded[info.path] = encoded
            self._decoded[info.path] = links
            self._index_keys(info.path, keys)
            affected |= self._targets(info.path) | watchers | before
            affected |= self._targets_of(watchers)
            return affected, encoded, keys

    def remove_page(self, path: str) -> set[str]:
        with self.lock:
            info = self.infos.get(path)
            if info is None:
                return set()
            watchers = self._sources_for(info) - {path}
            affected = self._targets(path) | watchers | self._targets_of(watchers)
            self.resolver.remove(path)
            self._unindex_links(path)
            self._local.add(path)  # gone: whatever the store still says of it is past
            del self.infos[path]
            affected |= self._targets_of(watchers)  # where their links resolve now
            affected.discard(path)
            return affected

    def clear(self) -> None:
        with self.lock:
            self.resolver = Resolver()
            self.infos = {}
            self._use_store = self._keys_in_store is not None
            self._local.clear()
            self._encoded.clear()
            self._decoded.clear()
            self._cache.clear()
            self._keys.clear()
            self._by_key.clear()

    def _unindex_links(self, src: str) -> None:
        for key in self._keys.pop(src, ()):
            sources = self._by_key.get(key)
            if sources is not None:
                sources.discard(src)
                if not sources:
                    del self._by_key[key]
        self._encoded.pop(src, None)
        self._decoded.pop(src, None)
        self._cache.pop(src, None)

    def links_of(self, src: str) -> list[Link]:
        with self.lock:
            links = self._decoded.get(src)
            if links is not None:
                return links
            links = self._cache.get(src)
            if links is not None:
                self._cache.move_to_end(src)
                return links
            if src not in self.infos:
                return []
            encoded = self._encoded.get(src)
            if encoded is None and self._load_links is not None:
                encoded = self._load_links(src)
            links = decode_links(encoded) if encoded else []
            self._cache[src] = links
            if len(self._cache) > CACHED_LINKS:
                self._cache.popitem(last=False)
            return links

    def _resolve(self, link: Link, src: str) -> str | None:
        return self.resolver.resolve(link.target, src, link.kind) if link.target else src

    def _targets(self, src: str) -> set[str]:
        return {t for link in self.links_of(src) if link.target
                and (t := self._resolve(link, src)) is not None}

    def _targets_of(self, sources: set[str]) -> set[str]:
        found: set[str] = set()
        for src in sources:
            found |= self._targets(src)
        return found

    def _sources_for(self, info: PageInfo) -> set[str]:
        keys = self.resolver.page_keys(info)
        sources: set[str] = set()
        if self._use_store and self._keys_in_store is not None:
            local = self._local
            sources = {src for src in self._keys_in_store(keys) if src not in local}
        for key in keys:
            sources |= self._by_key.get(key, set())
        return sources

    # -- queries ------------------------------------------------------------------------------
    def outgoing(self, path: str) -> list[ResolvedLink]:
        with self.lock:
            return [ResolvedLink(link, self._resolve(link, path)) for link in self.links_of(path)]

    def backlinks(self, path: str) -> list[tuple[str, Link]]:
        """(source page, link) for every link in the vault that resolves to ``path``."""
        with self.lock:
            info = self.infos.get(path)
            if info is None:
                return []
            return [(src, link) for src in sorted(self._sources_for(info))
                    for link in self.links_of(src)
                    if link.target and self._resolve(link, src) == path]

    def possible_sources(self, path: str) -> set[str]:
        """Pages with a link that may resolve to ``path`` (by its keys; not resolved): a
        caller that resolves many pages' links once can confirm them cheaply."""
        with self.lock:
            info = self.infos.get(path)
            return set() if info is None else self._sources_for(info)

    def has_backlinks(self, path: str) -> bool:
        return any(src != path for src, _ in self.backlinks(path))

    def broken_links(self) -> list[tuple[str, Link]]:
        with self.lock:
            return [(src, link) for src in sorted(self.infos) for link in self.links_of(src)
                    if link.target and self._resolve(link, src) is None]
