#!/usr/bin/env python3
"""Set up the project in ./.venv and run it: `python3 dev.py app`, `python3 dev.py test`,
`python3 dev.py check` (ruff, the import contracts and mypy, as CI runs them), or
`python3 dev.py screenshots` (the README's pictures, light and dark: bench/screenshots.py).

Needs only Python 3.11+. The virtual environment is (re)installed when pyproject.toml changes,
so both commands work on a fresh clone and stay fast afterwards. COMMONPLACE_EXTRAS chooses the
optional extras to install (default "test"; CI uses "test,llm-test" for the real-model tests).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".commonplace-installed"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file must run on old Pythons to say so
        sys.exit(f"Commonplace needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    extras = os.environ.get("COMMONPLACE_EXTRAS", "test").replace(" ", "") or "test"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()
                            + extras.encode()).hexdigest()
    python = venv_python()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return python
    if not python.exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing Commonplace and its dependencies into .venv …", flush=True)
    # llama-cpp-python (extra llm-test) builds from source: native CPU flags make a build
    # that crashes at inference on some machines
    env = dict(os.environ, CMAKE_ARGS=os.environ.get("CMAKE_ARGS", "-DGGML_NATIVE=OFF"))
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-e", f"{ROOT}[{extras}]"],
        check=True, env=env,
    )
    STAMP.write_text(wanted)
    return python


def check(python: Path) -> int:
    """Lint, import contracts, types: each must pass; every failure is printed."""
    bindir = python.parent
    failed = []
    for name, cmd in (("ruff", [str(python), "-m", "ruff", "check", "."]),
                      ("import contracts", [str(bindir / "lint-imports")]),
                      ("mypy", [str(python), "-m", "mypy"])):
        print(f"== {name}", flush=True)
        if subprocess.call(cmd, cwd=ROOT) != 0:
            failed.append(name)
    if failed:
        print(f"check failed: {', '.join(failed)}", flush=True)
        return 1
    return 0


def missing_qt_libraries() -> str | None:
    """Advice naming the system libraries Qt needs and cannot find here, before anything is
    installed (a missing xcb library otherwise shows only after a long pip install); None when
    all load. COMMONPLACE_SKIP_QT_CHECK=1 skips the check."""
    if os.environ.get("COMMONPLACE_SKIP_QT_CHECK") == "1":
        return None
    sys.path.insert(0, str(ROOT))
    try:
        from ui import qtcheck  # standard library only: no Qt, no venv needed
    finally:
        sys.path.remove(str(ROOT))
    missing = qtcheck.missing_system_libraries()
    return qtcheck.install_advice(missing) if missing else None


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"app", "test", "check", "setup", "screenshots"}:
        print(__doc__.strip())
        return 2
    if argv[0] == "app":
        advice = missing_qt_libraries()
        if advice:
            print(f"{advice}\nInstall them, then run `python3 dev.py app` again "
                  "(nothing was installed).", file=sys.stderr)
            return 1
    python = ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "setup":
        return 0
    if command == "app":
        return subprocess.call([str(python), str(ROOT / "main.py"), *rest])
    if command == "check":
        return check(python)
    if command == "screenshots":
        return subprocess.call([str(python), "-m", "bench.screenshots", *rest], cwd=ROOT)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
