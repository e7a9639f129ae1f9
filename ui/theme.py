"""The app's look: the system, light or dark theme, and the spacing of a current desktop app.

Light and dark use Qt's Fusion style with our own palette, so dark works on desktops that do
not hand Qt a dark palette (a bare X session, many window managers, offscreen). "System" puts
back the style and palette the platform gave at start. The page view follows the palette:
``ui.views.page_browser.page_stylesheet`` picks its light or dark colours from it, and widgets
re-read their colours on the ``PaletteChange`` event every theme change sends.

``LookStyle`` adds the spacing of a current desktop app to whichever style is in use.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMargins, QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory

Role, Group = QPalette.ColorRole, QPalette.ColorGroup

LIGHT = {
    Role.Window: "#f5f6f8", Role.WindowText: "#1f2328", Role.Base: "#ffffff",
    Role.AlternateBase: "#f1f3f5", Role.Text: "#1f2328", Role.Button: "#f3f4f6",
    Role.ButtonText: "#1f2328", Role.BrightText: "#ffffff", Role.Highlight: "#2563eb",
    Role.HighlightedText: "#ffffff", Role.Link: "#0b62c4", Role.LinkVisited: "#6f42c1",
    Role.ToolTipBase: "#ffffff", Role.ToolTipText: "#1f2328", Role.PlaceholderText: "#868e96",
    Role.Light: "#ffffff", Role.Midlight: "#e7e9ec", Role.Mid: "#cfd4da", Role.Dark: "#a0a7b0",
    Role.Shadow: "#6b7280",
}
DARK = {
    Role.Window: "#1f2227", Role.WindowText: "#e6e8eb", Role.Base: "#16181c",
    Role.AlternateBase: "#23272d", Role.Text: "#e6e8eb", Role.Button: "#2a2e35",
    Role.ButtonText: "#e6e8eb", Role.BrightText: "#ffffff", Role.Highlight: "#3b7ddd",
    Role.HighlightedText: "#ffffff", Role.Link: "#58a6ff", Role.LinkVisited: "#d2a8ff",
    Role.ToolTipBase: "#2a2e35", Role.ToolTipText: "#e6e8eb", Role.PlaceholderText: "#7d848e",
    Role.Light: "#3a3f47", Role.Midlight: "#2f333a", Role.Mid: "#3d434b", Role.Dark: "#111317",
    Role.Shadow: "#000000",
}
DISABLED = {"light": "#a3a9b1", "dark": "#6a7079"}  # text of disabled widgets

class LookStyle(QProxyStyle):
    """A current desktop app's spacing over any base style (Fusion for light and dark, the
    platform's for system): roomier rows, fields, tool buttons and menus, thin splitters.
    Metrics only, never a style sheet: a widget a style sheet styles stops inheriting a
    palette set on its parent, which the page view's images and math rely on."""

    METRICS = {
        QStyle.PixelMetric.PM_ToolBarItemSpacing: 4,
        QStyle.PixelMetric.PM_ToolBarFrameWidth: 0,
        QStyle.PixelMetric.PM_ToolBarItemMargin: 2,
        QStyle.PixelMetric.PM_SplitterWidth: 5,
    }
    GROW = {  # extra (width, height) in pixels
        QStyle.ContentsType.CT_ItemViewItem: (0, 6),
        QStyle.ContentsType.CT_LineEdit: (0, 8),
        QStyle.ContentsType.CT_ToolButton: (8, 8),
        QStyle.ContentsType.CT_MenuItem: (8, 6),
        QStyle.ContentsType.CT_PushButton: (8, 4),
        QStyle.ContentsType.CT_ComboBox: (0, 4),
    }

    def pixelMetric(self, metric, option=None, widget=None) -> int:  # noqa: N802 (Qt name)
        if metric in self.METRICS:
            return self.METRICS[metric]
        return super().pixelMetric(metric, option, widget)

    def sizeFromContents(self, kind, option, size, widget=None) -> QSize:  # noqa: N802
        out = super().sizeFromContents(kind, option, size, widget)
        grow = self.GROW.get(kind)
        return out.grownBy(QMargins(0, 0, *grow)) if grow and out.isValid() else out


@dataclass
class _System:
    style: str
    palette: QPalette


_system: _System | None = None


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "the theme needs a QApplication"
    return app


def palette_for(name: str) -> QPalette:
    """Our light or dark palette, disabled colours included."""
    colours = DARK if name == "dark" else LIGHT
    palette = QPalette()
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    disabled = QColor(DISABLED["dark" if name == "dark" else "light"])
    for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.PlaceholderText):
        palette.setColor(Group.Disabled, role, disabled)
    palette.setColor(Group.Disabled, Role.Highlight, QColor(colours[Role.Mid]))
    return palette


def apply_theme(name: str) -> None:
    """Switch the whole app to ``name`` ("system", "light" or "dark"), live."""
    global _system
    app = _app()
    if _system is None:  # what the platform gave, to go back to
        current = app.style()
        base = current.baseStyle() if isinstance(current, QProxyStyle) else current
        _system = _System(base.name(), QPalette(app.palette()))
    style, palette = (("Fusion", palette_for(name)) if name in ("light", "dark")
                      else (_system.style, _system.palette))
    current = app.style()
    if isinstance(current, LookStyle) and current.objectName() == style.lower() \
            and app.palette() == palette:
        return  # nothing changes: no widget is repainted for nothing
    # a new style re-polishes every widget: existing ones take the new palette too (setting
    # the application palette alone reaches only widgets made afterwards)
    base = QStyleFactory.create(style) or QStyleFactory.create("Fusion")
    look = LookStyle(base)
    look.setObjectName(style.lower())
    app.setPalette(palette)
    app.setStyle(look)  # the app owns it from here
    _push_palette(app, palette)


def _push_palette(app: QApplication, palette: QPalette) -> None:
    """Give every existing widget the new palette now. Qt delivers an application palette
    change late and not to every subtree (a page view moved into the tab area kept the old
    one); widgets that set a palette of their own are left alone, ours are marked."""
    for widget in app.allWidgets():
        ours = bool(widget.property("commonplace_theme"))
        if ours or not widget.testAttribute(Qt.WidgetAttribute.WA_SetPalette):
            widget.setPalette(palette)
            widget.setProperty("commonplace_theme", True)


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or _app().palette()
    return palette.color(Role.Window).lightness() < 128
