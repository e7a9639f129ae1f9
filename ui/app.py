"""Start the desktop app: arguments, QApplication, first run, ``--open`` and ``--screenshot``.

Qt is imported only inside ``run`` so that ``qtcheck`` can explain a missing system library
in one line before PySide6 tries (and fails) to load it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from ui import crashlog, qtcheck

ORG = APP = "Commonplace"
SCREENSHOT_TIMEOUT_MS = 120_000


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="commonplace", description="Commonplace desktop app.")
    parser.add_argument("--vault", help="vault folder (default: WIKI_VAULT, the last vault, or "
                                         "the per-user default vault)")
    parser.add_argument("--open", metavar="PAGE", help="open this page (name, alias or path)")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="render the window to FILE.png once loaded, then exit")
    parser.add_argument("--theme", choices=("system", "light", "dark"),
                        help="use this theme (remembered, as in Settings)")
    parser.add_argument("--graph", action="store_true",
                        help="with --screenshot: render View > Graph of the Vault instead")
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"commonplace: ignoring unknown arguments: {' '.join(unknown)}", file=sys.stderr)
    return args


def choose_vault(arg: str | None, last_vault: str | None) -> Path:
    """``--vault``, then ``WIKI_VAULT``, then the last vault used (if it still exists), then
    the default vault."""
    from wiki.core.paths import vault_from_args

    if arg or os.environ.get("WIKI_VAULT") or not last_vault:
        return vault_from_args(arg)
    last = Path(last_vault)
    return last if last.is_dir() else vault_from_args(None)


def vault_problem(path: Path, first_run: bool) -> str | None:
    """Why ``path`` cannot be opened as a vault, in one line (None when it can)."""
    if first_run:
        return None
    if not path.exists():
        return f"No vault at {path}: the folder does not exist."
    if not path.is_dir():
        return f"{path} is not a folder."
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python main.py``, the ``commonplace`` script and ``wiki`` alone."""
    args = parse_args(sys.argv[1:] if argv is None else list(argv))
    message = qtcheck.problem()
    if message:
        print(message, file=sys.stderr)
        return 1
    crashlog.enable()  # a native crash in Qt leaves its Python stacks in the state folder
    return run(args)


def run(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui import single_instance
    from ui.operations import loading
    from ui.tasks import Tasks
    from ui.window.main_window import MainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setDesktopFileName("commonplace")
    if args.screenshot:  # a throwaway settings file: screenshots are reproducible and
        scratch = tempfile.mkdtemp(prefix="commonplace-shot-")  # never change the user's
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
    else:
        settings = QSettings(ORG, APP)
    path = choose_vault(args.vault, settings.value("vault/last"))
    first_run = loading.needs_first_run(path)
    problem = vault_problem(path, first_run)
    if problem:
        print(f"commonplace: {problem}", file=sys.stderr)
        if not args.screenshot and app.platformName() not in ("offscreen", "minimal"):
            QMessageBox.critical(None, "Commonplace", problem)
        return 1
    if not args.screenshot and single_instance.hand_over(path, args.open):
        print(f"commonplace: {path} is open in a running window: brought it to the front")
        return 0  # one window per vault, never a read-only copy
    tasks = Tasks()
    window = MainWindow(tasks, settings)
    if args.theme:
        window.look.apply(replace(window.look.prefs, theme=args.theme))
    if not args.screenshot:
        single_instance.serve(window)
    exit_code = {"value": 0}
    if args.screenshot:
        _arrange_screenshot(app, window, tasks, Path(args.screenshot), exit_code,
                            graph=args.graph)
    window.show()
    loading.read_whole_ahead(path, first_run)  # (they start while the window paints and opens)
    QTimer.singleShot(0, lambda: window.open_vault(path, first_run=first_run, page=args.open))
    code = app.exec()
    tasks.close()
    if window.session is not None:
        window.session.ctx.vault.close()
    window.deleteLater()  # Qt objects go before the interpreter shuts down (no crash at exit)
    app.processEvents()
    return exit_code["value"] or code


def _arrange_screenshot(app, window, tasks, target: Path, exit_code: dict, *,
                        graph: bool = False) -> None:
    """Save ``window.grab()`` once the first page and its links are shown, then quit (with
    ``graph``: the graph of the vault, once laid out)."""
    from PySide6.QtCore import QTimer

    waited = {"ms": 0}

    def settle() -> None:
        busy = tasks.worker.busy or window.links_pending
        if busy and waited["ms"] < SCREENSHOT_TIMEOUT_MS:
            waited["ms"] += 100
            QTimer.singleShot(100, settle)
            return
        if graph and window.session is not None:
            window.vault_graph.view().laid_out.connect(lambda: QTimer.singleShot(300, shoot))
            window.vault_graph.view_action.trigger()
            return
        QTimer.singleShot(300, shoot)  # let the last layout and paint happen

    def shoot() -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        if window.session is None:  # the vault failed to open: the shot shows why, but say so
            exit_code["value"] = 1
        shown = window.vault_graph.view() if graph and window.session is not None else window
        if shown is not window:
            shown.canvas.repaint()  # the picture of a big vault comes from its painting thread
            deadline = time.monotonic() + 10
            while not shown.canvas.picture_is_current() and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.01)
        if shown.grab().save(str(target)):
            print(f"screenshot saved to {target}")
        else:
            print(f"commonplace: could not save the screenshot to {target}", file=sys.stderr)
            exit_code["value"] = 1
        window.close()
        app.quit()

    def timeout() -> None:
        print("commonplace: the vault took too long to load; screenshot taken anyway",
              file=sys.stderr)
        shoot()

    window.ready.connect(settle)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS + 30_000, timeout)
