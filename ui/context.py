"""The small object every widget gets instead of globals."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings

from ui.tasks import Tasks
from wiki.vault.facade import Vault


@dataclass
class AppContext:
    vault: Vault
    tasks: Tasks
    settings: QSettings
