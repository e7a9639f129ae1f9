"""Back/forward navigation history for the main window (plain Python, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Place:
    path: str
    heading: str = ""
    scroll: int | None = None  # where the reader was when they left it (None: never left)


class History:
    """A browser-style history: visiting a new place drops the forward stack."""

    def __init__(self, limit: int = 200) -> None:
        self._back: list[Place] = []
        self._forward: list[Place] = []
        self.current: Place | None = None
        self._limit = limit

    def visit(self, place: Place) -> None:
        if self.current is not None and self.current.path == place.path \
                and self.current.heading == place.heading:
            return
        if self.current is not None:
            self._back.append(self.current)
            del self._back[:-self._limit]
        self._forward.clear()
        self.current = place

    def remember_scroll(self, path: str, value: int) -> None:
        """The reader is at ``value`` on ``path``: Back/Forward to this entry return there."""
        if self.current is not None and self.current.path == path:
            self.current = replace(self.current, scroll=value)

    def can_go_back(self) -> bool:
        return bool(self._back)

    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def back(self) -> Place | None:
        if not self._back:
            return None
        if self.current is not None:
            self._forward.append(self.current)
        self.current = self._back.pop()
        return self.current

    def forward(self) -> Place | None:
        if not self._forward:
            return None
        if self.current is not None:
            self._back.append(self.current)
        self.current = self._forward.pop()
        return self.current

    def forget(self, paths: set[str]) -> None:
        """Drop removed pages from the stacks (the current place stays until replaced)."""
        self._back = [p for p in self._back if p.path not in paths]
        self._forward = [p for p in self._forward if p.path not in paths]
