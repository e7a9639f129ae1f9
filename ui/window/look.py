"""The window's settings and look: Edit > Settings… (Ctrl+,), the theme, the page font, icons.

``install(window)`` is the window's one call: it applies the saved theme and icons, adds the
Settings action (Edit menu, toolbar, Ctrl+,), gives each vault's page view the chosen font when
the vault opens, and applies whatever the dialog changes, live, remembering it in QSettings.
The folders to ignore are the vault's: the dialog's request runs ``Vault.set_ignored_folders``
on the worker (``ui.operations.ignored_folders``) and the pages it hides or brings back reach
every widget through the usual change summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolBar, QWidget

from ui import icons, preferences, theme
from ui.preferences import Preferences
from ui.views.settings_dialog import SettingsDialog

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow

ICON_SIZE = 18


class WindowLook(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.prefs = preferences.load(window.settings)
        self.dialog: SettingsDialog | None = None
        self.action = QAction("Settings…", window)
        self.action.setShortcuts([QKeySequence("Ctrl+,"),
                                  QKeySequence(QKeySequence.StandardKey.Preferences)])
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action.setToolTip("Settings (Ctrl+,)")
        self.action.triggered.connect(lambda _checked=False: self.open_settings())
        window.addAction(self.action)
        window.actions_.settings = self.action  # type: ignore[attr-defined]  # icons.apply
        edit_menu = window.actions_.edit_menu  # a vault session refills it: keep ours last
        edit_menu.aboutToShow.connect(self._keep_in_edit_menu)
        self._keep_in_edit_menu()
        self._style_toolbar(window.actions_.toolbar_widget)
        window.vault_opened.connect(lambda _root: self._vault_opened())
        self.apply(self.prefs, save=False)

    # -- applying -------------------------------------------------------------------------------
    def apply(self, prefs: Preferences, *, save: bool = True) -> None:
        """Theme, icons and page font as ``prefs`` says, at once; remembered with ``save``."""
        changed_theme = prefs.theme != self.prefs.theme or not save
        self.prefs = prefs
        if changed_theme:
            theme.apply_theme(prefs.theme)
            icons.apply(self.window)
        self._apply_page_font()
        if save:
            preferences.save(self.window.settings, prefs)

    def page_font(self) -> QFont:
        font = QFont(QApplication.font())
        if self.prefs.page_font:
            font.setFamily(self.prefs.page_font)
        if self.prefs.page_size:
            font.setPointSize(self.prefs.page_size)
        return font

    def _apply_page_font(self) -> None:
        view = self.window.page_view
        if view is not None and view.font() != self.page_font():
            view.setFont(self.page_font())

    def _vault_opened(self) -> None:
        icons.apply(self.window)  # the new session's filter box and page list
        self._apply_page_font()

    def _style_toolbar(self, toolbar: QToolBar) -> None:
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        toolbar.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        actions = self.window.actions_
        toolbar.addSeparator()
        toolbar.addActions([actions.new_page, actions.import_articles])
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(self.action)

    def _keep_in_edit_menu(self) -> None:
        menu = self.window.actions_.edit_menu
        if self.action not in menu.actions():
            if menu.actions():
                menu.addSeparator()
            menu.addAction(self.action)

    # -- the dialog -----------------------------------------------------------------------------
    def open_settings(self) -> SettingsDialog:
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        session = self.window.session
        vault = session.ctx.vault if session is not None else None
        dialog = SettingsDialog(
            self.prefs, self.window, vault_root=vault.root if vault else None,
            ignored=vault.ignored_folders() if vault else (),
            readonly_reason=vault.readonly_reason if vault and vault.readonly else None)
        dialog.changed.connect(self.apply)
        dialog.folders_requested.connect(lambda folders: self._set_folders(dialog, folders))
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: SettingsDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _set_folders(self, dialog: SettingsDialog, folders: list[str]) -> None:
        from ui.operations.ignored_folders import set_ignored_folders

        ctx = self.window.ctx
        if ctx is None:
            dialog.folders_refused("no vault is open")
            return
        set_ignored_folders(ctx, folders, on_done=dialog.folders_applied,
                            on_error=dialog.folders_refused)


def install(window: MainWindow) -> WindowLook:
    return WindowLook(window)
