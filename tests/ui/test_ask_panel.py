"""The Ask pane in the real main window, against a scripted model server on 127.0.0.1."""

from __future__ import annotations

import re
import time

import pytest
from fake_llm import FakeLLM, Reply, dead_port
from test_ui_support import click_link, wait_idle


@pytest.fixture
def no_model(monkeypatch):
    for var in ("URL", "MODEL", "KEY", "TIMEOUT", "CONTEXT"):
        monkeypatch.delenv(f"COMMONPLACE_LLM_{var}", raising=False)


def use_model(monkeypatch, url: str) -> None:
    monkeypatch.setenv("COMMONPLACE_LLM_URL", url)
    monkeypatch.setenv("COMMONPLACE_LLM_MODEL", "tiny")
    monkeypatch.setenv("COMMONPLACE_LLM_CONTEXT", "4096")


def citing(gap: float = 0.0):
    def reply(path, body):
        if not path.endswith("/chat/completions"):
            return Reply(status=404, body={"error": "no"})
        prompt = body["messages"][-1]["content"]
        beta = re.compile(r"^\[(\d+)\] .*\(notes/Beta\.md\)$", re.M)  # "[n] name (path)"
        number = next(m.group(1) for m in beta.finditer(prompt))
        return Reply(stream=["Beta talks ", f"about photosynthesis [{number}]."], gap=gap)
    return reply


def open_pane(window, qtbot):
    window.ask_action.trigger()
    qtbot.waitUntil(lambda: window.ask_dock.isVisible(), timeout=5000)
    return window.ask_panel


def test_without_a_model_the_pane_explains_the_setup(window, qtbot, no_model):
    panel = open_pane(window, qtbot)
    panel.question_edit.setText("What is photosynthesis?")
    panel.ask_button.click()
    text = panel.browser.toPlainText()
    assert "COMMONPLACE_LLM_URL" in text and "Ollama" in text
    assert panel.status.text() == "No model configured." and not panel.save_button.isEnabled()
    assert window.ctx.vault.search("photosynthesis").hits  # everything else still works


def test_ask_streams_cites_navigates_and_saves(window, qtbot, monkeypatch):
    with FakeLLM(citing(gap=0.4)) as srv:
        use_model(monkeypatch, srv.url)
        panel = open_pane(window, qtbot)
        panel.question_edit.setText("What does Beta say about photosynthesis?")
        started = time.monotonic()
        panel.ask_button.click()
        assert time.monotonic() - started < 0.5  # the window does not wait for the model
        qtbot.waitUntil(lambda: "Beta talks" in panel.browser.toPlainText(), timeout=10_000)
        assert panel.cancel_button.isEnabled()  # still streaming: the rest comes later
        qtbot.waitUntil(lambda: panel.answer is not None, timeout=10_000)
    assert "photosynthesis [" in panel.browser.toPlainText()
    assert "Sources" in panel.browser.toPlainText()
    assert [c.path for c in panel.answer.citations] == ["notes/Beta.md"]
    assert panel.save_button.isEnabled() and not panel.cancel_button.isEnabled()

    click_link(qtbot, panel.browser, lambda href: href.startswith("page:"))
    qtbot.waitUntil(lambda: window.page_view.current_path == "notes/Beta.md", timeout=5000)

    panel.save_button.click()
    qtbot.waitUntil(lambda: panel.saved is not None, timeout=10_000)
    wait_idle(qtbot, window)
    rel = panel.saved
    assert rel == "answers/What does Beta say about photosynthesis.md"
    assert (window.ctx.vault.root / rel).is_file()
    info = window.ctx.vault.page_info(rel)
    assert info is not None and info.type == "answer"
    assert not panel.save_button.isEnabled()  # saved once
    assert "query | What does Beta say" in (window.ctx.vault.root / "log.md").read_text()


def test_cancel_stops_a_slow_answer_at_once(window, qtbot, monkeypatch):
    with FakeLLM(citing(gap=10)) as srv:
        use_model(monkeypatch, srv.url)
        panel = open_pane(window, qtbot)
        panel.question_edit.setText("What does Beta say?")
        panel.ask_button.click()
        qtbot.waitUntil(lambda: "Beta talks" in panel.browser.toPlainText(), timeout=10_000)
        started = time.monotonic()
        panel.cancel_button.click()
        qtbot.waitUntil(lambda: panel.status.text() == "Cancelled.", timeout=5000)
        assert time.monotonic() - started < 3
    assert panel.ask_button.isEnabled() and not panel.save_button.isEnabled()


def test_a_dead_server_is_one_line_in_the_pane(window, qtbot, monkeypatch):
    use_model(monkeypatch, f"http://127.0.0.1:{dead_port()}/v1")
    panel = open_pane(window, qtbot)
    panel.question_edit.setText("Anything?")
    panel.ask_button.click()
    qtbot.waitUntil(lambda: "connection refused" in panel.status.text(), timeout=10_000)
    assert "\n" not in panel.status.text() and panel.ask_button.isEnabled()


def test_model_settings_are_used_when_filled_in(window, qtbot, no_model):
    panel = open_pane(window, qtbot)
    assert panel.config() is None
    window.settings.setValue("llm/url", "http://127.0.0.1:9/v1")
    window.settings.setValue("llm/model", "from-settings")
    config = panel.config()
    assert config is not None and config.model == "from-settings"


ARTICLE = ("# Solar Lanterns for the Porto Fleet\n\nMarta Quillfeather founded the Lantern "
           "Cooperative in Porto in 2021. Marta Quillfeather says the lanterns halve fuel "
           "costs.\n")


def writing_model(gap: float = 0.0):
    import json as _json

    from fake_llm import completion

    def reply(path, body):
        if not path.endswith("/chat/completions"):
            return Reply(status=404, body={"error": "no"})
        if "summary" in body["messages"][0]["content"]:
            data = {"summary": "The model's summary of the lantern article.",
                    "key_points": ["Lanterns halve fuel costs."]}
        else:
            data = {"description": "The model's description.", "points": []}
        return Reply(body=completion(_json.dumps(data)), delay=gap)
    return reply


def test_imports_are_written_by_the_model_when_the_setting_is_on(window, qtbot, monkeypatch,
                                                                 tmp_path):
    article = tmp_path / "lanterns.md"
    article.write_text(ARTICLE)
    with FakeLLM(writing_model()) as srv:
        use_model(monkeypatch, srv.url)
        window.settings.setValue("llm/compile", "true")
        panel = window.ask_panel
        with qtbot.waitSignal(window.importer.finished, timeout=30_000):
            window.session.import_files([article])
        asked = len(srv.chat_requests())
    wait_idle(qtbot, window)
    source = window.ctx.vault.root / "sources" / "Solar Lanterns for the Porto Fleet.md"
    assert "The model's summary of the lantern article." in source.read_text()
    assert asked >= 2 and "page(s) written by the model" in panel.status.text()
    assert not panel.cancel_button.isEnabled()


def test_cancel_stops_the_model_and_keeps_the_rules_text(window, qtbot, monkeypatch, tmp_path):
    article = tmp_path / "lanterns.md"
    article.write_text(ARTICLE)
    with FakeLLM(writing_model(gap=30)) as srv:
        use_model(monkeypatch, srv.url)
        window.settings.setValue("llm/compile", "true")
        panel = window.ask_panel
        started = time.monotonic()
        with qtbot.waitSignal(window.importer.finished, timeout=30_000):
            window.session.import_files([article])
            qtbot.waitUntil(lambda: "is writing" in panel.status.text(), timeout=10_000)
            qtbot.waitUntil(lambda: len(srv.chat_requests()) >= 1, timeout=10_000)
            panel.cancel_button.click()
        assert time.monotonic() - started < 20
    source = window.ctx.vault.root / "sources" / "Solar Lanterns for the Porto Fleet.md"
    text = source.read_text()
    assert "The model's summary" not in text and "Marta Quillfeather founded" in text
    assert "cancelled" in panel.status.text()


def test_imports_use_the_rules_when_the_setting_is_off(window, qtbot, monkeypatch, tmp_path):
    article = tmp_path / "lanterns.md"
    article.write_text(ARTICLE)
    with FakeLLM(writing_model()) as srv:
        use_model(monkeypatch, srv.url)
        with qtbot.waitSignal(window.importer.finished, timeout=30_000):
            window.session.import_files([article])
        assert srv.chat_requests() == []
