"""TeX to SVG with ziamath, cached: ``$…$`` and ``$$…$$`` drawn without a browser or LaTeX.

ziamath is pure Python (with its own STIX Two Math font) and draws a formula in a few
milliseconds; results are kept in an LRU cache keyed by the TeX, so a page re-rendered after an
edit redraws nothing. Paths are emitted without ``<symbol>``/``<use>`` because Qt's SVG renderer
draws only plain paths.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from functools import lru_cache

log = logging.getLogger(__name__)

MAX_TEX = 4000  # characters: longer formulas are shown as their source
INLINE_SIZE = 17  # px: close to the page's body text
DISPLAY_SIZE = 20
_lock = threading.Lock()  # ziamath keeps font state in module globals


@lru_cache(maxsize=2048)
def tex_svg(tex: str, display: bool) -> bytes | None:
    """The formula as SVG bytes, or None when ziamath cannot read it."""
    tex = tex.strip()
    if not tex or len(tex) > MAX_TEX:
        return None
    try:
        import ziamath

        with _lock:
            ziamath.config.svg2 = False
            svg = ziamath.Latex(tex, size=DISPLAY_SIZE if display else INLINE_SIZE,
                                inline=not display).svg()
    except Exception as exc:  # noqa: BLE001 (a third-party parser on untrusted text: any failure -> source)
        log.debug("cannot draw %r: %s", tex[:80], exc)
        return None
    return svg.encode("utf-8")


def math_url(tex: str, display: bool) -> tuple[str, bytes] | None:
    """(resource URL, SVG bytes) for the formula, or None when it cannot be drawn."""
    svg = tex_svg(tex, display)
    if svg is None:
        return None
    digest = hashlib.sha1(f"{int(display)}{tex.strip()}".encode()).hexdigest()[:20]
    return f"math:{digest}.svg", svg
