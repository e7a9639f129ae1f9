"""Text zoom for the page view: Ctrl+Plus, Ctrl+Minus, Ctrl+0, remembered across launches
(QSettings ``reading/zoom``, for every vault: it is about the reader's eyes, not the notes)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

SETTING = "reading/zoom"
STEPS = (0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)


def saved_zoom(settings: QSettings) -> float:
    try:
        value = float(str(settings.value(SETTING, 1.0)))
    except (TypeError, ValueError):
        return 1.0
    return value if STEPS[0] <= value <= STEPS[-1] else 1.0


def next_zoom(zoom: float, direction: int) -> float:
    """The next step up (``direction`` 1) or down (-1) from ``zoom``; 0 resets."""
    if direction == 0:
        return 1.0
    if direction > 0:
        return next((s for s in STEPS if s > zoom + 1e-6), STEPS[-1])
    return next((s for s in reversed(STEPS) if s < zoom - 1e-6), STEPS[0])


def store_zoom(settings: QSettings, zoom: float) -> None:
    settings.setValue(SETTING, zoom)
