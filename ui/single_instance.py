"""One window per vault: a second launch on a vault that is already open hands its request to
the running window (which comes to the front, on the page asked for) and exits, instead of
opening a read-only copy.

The running window listens on a ``QLocalServer`` named after the vault's folder (and the user,
so two accounts never meet); it moves to the new name when the window opens another vault. A
second launch first tries ``hand_over``: one JSON line ``{"vault", "page"}``, answered ``ok``.
Nobody answering within a second and a half means nobody is there: the launch goes on as usual
(a stale socket left by a crashed app is removed before listening).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow

TIMEOUT_MS = 1500
MAX_MESSAGE = 16 * 1024


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def server_name(root: Path | str) -> str:
    """The local socket name for a vault folder (short: Unix socket paths are limited)."""
    key = f"{_user()}\0{os.path.realpath(root)}"
    return "commonplace-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def hand_over(root: Path | str, page: str | None = None, timeout_ms: int = TIMEOUT_MS) -> bool:
    """Ask the window that has ``root`` open to come to the front (and show ``page``); True
    when it said it did, False when no window has this vault open."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(root))
    if not socket.waitForConnected(timeout_ms):
        return False
    try:
        message = json.dumps({"vault": os.path.realpath(root), "page": page or ""})
        socket.write(message.encode("utf-8") + b"\n")
        if not socket.waitForBytesWritten(timeout_ms):
            return False
        reply = b""
        while b"\n" not in reply and socket.waitForReadyRead(timeout_ms):
            reply += socket.readAll().data()
        return reply.startswith(b"ok")
    finally:
        socket.disconnectFromServer()


class InstanceServer(QObject):
    """Listens for second launches on the window's current vault."""

    request = Signal(str)  # the page asked for ("" for none), once the window is in front

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self.root: str | None = None
        self.requests = 0  # how many second launches were handed over (for tests)
        window.vault_opened.connect(self.listen)

    def listen(self, root: str) -> bool:
        """Serve ``root`` (and no longer the vault before it). False when another running
        window has it open already (this one opened it read-only) or the socket failed."""
        self.server.close()
        self.root = os.path.realpath(root)
        name = server_name(root)
        if self.server.listen(name):
            return True
        probe = QLocalSocket()
        probe.connectToServer(name)
        if probe.waitForConnected(300):  # alive: another window has this vault
            probe.disconnectFromServer()
            return False
        QLocalServer.removeServer(name)  # a stale socket of an app that died
        return self.server.listen(name)

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            if socket is None:
                break
            buffer = bytearray()

            def read(socket: QLocalSocket = socket, buffer: bytearray = buffer) -> None:
                buffer.extend(socket.readAll().data())
                if b"\n" in buffer or len(buffer) > MAX_MESSAGE:
                    socket.readyRead.disconnect()
                    self._answer(socket, bytes(buffer))

            socket.readyRead.connect(read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                read()

    def _answer(self, socket: QLocalSocket, raw: bytes) -> None:
        try:
            message = json.loads(raw.split(b"\n", 1)[0].decode("utf-8"))
            vault = str(message.get("vault", ""))
            page = str(message.get("page", "") or "")
        except (ValueError, AttributeError):
            socket.write(b"error: not understood\n")
            socket.flush()
            return
        if self.root is None or os.path.realpath(vault) != self.root:
            socket.write(b"error: another vault\n")
            socket.flush()
            return
        self._bring_to_front()
        socket.write(b"ok\n")
        socket.flush()
        self.requests += 1
        self.request.emit(page)
        if page:
            self._show_page(page)

    def _bring_to_front(self) -> None:
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()

    def _show_page(self, page: str) -> None:
        session = self.window.session
        if session is None:
            return
        path = session.ctx.vault.find_page(page)
        if path is None:
            self.window.status.show_error(f"No page named “{page}” in this vault.")
        else:
            session.navigate(path)


def serve(window: MainWindow) -> InstanceServer:
    """Make the window answer second launches on whichever vault it has open."""
    return InstanceServer(window)
