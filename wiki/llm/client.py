"""A small client for OpenAI-compatible chat servers, built for local models.

Written on the standard library's ``http.client`` rather than a vendor SDK because what matters
here is control the SDKs do not give in one place: a timeout per wait (connect, first byte, each
streamed chunk) instead of one total deadline that kills slow local models; cancel from another
thread by shutting the socket (a blocked read returns at once); ``finish_reason`` always surfaced;
every failure one line (:class:`LLMError`), never a traceback or a hang.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from wiki.llm.config import TIMEOUT_VAR, LLMConfig

MAX_REPLY_BYTES = 8 * 1024 * 1024
DEFAULT_CONTEXT = 4096  # Ollama's default num_ctx: the safe guess when a server does not say


class LLMError(Exception):
    """The model could not answer; ``str()`` is one line for the user."""


class Cancelled(LLMError):
    def __init__(self) -> None:
        super().__init__("cancelled")


class CancelToken:
    """Cancel a request from another thread: the socket is shut, so a blocked read returns."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._socks: set[socket.socket] = set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()
        with self._lock:
            socks = list(self._socks)
        for sock in socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def attach(self, sock: socket.socket | None) -> None:
        """(For the client) a request's socket, to shut on cancel."""
        if sock is None:
            return
        with self._lock:
            self._socks.add(sock)
        if self.cancelled:
            self.cancel()

    def detach(self, sock: socket.socket | None) -> None:
        with self._lock:
            if sock is not None:
                self._socks.discard(sock)


@dataclass(slots=True)
class ChatResult:
    text: str
    finish_reason: str  # "stop", "length", … ("" when the server did not say)
    model: str

    @property
    def complete(self) -> bool:
        return self.finish_reason == "stop"


def estimate_tokens(text: str) -> int:
    """A deliberately high estimate (about 3.5 characters a token in English prose)."""
    return int(len(text) / 3.5) + 1


class LLMClient:
    def __init__(self, config: LLMConfig) -> None:
        self.config = config
        parts = urlsplit(config.base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise LLMError(f"not a usable model URL: {config.url!r} "
                           "(expected something like http://127.0.0.1:11434/v1)")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._prefix = parts.path.rstrip("/")
        self._format_style: str | None = None  # which response_format the server took
        self._context: int | None = None

    # -- chat -----------------------------------------------------------------------------------
    def chat(self, messages: list[dict], *, max_tokens: int, temperature: float = 0.2,
             schema: dict | None = None, on_delta: Callable[[str], None] | None = None,
             cancel: CancelToken | None = None) -> ChatResult:
        """One chat completion. With ``on_delta`` the answer streams (each piece of text is
        passed as it arrives). With ``schema`` the server is asked for JSON of that shape
        (``json_schema`` as OpenAI, Ollama and vLLM take it, else llama.cpp's ``json_object``
        with a schema); the caller still validates what comes back."""
        body: dict = {"model": self.config.model, "messages": messages,
                      "max_tokens": max_tokens, "temperature": temperature,
                      "stream": on_delta is not None}
        # json_schema (OpenAI, Ollama, vLLM), json_object with a schema (llama.cpp), then none
        # at all (the prompt asks for JSON and the caller checks it)
        styles = ([self._format_style] if self._format_style is not None
                  else ["json_schema", "json_object", ""])
        if schema is None:
            styles = [""]
        last: LLMError | None = None
        for style in styles:
            if style == "json_schema":
                body["response_format"] = {"type": "json_schema", "json_schema": {
                    "name": "reply", "schema": schema, "strict": True}}
            elif style == "json_object":
                body["response_format"] = {"type": "json_object", "schema": schema}
            else:
                body.pop("response_format", None)
            try:
                result = self._request(body, on_delta, cancel)
            except _FormatRefused as exc:
                last = LLMError(str(exc))
                continue
            if schema is not None:
                self._format_style = style
            return result
        assert last is not None
        raise last

    def _request(self, body: dict, on_delta: Callable[[str], None] | None,
                 cancel: CancelToken | None) -> ChatResult:
        data = json.dumps(body).encode("utf-8")
        conn, resp = self._open("POST", self._prefix + "/chat/completions", data, cancel)
        try:
            if resp.status != 200:
                raise self._http_error(resp, "response_format" in body)
            if body.get("stream"):
                return self._read_stream(resp, on_delta, cancel)
            return self._read_whole(resp)
        except TimeoutError:
            raise self._cancelled_or(cancel, LLMError(
                f"the model server at {self.config.base} sent nothing for "
                f"{self.config.timeout:.0f} s; giving up (a slower model may need "
                f"{TIMEOUT_VAR}=600)")) from None
        except (OSError, http.client.HTTPException) as exc:
            raise self._cancelled_or(cancel, LLMError(
                f"the connection to the model server at {self.config.base} broke: "
                f"{_reason(exc)}")) from None
        finally:
            if cancel is not None:
                cancel.detach(conn.sock)
            conn.close()

    def _open(self, method: str, path: str, data: bytes | None, cancel: CancelToken | None,
              *, timeout: float | None = None
              ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        conn = cls(self._host, self._port, timeout=self.config.connect_timeout)
        try:
            conn.connect()
        except ConnectionRefusedError:
            conn.close()
            raise LLMError(f"cannot reach the model server at {self.config.base}: connection "
                           "refused (is it running?)") from None
        except TimeoutError:
            conn.close()
            raise LLMError(f"cannot reach the model server at {self.config.base}: no answer "
                           f"within {self.config.connect_timeout:.0f} s") from None
        except OSError as exc:
            conn.close()
            raise LLMError(f"cannot reach the model server at {self.config.base}: "
                           f"{_reason(exc)}") from None
        assert conn.sock is not None
        conn.sock.settimeout(timeout or self.config.timeout)
        if cancel is not None:
            cancel.attach(conn.sock)
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.config.key:
            headers["Authorization"] = f"Bearer {self.config.key}"
        try:
            conn.request(method, path, body=data, headers=headers)
            return conn, conn.getresponse()
        except TimeoutError:
            if cancel is not None:
                cancel.detach(conn.sock)
            conn.close()
            raise self._cancelled_or(cancel, LLMError(
                f"the model server at {self.config.base} sent nothing for "
                f"{timeout or self.config.timeout:.0f} s; giving up (a slower model may need "
                f"{TIMEOUT_VAR}=600)")) from None
        except (OSError, http.client.HTTPException) as exc:
            if cancel is not None:
                cancel.detach(conn.sock)
            conn.close()
            raise self._cancelled_or(cancel, LLMError(
                f"the model server at {self.config.base} closed the connection: "
                f"{_reason(exc)}")) from None

    @staticmethod
    def _cancelled_or(cancel: CancelToken | None, error: LLMError) -> LLMError:
        return Cancelled() if cancel is not None and cancel.cancelled else error

    def _http_error(self, resp: http.client.HTTPResponse, with_format: bool) -> LLMError:
        raw = resp.read(64 * 1024)
        message = ""
        try:
            payload = json.loads(raw)
            err = payload.get("error", payload) if isinstance(payload, dict) else payload
            message = str(err.get("message", err) if isinstance(err, dict) else err)
        except (ValueError, AttributeError):
            message = raw.decode("utf-8", "replace")
        message = " ".join(message.split())[:200]
        if with_format and resp.status in (400, 422, 500) and (
                "response_format" in message or "json_schema" in message or "schema" in message):
            return _FormatRefused(message)
        if resp.status == 404 and "model" in message.lower():
            return LLMError(f"the model server has no model '{self.config.model}': {message}")
        if resp.status in (401, 403):
            return LLMError(f"the model server refused the key (HTTP {resp.status}): {message}")
        return LLMError(f"the model server answered HTTP {resp.status}"
                        + (f": {message}" if message else ""))

    def _read_whole(self, resp: http.client.HTTPResponse) -> ChatResult:
        raw = resp.read(MAX_REPLY_BYTES + 1)
        if len(raw) > MAX_REPLY_BYTES:
            raise LLMError("the model server's reply is too large")
        payload = _json(raw)
        choice = _first_choice(payload)
        message = choice.get("message") or {}
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, str):
            content = choice.get("text")
        text = content if isinstance(content, str) else ""
        return ChatResult(text, str(choice.get("finish_reason") or ""),
                          str(payload.get("model") or self.config.model))

    def _read_stream(self, resp: http.client.HTTPResponse,
                     on_delta: Callable[[str], None] | None,
                     cancel: CancelToken | None) -> ChatResult:
        parts: list[str] = []
        finish = ""
        model = self.config.model
        size = 0
        while True:
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
            line = resp.readline(MAX_REPLY_BYTES)
            if not line:
                break
            size += len(line)
            if size > MAX_REPLY_BYTES:
                raise LLMError("the model server's reply is too large")
            line = line.strip()
            if not line or line.startswith(b":") or not line.startswith(b"data:"):
                continue
            data = line[5:].strip()
            if data == b"[DONE]":
                break
            payload = _json(data)
            if "error" in payload:
                err = payload["error"]
                text = err.get("message", err) if isinstance(err, dict) else err
                raise LLMError(f"the model server reported an error: {str(text)[:200]}")
            model = str(payload.get("model") or model)
            choices = payload.get("choices")
            if not isinstance(choices, list) or not choices:
                continue
            choice = choices[0] if isinstance(choices[0], dict) else {}
            delta = choice.get("delta") or {}
            piece = delta.get("content") if isinstance(delta, dict) else None
            if isinstance(piece, str) and piece:
                parts.append(piece)
                if on_delta is not None:
                    on_delta(piece)
            if choice.get("finish_reason"):
                finish = str(choice["finish_reason"])
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
        return ChatResult("".join(parts), finish, model)

    # -- context size ---------------------------------------------------------------------------
    def context_length(self) -> int:
        """How many tokens the server will take (prompt and answer): the user's
        ``COMMONPLACE_LLM_CONTEXT``, else what Ollama (``num_ctx``) or llama.cpp (``n_ctx``)
        report, else :data:`DEFAULT_CONTEXT`. Asked once per client."""
        if self.config.context:
            return self.config.context
        if self._context is None:
            self._context = self._ask_context() or DEFAULT_CONTEXT
        return self._context

    def _ask_context(self) -> int | None:
        root = self._prefix[:-3] if self._prefix.endswith("/v1") else self._prefix
        asks = [("POST", root + "/api/show", {"model": self.config.model}),  # Ollama
                ("GET", root + "/props", None)]  # llama.cpp's server
        for method, path, payload in asks:
            data = json.dumps(payload).encode() if payload is not None else None
            try:
                conn, resp = self._open(method, path, data, None,
                                        timeout=self.config.connect_timeout)
            except LLMError:
                return None  # no server at all: the chat call will say so
            try:
                if resp.status != 200:
                    continue
                found = _context_from(json.loads(resp.read(1024 * 1024)))
                if found:
                    return found
            except (OSError, ValueError, http.client.HTTPException):
                continue
            finally:
                conn.close()
        return None


class _FormatRefused(LLMError):
    """The server does not take this ``response_format``: try the next style."""


def _context_from(payload: object) -> int | None:
    if not isinstance(payload, dict):
        return None
    params = payload.get("parameters")  # Ollama: "num_ctx 8192\nstop ..." when the model sets it
    if isinstance(params, str):
        for line in params.splitlines():
            bits = line.split()
            if len(bits) == 2 and bits[0] == "num_ctx" and bits[1].isdigit():
                return int(bits[1])
    if "model_info" in payload or "modelfile" in payload:
        return DEFAULT_CONTEXT  # Ollama without num_ctx: its default, whatever the model knows
    settings = payload.get("default_generation_settings")
    for source in (settings, payload):
        if isinstance(source, dict) and isinstance(source.get("n_ctx"), int):
            return int(source["n_ctx"])
    return None


def _json(raw: bytes) -> dict:
    try:
        payload = json.loads(raw)
    except ValueError:
        snippet = raw[:80].decode("utf-8", "replace")
        raise LLMError(f"the model server sent something that is not JSON: {snippet!r}") from None
    if not isinstance(payload, dict):
        raise LLMError("the model server sent JSON of an unexpected shape")
    return payload


def _first_choice(payload: dict) -> dict:
    if "error" in payload:
        err = payload["error"]
        text = err.get("message", err) if isinstance(err, dict) else err
        raise LLMError(f"the model server reported an error: {str(text)[:200]}")
    choices = payload.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise LLMError("the model server's reply has no answer in it (no 'choices')")
    return choices[0]


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
