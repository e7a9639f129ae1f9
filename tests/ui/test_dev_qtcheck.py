"""`python3 dev.py app` names missing Qt system libraries before it installs anything, and the
README's install lines are complete and the same as the check's."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui import qtcheck

ROOT = Path(__file__).resolve().parent.parent.parent


def load_dev():
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_app_stops_before_installing_when_a_library_is_missing(monkeypatch, capsys):
    dev = load_dev()
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.delenv("COMMONPLACE_SKIP_QT_CHECK", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(qtcheck, "_loads", lambda lib: lib != "libxcb-cursor.so.0")
    installs: list[str] = []
    monkeypatch.setattr(dev, "ensure_environment", lambda: installs.append("pip") or "python")
    assert dev.main(["app"]) == 1
    err = capsys.readouterr().err
    assert installs == []
    assert "libxcb-cursor.so.0" in err
    assert "Debian/Ubuntu: sudo apt install libxcb-cursor0\n" in err
    assert "Fedora:        sudo dnf install xcb-util-cursor\n" in err
    assert "nothing was installed" in err


def test_dev_app_goes_on_when_everything_loads(monkeypatch):
    dev = load_dev()
    monkeypatch.setattr(qtcheck, "_loads", lambda lib: True)
    monkeypatch.setattr(dev, "ensure_environment", lambda: Path(sys.executable))
    monkeypatch.setattr(dev.subprocess, "call", lambda cmd, **kw: 0 if "main.py" in cmd[1]
                        else 99)
    assert dev.main(["app", "--help"]) == 0


@pytest.mark.skipif(not qtcheck.missing_system_libraries("xcb"),
                    reason="this machine has every library the xcb platform needs")
def test_dev_app_on_this_machine_names_what_is_really_missing(tmp_path):
    """A real run on a machine that lacks xcb libraries (this build machine): one message,
    exit 1, and no .venv created."""
    missing = qtcheck.missing_system_libraries("xcb")
    env = {k: v for k, v in os.environ.items() if k != "COMMONPLACE_SKIP_QT_CHECK"}
    env |= {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}
    had_venv = (ROOT / ".venv").exists()
    run = subprocess.run([sys.executable, str(ROOT / "dev.py"), "app"], capture_output=True,
                         text=True, env=env, timeout=60, check=False)
    assert run.returncode == 1
    assert all(lib in run.stderr for lib in missing)
    assert qtcheck.apt_line(missing) in run.stderr and qtcheck.dnf_line(missing) in run.stderr
    assert "Traceback" not in run.stderr
    assert (ROOT / ".venv").exists() == had_venv


def test_readme_gives_complete_copyable_install_lines():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    assert qtcheck.apt_line() in lines
    assert qtcheck.dnf_line() in lines
    for line in lines:
        if "apt install" in line or "dnf install" in line or "apt-get install" in line:
            assert "..." not in line and "…" not in line, line
    # every library the check can ask for has a package in both lines
    for lib in qtcheck.PLATFORM_LIBS["xcb"] + qtcheck.PLATFORM_LIBS["wayland"]:
        assert qtcheck.apt_package(lib) in qtcheck.apt_line().split()
        assert qtcheck.dnf_package(lib) in qtcheck.dnf_line().split()
