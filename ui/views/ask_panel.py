"""The Ask pane: a question to the wiki, answered by the user's own model, with citations.

The answer streams in from a background thread (retrieval reads the vault, which is safe from
any thread; the model's reply may take minutes on a laptop), so the window never waits; Cancel
shuts the connection at once. Citations are links to the pages the model was given. Save files
the answer under ``answers/`` on the engine worker, which indexes and logs it.

The model is chosen by ``COMMONPLACE_LLM_URL`` / ``_MODEL`` / ``_KEY`` or in Model settings
(stored in the app's settings, which win when filled in). Without one, the pane says how to
set one up and everything else works as before.
"""

from __future__ import annotations

import html
import re
import threading
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

import shiboken6
from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.views.model_settings import COMPILE_KEY, SETTING_KEYS, ModelSettings, is_on
from wiki.core.model import ChangeSummary
from wiki.llm.config import SETUP_HELP, LLMConfig, load_config

if TYPE_CHECKING:  # the model client and the compiler load when first used, not at start-up
    from ui.context import AppContext
    from ui.window.main_window import MainWindow
    from wiki.llm.ask import Answer
    from wiki.llm.client import CancelToken
    from wiki.llm.compile import LLMCompiler

_CITE = re.compile(r"\[(\d{1,3})\]")


def answer_html(answer: Answer) -> str:
    """The answer as rich text: [n] and the Sources list link to the pages cited."""
    passages = {p.number: p for p in (answer.context.passages if answer.context else [])}

    def cite(m: re.Match[str]) -> str:
        p = passages.get(int(m.group(1)))
        if p is None:
            return m.group(0)
        return f'<a href="page:{quote(p.path)}" title="{html.escape(p.title)}">[{p.number}]</a>'

    paras = [f"<p>{_CITE.sub(cite, html.escape(par))}</p>"
             for par in answer.text.split("\n\n") if par.strip()]
    out = "".join(paras).replace("\n", "<br>")
    if answer.citations:
        out += "<h4>Sources</h4><ol>" + "".join(
            f'<li value="{c.number}"><a href="page:{quote(c.path)}">{html.escape(c.title)}</a>'
            f' <span style="color:gray">{html.escape(c.path)}</span></li>'
            for c in answer.citations) + "</ol>"
    elif passages:
        out += ("<p style='color:gray'>The model cited no page. It was given: "
                + ", ".join(f'<a href="page:{quote(p.path)}">{html.escape(p.title)}</a>'
                            for p in passages.values()) + "</p>")
    if answer.truncated:
        out += (f"<p style='color:#b00'>The answer was cut off (finish_reason: "
                f"{html.escape(answer.finish_reason)}); it cannot be saved.</p>")
    return out


class AskPanel(QWidget):
    page_requested = Signal(str)
    status_message = Signal(str)
    # from the asking thread; queued to the UI thread (the panel lives there)
    _piece = Signal(int, str)
    _done = Signal(int, object)
    _failed = Signal(int, str)
    _compile_page = Signal(str)  # from the engine worker: the model is writing this page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.answer: Answer | None = None
        self.saved: str | None = None
        self._run = 0
        self._cancel: CancelToken | None = None
        self._compiler: LLMCompiler | None = None  # an import the model is writing for
        self._streamed = ""
        self.question_edit = QLineEdit()
        self.question_edit.setPlaceholderText("Ask your wiki a question…")
        self.question_edit.returnPressed.connect(self.ask)
        self.ask_button = QPushButton("Ask")
        self.ask_button.clicked.connect(self.ask)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button = QPushButton("Save as page")
        self.save_button.clicked.connect(self.save)
        self.settings_button = QPushButton("Model settings…")
        self.settings_button.clicked.connect(self.edit_settings)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link_clicked)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.ask_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.question_edit)
        layout.addLayout(row)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._piece.connect(self._on_piece)
        self._done.connect(self._on_done)
        self._failed.connect(self._on_failed)
        self._compile_page.connect(self._on_compile_page)
        self._set_running(False)
        self.setMinimumWidth(340)

    # -- binding --------------------------------------------------------------------------------
    def bind(self, ctx: AppContext | None) -> None:
        self.cancel()
        self.ctx = ctx
        self.answer = None
        self._set_running(False)
        if ctx is not None and self.config() is None:
            self._show_setup()

    def config(self) -> LLMConfig | None:
        settings = self.ctx.settings if self.ctx is not None else None
        overrides = ({var: str(settings.value(key, "") or "") for var, key in
                      SETTING_KEYS.items()} if settings is not None else {})
        return load_config(overrides=overrides)

    def _show_setup(self) -> None:
        self.browser.setHtml("<pre style='white-space:pre-wrap'>" + html.escape(SETUP_HELP)
                             + "</pre>")
        self.status.setText("No model configured.")

    # -- asking ---------------------------------------------------------------------------------
    def ask(self) -> None:
        question = " ".join(self.question_edit.text().split())
        if not question or self.ctx is None or self._cancel is not None:
            return
        from wiki.llm.ask import ask
        from wiki.llm.client import Cancelled, CancelToken, LLMClient, LLMError

        config = self.config()
        if config is None:
            self._show_setup()
            return
        try:
            client = LLMClient(config)
        except LLMError as exc:
            self._on_failed(self._run, str(exc))
            return
        self._run += 1
        run = self._run
        self._cancel = CancelToken()
        self.answer = None
        self.saved = None
        self._streamed = ""
        self.browser.clear()
        self.status.setText(f"Asking {config.model}…")
        self._set_running(True)
        vault = self.ctx.vault
        token = self._cancel

        def send(signal, *args) -> None:
            if shiboken6.isValid(self):  # the window may have closed meanwhile
                signal.emit(*args)

        def work() -> None:
            try:
                answer = ask(vault, client, question, cancel=token,
                             on_delta=lambda piece: send(self._piece, run, piece))
            except Cancelled:
                send(self._failed, run, "Cancelled.")
            except LLMError as exc:
                send(self._failed, run, str(exc))
            except Exception as exc:  # noqa: BLE001 - shown in one line, never a crash
                send(self._failed, run, f"{type(exc).__name__}: {exc}")
            else:
                send(self._done, run, answer)

        threading.Thread(target=work, name="wiki-ask", daemon=True).start()

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
        if self._compiler is not None and self._compiler.cancel is not None:
            self._compiler.cancel.cancel()

    # -- the model writing imported articles ----------------------------------------------------
    def import_compiler(self, root) -> LLMCompiler | None:
        """For the importer (on the UI thread, before it starts): the compiler whose prose the
        model writes, when Model settings say so and a model is configured; else None (the
        rules). Cancel stops it: the pages not yet written keep the rules' text."""
        if self.ctx is None or not is_on(self.ctx.settings.value(COMPILE_KEY, "false")):
            return None
        config = self.config()
        if config is None:
            return None
        from wiki.llm.client import CancelToken, LLMClient, LLMError
        from wiki.llm.compile import LLMCache, LLMCompiler

        try:
            client = LLMClient(config)
        except LLMError:
            return None
        def on_page(page: str) -> None:  # on the engine worker
            if shiboken6.isValid(self):
                self._compile_page.emit(page)

        self._compiler = LLMCompiler(client, LLMCache(root), cancel=CancelToken(),
                                     on_page=on_page)
        self.status.setText(f"{config.model} is writing the imported pages…")
        self.cancel_button.setEnabled(True)
        return self._compiler

    def _on_compile_page(self, page: str) -> None:
        if self._compiler is not None:
            self.status.setText(f"{self._compiler.client.config.model} is writing {page}… "
                                "(Cancel keeps the rules' text)")

    def import_finished(self, _page: str = "", _message: str = "") -> None:
        compiler, self._compiler = self._compiler, None
        if compiler is None:
            return
        stats = compiler.stats
        line = stats.lines()[0]
        if stats.stopped:
            line += f"; {stats.stopped}"
        self.status.setText(line)
        self._set_running(self._cancel is not None)

    def _on_piece(self, run: int, piece: str) -> None:
        if run != self._run:
            return
        self._streamed += piece
        self.browser.setPlainText(self._streamed)
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _on_done(self, run: int, answer: Answer) -> None:
        if run != self._run:
            return
        self._cancel = None
        self.answer = answer
        self.browser.setHtml(answer_html(answer))
        n = len(answer.context.passages) if answer.context else 0
        self.status.setText(f"{answer.model} · {len(answer.citations)} citation(s) from {n} "
                            "page(s) given")
        self._set_running(False)

    def _on_failed(self, run: int, message: str) -> None:
        if run != self._run:
            return
        self._cancel = None
        self.status.setText(message)
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.ask_button.setEnabled(not running)
        self.cancel_button.setEnabled(running or self._compiler is not None)
        writable = self.ctx is not None and not self.ctx.vault.readonly
        self.save_button.setEnabled(bool(not running and self.answer is not None
                                         and not self.answer.truncated and self.answer.text
                                         and writable and self.saved is None))

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> None:
        if self.ctx is None or self.answer is None or self.saved is not None:
            return
        from wiki.llm.answers import save_answer

        vault = self.ctx.vault
        answer = self.answer
        written: list[str] = []

        def job() -> ChangeSummary:
            """On the engine worker: write the page and the log entry, index them. The
            summary goes to every view (the navigator shows the new page)."""
            written.extend(save_answer(vault.root, answer))
            return vault.update_paths(written)

        self.save_button.setEnabled(False)
        self.ctx.tasks.run(job, on_done=lambda _summary: self._saved(written[0]),
                           on_error=self._save_failed)

    def _saved(self, rel: str) -> None:
        self.saved = rel
        self.status.setText(f"Saved as {rel}")
        self.status_message.emit(f"Saved the answer as {rel}")
        self._set_running(False)
        self.browser.append(f'<p>Saved as <a href="page:{quote(rel)}">{html.escape(rel)}</a></p>')

    def _save_failed(self, message: str) -> None:
        self.status.setText(f"Not saved: {message}")
        self._set_running(False)

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == "page":
            self.page_requested.emit(unquote(url.toString()[len("page:"):]))

    def edit_settings(self) -> None:
        if self.ctx is None:
            return
        dialog = ModelSettings(self.ctx.settings, self)
        dialog.finished.connect(lambda _r: self.bind(self.ctx) if self.answer is None
                                and self._cancel is None else None)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()


def install(window: MainWindow) -> AskPanel:
    """Add the Ask pane to the main window as a dock (hidden until asked for) with its
    action (Ctrl+Shift+A). The one call the window makes."""
    panel = AskPanel()
    dock = QDockWidget("Ask", window)
    dock.setObjectName("ask")
    dock.setWidget(panel)
    window.addDockWidget(_right_area(), dock)
    dock.hide()
    action = QAction("Ask the Wiki…", window)
    action.setShortcut(QKeySequence("Ctrl+Shift+A"))

    def show() -> None:
        dock.show()
        dock.raise_()
        panel.question_edit.setFocus()

    action.triggered.connect(lambda _checked=False: show())
    window.addAction(action)
    menu = next((m for m in window.menuBar().findChildren(QMenu)
                 if m.title().replace("&", "") == "Go"), None)
    if menu is None:  # the menus were reorganised: a menu of its own
        menu = window.menuBar().addMenu("&Ask")
    menu.addSeparator()
    menu.addAction(action)
    window.ask_panel = panel  # type: ignore[attr-defined]
    window.ask_dock = dock  # type: ignore[attr-defined]
    window.ask_action = action  # type: ignore[attr-defined]
    window.vault_opened.connect(lambda _root: panel.bind(window.ctx))
    panel.page_requested.connect(window.navigate)
    panel.status_message.connect(lambda m: window.statusBar().showMessage(m, 8000))
    window.importer.compiler_factory = panel.import_compiler
    window.importer.finished.connect(panel.import_finished)
    return panel


def _right_area():
    from PySide6.QtCore import Qt

    return Qt.DockWidgetArea.RightDockWidgetArea
