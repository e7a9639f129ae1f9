#!/usr/bin/env python3
"""Run the Commonplace desktop app: `python main.py [--vault PATH] [--open PAGE]`."""

from __future__ import annotations

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
