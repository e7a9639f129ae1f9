"""Check, before any Qt widget import, that Qt can load; name the missing system libraries.

Qt's own failure is a multi-line abort ("could not load the Qt platform plugin…") or an
ImportError deep in PySide6. This turns both into one line with the apt packages to install.
No Qt import happens here at module level.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Debian/Ubuntu packages for the libraries Qt most often misses on a bare system.
APT_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
_SONAME = re.compile(r"(lib[\w.+-]+?\.so(?:\.\d+)*)")


def apt_package(soname: str) -> str:
    """Best guess of the Debian package shipping ``soname`` (``libfoo.so.2`` → ``libfoo2``)."""
    if soname in APT_PACKAGES:
        return APT_PACKAGES[soname]
    base, _, version = soname.partition(".so")
    version = version.lstrip(".").split(".")[0]
    base = base.lower()
    return f"{base}-{version}" if base[-1:].isdigit() and version else f"{base}{version}"


def _qt_dir() -> Path | None:
    try:
        import importlib.util

        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def missing_in(library: Path) -> list[str]:
    """Libraries ``ldd`` reports as "not found" for ``library`` (empty when ldd is absent)."""
    ldd = shutil.which("ldd")
    if ldd is None or not library.exists():
        return []
    try:
        out = subprocess.run([ldd, str(library)], capture_output=True, text=True, timeout=10,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.split("=>")[0].strip() for line in out.splitlines() if "not found" in line]


def platform_name() -> str:
    """The Qt platform plugin that will be used on this system."""
    name = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if name:
        return name
    if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return "wayland"
    return "xcb"


def problem() -> str | None:
    """One line describing why Qt cannot start here, or None when it should start."""
    if not sys.platform.startswith("linux"):
        return None
    missing: list[str] = []
    try:
        import PySide6.QtGui  # noqa: F401 - loads libQt6Gui and its direct dependencies
    except ImportError as exc:
        found = _SONAME.findall(str(exc))
        qt = _qt_dir()
        missing = found or (missing_in(qt / "lib" / "libQt6Gui.so.6") if qt else [])
        if not missing:
            return f"Commonplace cannot start: Qt failed to load ({str(exc).splitlines()[0]})."
    platform = platform_name()
    qt = _qt_dir()
    if not missing and qt is not None and platform in ("xcb", "wayland", "eglfs"):
        plugin = qt / "plugins" / "platforms" / f"libq{platform}.so"
        missing = missing_in(plugin)
        if platform == "xcb" and ctypes.util.find_library("xcb-cursor") is None:
            missing.append("libxcb-cursor.so.0")  # dlopen()ed by Qt >= 6.5: ldd cannot see it
    if missing:
        libs = sorted(dict.fromkeys(missing))
        packages = " ".join(dict.fromkeys(apt_package(lib) for lib in libs))
        return (f"Commonplace cannot start: Qt ({platform}) needs missing system libraries "
                f"{', '.join(libs)} (on Debian/Ubuntu: sudo apt install {packages})")
    if platform == "xcb" and not os.environ.get("DISPLAY"):
        return ("Commonplace cannot start: no display (DISPLAY is not set). Run it in a desktop "
                "session, or use QT_QPA_PLATFORM=offscreen with --screenshot.")
    return None


def check_or_exit() -> None:
    """Print the problem on stderr and exit 1 when Qt cannot start."""
    message = problem()
    if message:
        print(message, file=sys.stderr)
        raise SystemExit(1)
