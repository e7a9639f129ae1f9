"""Model settings: which OpenAI-compatible server and model the app asks (stored in the app's
settings, which win over the environment when filled in), and whether imports let it write."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from wiki.llm.config import KEY_VAR, MODEL_VAR, URL_VAR

SETTING_KEYS = {URL_VAR: "llm/url", MODEL_VAR: "llm/model", KEY_VAR: "llm/key"}
COMPILE_KEY = "llm/compile"  # let the model write the prose of imported articles


def is_on(value: object) -> bool:
    return str(value).lower() in ("true", "1", "yes")


class ModelSettings(QDialog):
    """The endpoint, model and key, kept in the app's settings."""

    def __init__(self, settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Model settings")
        self.settings = settings
        form = QFormLayout(self)
        self.fields: dict[str, QLineEdit] = {}
        hints = {URL_VAR: "http://127.0.0.1:11434/v1", MODEL_VAR: "llama3.2",
                 KEY_VAR: "(only for hosted APIs)"}
        labels = {URL_VAR: "Server URL", MODEL_VAR: "Model", KEY_VAR: "API key"}
        for var, key in SETTING_KEYS.items():
            edit = QLineEdit(str(settings.value(key, "") or ""))
            edit.setPlaceholderText(hints[var])
            if var == KEY_VAR:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.fields[var] = edit
            form.addRow(labels[var], edit)
        form.addRow(QLabel("Any OpenAI-compatible server: Ollama, llama.cpp, LM Studio, vLLM, "
                           f"OpenAI. Empty fields fall back to ${URL_VAR} and friends."))
        self.compile_box = QCheckBox("Let the model write summaries and descriptions of "
                                     "imported articles")
        self.compile_box.setChecked(is_on(settings.value(COMPILE_KEY, "false")))
        form.addRow(self.compile_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _save(self) -> None:
        for var, key in SETTING_KEYS.items():
            self.settings.setValue(key, self.fields[var].text().strip())
        self.settings.setValue(COMPILE_KEY, "true" if self.compile_box.isChecked() else "false")
        self.accept()
