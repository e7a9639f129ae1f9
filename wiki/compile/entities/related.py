"""The "Related" list of an entity page: only entities truly connected to it.

Two entities are connected when a sentence names them both, or when several sources name
them both; a name that merely appears somewhere in the same long article is not a relation.
The strongest come first (sentences together, then shared sources), capped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from wiki.compile.entities import thresholds as T
from wiki.compile.entities.facts import Facts
from wiki.compile.entities.table import Entity

Places = dict[str, dict[str, set[int]]]  # entity key -> source id -> sentence numbers


class FactsBySource(Protocol):
    def get(self, sid: str) -> Facts | None: ...


def entity_places(surfaces: Mapping[str, Mapping[str, str]],
                  facts: FactsBySource) -> Places:
    """Where each entity is named, sentence by sentence: every spelling of it a source wrote
    (``surfaces``: source id -> spelling -> entity key) looked up in that source's facts."""
    out: Places = {}
    for sid, by_surface in surfaces.items():
        f = facts.get(sid)
        if f is None:
            continue
        for surface, key in by_surface.items():
            at = f.places.get(surface)
            if at:
                out.setdefault(key, {}).setdefault(sid, set()).update(at)
    return out


def related(ent: Entity, by_sid: Mapping[str, list[Entity]], places: Places,
            order: Mapping[str, int]) -> list[str]:
    """The keys of the entities connected to ``ent``, strongest first, at most
    ``T.MAX_RELATED``."""
    sids = sorted(ent.mentions, key=order.__getitem__)[-T.RELATED_WINDOW:]
    mine = places.get(ent.key, {})
    together: dict[str, int] = {}
    shared: dict[str, int] = {}
    for sid in sids:
        here = mine.get(sid, set())
        for other in by_sid.get(sid, ()):
            if other.key == ent.key:
                continue
            shared[other.key] = shared.get(other.key, 0) + 1
            both = len(here & places.get(other.key, {}).get(sid, set()))
            if both:
                together[other.key] = together.get(other.key, 0) + min(
                    both, T.RELATED_MAX_SENTENCES_PER_SOURCE)
    connected = [k for k in shared
                 if together.get(k, 0) > 0 or shared[k] >= T.RELATED_MIN_SHARED_SOURCES]

    def strength(key: str) -> tuple[int, int, str]:
        return (-(together.get(key, 0) * T.RELATED_SENTENCE + shared[key]
                  * T.RELATED_SHARED_SOURCE), -shared[key], key)

    return sorted(connected, key=strength)[:T.MAX_RELATED]
