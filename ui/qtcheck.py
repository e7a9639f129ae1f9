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
from collections.abc import Callable
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
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
# Fedora packages for the same libraries.
DNF_PACKAGES = {
    "libEGL.so.1": "libglvnd-egl",
    "libGL.so.1": "libglvnd-glx",
    "libOpenGL.so.0": "libglvnd-opengl",
    "libxkbcommon.so.0": "libxkbcommon",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11",
    "libxcb-cursor.so.0": "xcb-util-cursor",
    "libxcb-icccm.so.4": "xcb-util-wm",
    "libxcb-keysyms.so.1": "xcb-util-keysyms",
    "libxcb-image.so.0": "xcb-util-image",
    "libxcb-render-util.so.0": "xcb-util-renderutil",
    "libxcb-shape.so.0": "libxcb",
    "libxcb-randr.so.0": "libxcb",
    "libxcb-xkb.so.1": "libxcb",
    "libxcb-shm.so.0": "libxcb",
    "libxcb-sync.so.1": "libxcb",
    "libxcb-xfixes.so.0": "libxcb",
    "libxcb-render.so.0": "libxcb",
    "libxcb-util.so.1": "xcb-util",
    "libX11-xcb.so.1": "libX11-xcb",
    "libfontconfig.so.1": "fontconfig",
    "libfreetype.so.6": "freetype",
    "libdbus-1.so.3": "dbus-libs",
    "libglib-2.0.so.0": "glib2",
    "libwayland-client.so.0": "libwayland-client",
    "libwayland-cursor.so.0": "libwayland-cursor",
    "libwayland-egl.so.1": "libwayland-egl",
}
# Which of them each Qt platform plugin needs (every platform needs the first group).
# (what ldd lists for libQt6Gui and the platform plugins of the PySide6 wheel; libOpenGL is
# for QtOpenGL, which the app does not use, so it is installed but not required)
_COMMON_LIBS = ("libEGL.so.1", "libGL.so.1", "libxkbcommon.so.0",
                "libfontconfig.so.1", "libfreetype.so.6", "libdbus-1.so.3", "libglib-2.0.so.0")
PLATFORM_LIBS = {
    "xcb": _COMMON_LIBS + tuple(lib for lib in APT_PACKAGES if "xcb" in lib.lower()),
    "wayland": _COMMON_LIBS + tuple(lib for lib in APT_PACKAGES if "wayland" in lib),
    "offscreen": _COMMON_LIBS,
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


def dnf_package(soname: str) -> str:
    """The Fedora package shipping ``soname`` (a guess for libraries not in DNF_PACKAGES)."""
    return DNF_PACKAGES.get(soname) or soname.partition(".so")[0]


def apt_line(libs: list[str] | None = None) -> str:
    """The complete Debian/Ubuntu command installing ``libs`` (default: every library Qt may
    need here, for the README)."""
    libs = list(APT_PACKAGES) if libs is None else libs
    return "sudo apt install " + " ".join(dict.fromkeys(apt_package(lib) for lib in libs))


def dnf_line(libs: list[str] | None = None) -> str:
    """The complete Fedora command installing ``libs`` (default: every library)."""
    libs = list(DNF_PACKAGES) if libs is None else libs
    return "sudo dnf install " + " ".join(dict.fromkeys(dnf_package(lib) for lib in libs))


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_system_libraries(platform: str | None = None,
                             loads: Callable[[str], bool] | None = None) -> list[str]:
    """The system libraries Qt needs on ``platform`` (default: this session's) that cannot be
    loaded. Needs no Qt at all, so ``dev.py`` can ask before installing anything."""
    if not sys.platform.startswith("linux"):
        return []
    libs = PLATFORM_LIBS.get(platform or platform_name(), PLATFORM_LIBS["xcb"])
    loads = loads or _loads
    return [lib for lib in libs if not loads(lib)]


def install_advice(libs: list[str]) -> str:
    """Lines naming ``libs`` and the commands that install them on Debian/Ubuntu and Fedora."""
    return (f"Qt needs system libraries that are missing: {', '.join(libs)}\n"
            f"  Debian/Ubuntu: {apt_line(libs)}\n"
            f"  Fedora:        {dnf_line(libs)}")


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
        return (f"Commonplace cannot start: Qt ({platform}) needs missing system libraries "
                f"{', '.join(libs)} (on Debian/Ubuntu: {apt_line(libs)}; on Fedora: "
                f"{dnf_line(libs)})")
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
