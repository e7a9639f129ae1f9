"""ui.tasks: results come back on the UI thread, and never to a widget that is gone."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget

from ui.tasks import Tasks


class Receiver(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []

    def take(self, value: object) -> None:
        self.got.append(value)
        self.setWindowTitle(str(value))  # touches the C++ object, as real widgets do


def test_results_arrive_on_the_ui_thread(qtbot):
    tasks = Tasks()
    receiver = Receiver()
    threads: list[threading.Thread] = []
    ran_on: list[threading.Thread] = []

    def work() -> str:
        ran_on.append(threading.current_thread())
        return "value"

    tasks.query("k", work, on_done=lambda _v: threads.append(threading.current_thread()))
    qtbot.waitUntil(lambda: bool(threads), timeout=5000)
    assert ran_on != [threading.main_thread()]  # the work ran off the UI thread
    assert threads == [threading.main_thread()]  # its result came back to it
    tasks.close()
    receiver.deleteLater()


def test_a_result_for_a_deleted_widget_is_dropped(qtbot):
    """A window closed while its page or backlinks were still loading must not crash."""
    tasks = Tasks()
    release = threading.Event()
    receiver = Receiver()
    done: list[str] = []
    tasks.query("slow", lambda: release.wait(5) and "late", on_done=receiver.take)
    tasks.query("other", lambda: release.wait(5) and "x", on_done=done.append)
    shiboken6.delete(receiver)  # the widget's C++ side goes away, as on window close
    release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=5000)  # results were delivered by now
    qtbot.wait(50)
    tasks.close()
