"""Colours for fenced code: Pygments token classes as CSS, a light or a dark set.

Code is rendered with Pygments' class names (``<span class="k">``) so one page can be shown in
either palette: the page view adds ``code_css(dark)`` to its stylesheet, the HTML export the
light set. Only colour, weight and slant are kept (what Qt's rich text understands).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pygments.formatters import HtmlFormatter
from pygments.styles import get_all_styles

LIGHT_STYLE = "default"
DARK_STYLES = ("github-dark", "monokai")
_RULE = re.compile(r"^\s*(\.[\w-]+)\s*\{([^}]*)\}", re.MULTILINE)
_KEEP = re.compile(r"(?:^|;)\s*((?:color|font-weight|font-style)\s*:\s*[^;]+)")


@lru_cache(maxsize=4)
def code_css(dark: bool = False) -> str:
    style = LIGHT_STYLE
    if dark:
        available = set(get_all_styles())
        style = next((s for s in DARK_STYLES if s in available), LIGHT_STYLE)
    defs = HtmlFormatter(style=style).get_style_defs("")
    rules = []
    for selector, body in _RULE.findall(defs):
        kept = "; ".join(m.group(1).strip() for m in _KEEP.finditer(body))
        if kept and selector != ".hll":
            rules.append(f"span{selector} {{ {kept} }}")
    return "\n".join(rules) + "\n"
