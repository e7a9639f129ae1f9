"""Commonplace desktop app (PySide6): widgets only, built on the ``wiki`` engine."""
