"""A tiny OpenAI-compatible server on 127.0.0.1 for tests: each test scripts the replies.

It speaks real HTTP (``http.server``), so the client under test goes through its sockets,
timeouts and SSE parsing exactly as with a real server. ``replies`` is a function of the request
(path, JSON body) returning a :class:`Reply`; every request is recorded in ``requests``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes | dict | None = None  # whole reply (JSON when a dict)
    stream: list[str] | None = None  # SSE pieces of content, sent as chat.completion.chunk
    finish_reason: str = "stop"
    delay: float = 0.0  # seconds before anything is sent
    gap: float = 0.0  # seconds between streamed pieces
    extra: list[bytes] = field(default_factory=list)  # raw lines sent after the stream


def completion(text: str, finish_reason: str = "stop", model: str = "fake") -> dict:
    return {"id": "x", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": finish_reason}]}


class FakeLLM:
    def __init__(self, replies: Callable[[str, dict], Reply] | None = None) -> None:
        self.replies = replies or (lambda path, body: Reply(body=completion("Hello.")))
        self.requests: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.release = threading.Event()  # set to end every delay early (test teardown)
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                return None

            def do_GET(self) -> None:  # noqa: N802
                self._handle({})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                self._handle(body)

            def _handle(self, body: dict) -> None:
                with owner.lock:
                    owner.requests.append((self.path, body))
                reply = owner.replies(self.path, body)
                if reply.stream is None and body.get("stream") and reply.status == 200 \
                        and isinstance(reply.body, dict) and reply.body.get("choices"):
                    choice = reply.body["choices"][0]  # a real server streams when asked
                    reply = Reply(delay=reply.delay, stream=[choice["message"]["content"]],
                                  finish_reason=choice["finish_reason"])
                if reply.stream is not None and not body.get("stream"):
                    reply = Reply(status=reply.status, delay=reply.delay, body=completion(
                        "".join(reply.stream), reply.finish_reason))
                if reply.delay and owner.release.wait(reply.delay):
                    return
                try:
                    if reply.stream is not None:
                        self._stream(reply)
                    else:
                        self._whole(reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _whole(self, reply: Reply) -> None:
                data = reply.body if reply.body is not None else completion("")
                raw = json.dumps(data).encode() if isinstance(data, dict) else data
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _stream(self, reply: Reply) -> None:
                self.send_response(reply.status)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                pieces = reply.stream or []
                for n, piece in enumerate(pieces):
                    last = n == len(pieces) - 1
                    chunk = {"object": "chat.completion.chunk", "model": "fake",
                             "choices": [{"index": 0, "delta": {"content": piece},
                                          "finish_reason": reply.finish_reason if last
                                          else None}]}
                    self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                    self.wfile.flush()
                    if reply.gap and owner.release.wait(reply.gap):
                        return
                for line in reply.extra:
                    self.wfile.write(line + b"\n\n")
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def chat_requests(self) -> list[dict]:
        with self.lock:
            return [b for p, b in self.requests if p.endswith("/chat/completions")]


def dead_port() -> int:
    """A loopback port nobody listens on (bound, then closed)."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.01)
    return check()
