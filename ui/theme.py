"""The app's look: the system, light or dark theme, and the spacing of a current desktop app.

Light and dark use Qt's Fusion style with our own palette, so dark works on desktops that do
not hand Qt a dark palette (a bare X session, many window managers, offscreen). "System" puts
back the style and palette the platform gave at start. The page view follows the palette:
``ui.views.page_browser.page_stylesheet`` picks its light or dark colours from it, and widgets
re-read their colours on the ``PaletteChange`` event every theme change sends.

``STYLE`` (spacing, rounded fields, quiet borders) refers to palette roles only, so the same
sheet serves all three themes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

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

STYLE = """
QToolBar { border: none; spacing: 2px; padding: 4px 8px; }
QToolBar::separator { width: 1px; margin: 6px 6px; background: palette(mid); }
QToolButton { padding: 4px 8px; border: 1px solid transparent; border-radius: 6px; }
QToolButton:hover { background: palette(midlight); border-color: palette(mid); }
QToolButton:pressed, QToolButton:checked { background: palette(mid); }
QLineEdit { padding: 5px 8px; border: 1px solid palette(mid); border-radius: 6px;
            background: palette(base); selection-background-color: palette(highlight); }
QLineEdit:focus { border: 1px solid palette(highlight); }
QTreeView, QListView { border: none; background: palette(base); outline: 0; }
QTreeView::item, QListView::item { padding: 3px 2px; }
QTextBrowser, QPlainTextEdit { border: none; }
QSplitter::handle { background: palette(window); }
QSplitter::handle:horizontal { width: 6px; }
QSplitter::handle:vertical { height: 6px; }
QStatusBar { border-top: 1px solid palette(midlight); }
QStatusBar QLabel { padding: 0px 6px; }
QMenuBar { padding: 2px 4px; }
QMenu { padding: 4px; }
QMenu::item { padding: 5px 24px 5px 12px; border-radius: 4px; }
QMenu::item:selected { background: palette(highlight); color: palette(highlighted-text); }
QMenu::separator { height: 1px; margin: 4px 8px; background: palette(midlight); }
QPushButton { padding: 5px 14px; border: 1px solid palette(mid); border-radius: 6px;
              background: palette(button); }
QPushButton:hover { border-color: palette(highlight); }
QPushButton:default { border-color: palette(highlight); }
QComboBox, QSpinBox, QFontComboBox { padding: 3px 8px; }
QGroupBox { font-weight: 600; }
"""


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
        _system = _System(app.style().name(), QPalette(app.palette()))
    style, palette = (("fusion", palette_for(name)) if name in ("light", "dark")
                      else (_system.style, _system.palette))
    if (app.style().name().lower() == style.lower() and app.palette() == palette
            and app.styleSheet() == STYLE):
        return  # nothing changes: no widget is repainted for nothing
    # the style sheet goes first and comes back last: widgets polished under a style sheet
    # keep the palette they had then, so existing widgets would miss the new colours
    app.setStyleSheet("")
    if app.style().name().lower() != style.lower():
        app.setStyle(style)
    app.setPalette(palette)
    app.setStyleSheet(STYLE)


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or _app().palette()
    return palette.color(Role.Window).lightness() < 128
