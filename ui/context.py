"""The small object every widget that works on a vault gets, as its first constructor argument,
instead of globals. It exists only while a vault is open (see ``ui.window.session``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from ui.tasks import Tasks

if TYPE_CHECKING:
    from wiki.vault.facade import Vault


@dataclass
class AppContext:
    vault: Vault
    tasks: Tasks
    settings: QSettings
