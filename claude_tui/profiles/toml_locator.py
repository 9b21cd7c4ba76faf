"""Find the line a TOML key was written on, so config errors can point at it.

``tomllib`` returns plain dicts with no positions. :mod:`.toml_scan` walks the raw text once,
through ``[table]`` headers, dotted keys and inline tables, and this records the first line on
which each key path appears. It only reads text ``tomllib`` has already accepted, and it is
best effort: anything it does not understand just yields no line.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Sequence

from .toml_scan import KeyPath as KeyPath
from .toml_scan import TomlScanner


class TomlKeyLocator:
    """Maps key paths such as ``("profiles", "relay", "model")`` to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._scanner = TomlScanner(text)
        self._lines: dict[KeyPath, int] = {}
        # Best effort: on a surprise, keep what was found before it.
        with contextlib.suppress(IndexError, ValueError, tomllib.TOMLDecodeError):
            for _ in self._scanner.statements(on_key=self._record):
                pass

    def line_of(self, path: Sequence[str]) -> int | None:
        """Line of ``path``, or of its longest recorded parent (e.g. the table header)."""
        key = tuple(path)
        while key:
            if key in self._lines:
                return self._lines[key]
            key = key[:-1]
        return None

    def _record(self, path: KeyPath, position: int) -> None:
        line = self._scanner.line(position) + 1
        for depth in range(1, len(path) + 1):
            self._lines.setdefault(path[:depth], line)
