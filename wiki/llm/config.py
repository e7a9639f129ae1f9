"""Which model Commonplace talks to: an OpenAI-compatible endpoint chosen by the user.

Ollama, llama.cpp's server, LM Studio, vLLM and OpenAI all answer ``POST {base}/chat/completions``.
The user names one with environment variables (or the same fields in the app's settings, which
pass them in as ``overrides``); without one, everything else works and Ask explains how to set
one up (:data:`SETUP_HELP`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

URL_VAR = "COMMONPLACE_LLM_URL"
MODEL_VAR = "COMMONPLACE_LLM_MODEL"
KEY_VAR = "COMMONPLACE_LLM_KEY"
TIMEOUT_VAR = "COMMONPLACE_LLM_TIMEOUT"
CONTEXT_VAR = "COMMONPLACE_LLM_CONTEXT"

# Local models on a laptop may think for minutes before the first token of a long prompt; a
# stalled connection must still end. The timeout is per wait (connect, first byte, next chunk),
# never for the whole answer, which streams for as long as tokens keep coming.
DEFAULT_TIMEOUT = 120.0
CONNECT_TIMEOUT = 10.0

SETUP_HELP = (
    "No language model is configured. Ask needs an OpenAI-compatible server, for example:\n"
    "  Ollama:     ollama pull llama3.2 && ollama serve\n"
    f"              export {URL_VAR}=http://127.0.0.1:11434/v1 {MODEL_VAR}=llama3.2\n"
    "  llama.cpp:  llama-server -m model.gguf --port 8080\n"
    f"              export {URL_VAR}=http://127.0.0.1:8080/v1 {MODEL_VAR}=model\n"
    f"  OpenAI:     export {URL_VAR}=https://api.openai.com/v1 {MODEL_VAR}=gpt-4o-mini "
    f"{KEY_VAR}=sk-…\n"
    "(In the app: the Ask pane's Model settings.) Search, pages, lint and the MCP server "
    "work without a model."
)


class NotConfigured(Exception):
    """No endpoint or no model: ``str()`` is :data:`SETUP_HELP`."""


@dataclass(frozen=True, slots=True)
class LLMConfig:
    url: str  # base URL, normally ending in /v1
    model: str
    key: str = ""
    timeout: float = DEFAULT_TIMEOUT
    connect_timeout: float = CONNECT_TIMEOUT
    context: int | None = None  # the user's word on the context size (tokens), if given

    @property
    def base(self) -> str:
        return self.url.rstrip("/")


def _float(text: str | None, default: float) -> float:
    try:
        value = float(text) if text else default
    except ValueError:
        return default
    return value if value > 0 else default


def _int(text: str | None) -> int | None:
    try:
        value = int(text) if text else None
    except ValueError:
        return None
    return value if value and value > 0 else None


def load_config(env: Mapping[str, str] | None = None,
                overrides: Mapping[str, str] | None = None) -> LLMConfig | None:
    """The configured endpoint, or None. ``overrides`` (the app's settings) win over ``env``
    when they are not empty."""
    env = os.environ if env is None else env
    merged = {k: v for k, v in env.items() if k.startswith("COMMONPLACE_LLM_")}
    merged.update({k: v for k, v in (overrides or {}).items() if v})
    url = merged.get(URL_VAR, "").strip()
    model = merged.get(MODEL_VAR, "").strip()
    if not url or not model:
        return None
    if not url.startswith(("http://", "https://")):
        url = "http://" + url
    return LLMConfig(url=url, model=model, key=merged.get(KEY_VAR, "").strip(),
                     timeout=_float(merged.get(TIMEOUT_VAR), DEFAULT_TIMEOUT),
                     context=_int(merged.get(CONTEXT_VAR)))


def require_config(env: Mapping[str, str] | None = None,
                   overrides: Mapping[str, str] | None = None) -> LLMConfig:
    config = load_config(env, overrides)
    if config is None:
        raise NotConfigured(SETUP_HELP)
    return config
