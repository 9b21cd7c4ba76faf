"""Find the line a TOML key was written on, so config errors can point at it.

``tomllib`` returns plain dicts with no positions. This scanner walks the raw text once,
tracking the current ``[table]`` header, dotted keys and inline tables, and records the
first line on which each key path appears. It only reads text ``tomllib`` has already
accepted, and it is best effort: anything it does not understand just yields no line.
"""

from __future__ import annotations

import bisect
import contextlib
import tomllib
from collections.abc import Sequence

KeyPath = tuple[str, ...]

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_END = frozenset(",]}\n\r#")


class TomlKeyLocator:
    """Maps key paths such as ``("profiles", "relay", "model")`` to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines = [i for i, char in enumerate(text) if char == "\n"]
        self._lines: dict[KeyPath, int] = {}
        # Best effort: on a surprise, keep what was found before it.
        with contextlib.suppress(IndexError, ValueError, tomllib.TOMLDecodeError):
            self._scan()

    def line_of(self, path: Sequence[str]) -> int | None:
        """Line of ``path``, or of its longest recorded parent (e.g. the table header)."""
        key = tuple(path)
        while key:
            if key in self._lines:
                return self._lines[key]
            key = key[:-1]
        return None

    # --- scanning ------------------------------------------------------------------------

    def _record(self, path: KeyPath, position: int) -> None:
        line = bisect.bisect_left(self._newlines, position) + 1
        for depth in range(1, len(path) + 1):
            self._lines.setdefault(path[:depth], line)

    def _scan(self) -> None:
        text, i = self._text, 0
        table: KeyPath = ()
        while True:
            i = self._skip_blank(i, newlines=True)
            if i >= len(text):
                return
            if text[i] == "[":
                start = i
                i += 2 if text.startswith("[[", i) else 1
                keys, i = self._parse_key(i)
                table = keys
                self._record(table, start)
                i = self._skip_line(i)
                continue
            start = i
            keys, i = self._parse_key(i)
            self._record(table + keys, start)
            i = self._skip_blank(i)
            if text[i] != "=":
                raise ValueError("expected '='")
            i = self._parse_value(i + 1, table + keys)
            i = self._skip_line(i)

    def _skip_blank(self, i: int, *, newlines: bool = False) -> int:
        """Skip spaces, tabs and comments (and line breaks when ``newlines``)."""
        text = self._text
        while i < len(text):
            char = text[i]
            if char in " \t" or (newlines and char in "\r\n"):
                i += 1
            elif char == "#":
                end = text.find("\n", i)
                i = len(text) if end < 0 else end
            else:
                break
        return i

    def _skip_line(self, i: int) -> int:
        end = self._text.find("\n", i)
        return len(self._text) if end < 0 else end + 1

    def _parse_key(self, i: int) -> tuple[KeyPath, int]:
        """Read a dotted key (``a."b c".d``) and return its parts and the index after it."""
        text = self._text
        parts: list[str] = []
        while True:
            i = self._skip_blank(i)
            if text[i] in "\"'":
                end = self._string_end(i)
                raw = text[i:end]
                parts.append(tomllib.loads(f"k = {raw}")["k"])
                i = end
            else:
                start = i
                while i < len(text) and text[i] in _BARE_KEY_CHARS:
                    i += 1
                if i == start:
                    raise ValueError("expected a key")
                parts.append(text[start:i])
            i = self._skip_blank(i)
            if i < len(text) and text[i] == ".":
                i += 1
                continue
            return tuple(parts), i

    def _string_end(self, i: int) -> int:
        """Index just past the string (any of the four TOML kinds) starting at ``i``."""
        text = self._text
        quote = text[i]
        if text.startswith(quote * 3, i):
            j = i + 3
            while True:
                if quote == '"' and text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote * 3, j):
                    end = j + 3
                    # Up to two quotes may sit right before the closing delimiter.
                    extra = 0
                    while extra < 2 and end < len(text) and text[end] == quote:
                        end += 1
                        extra += 1
                    return end
                j += 1
        j = i + 1
        while text[j] != quote:
            if quote == '"' and text[j] == "\\":
                j += 1
            j += 1
        return j + 1

    def _parse_value(self, i: int, path: KeyPath) -> int:
        """Skip one value, recording keys inside inline tables; return the index after it."""
        text = self._text
        i = self._skip_blank(i)
        char = text[i]
        if char in "\"'":
            return self._string_end(i)
        if char == "[":
            i += 1
            while True:
                i = self._skip_blank(i, newlines=True)
                if text[i] == "]":
                    return i + 1
                i = self._parse_value(i, path)
                i = self._skip_blank(i, newlines=True)
                if text[i] == ",":
                    i += 1
        if char == "{":
            i += 1
            while True:
                i = self._skip_blank(i, newlines=True)
                if text[i] == "}":
                    return i + 1
                start = i
                keys, i = self._parse_key(i)
                self._record(path + keys, start)
                i = self._skip_blank(i)
                i = self._parse_value(i + 1, path + keys)  # past the '='
                i = self._skip_blank(i, newlines=True)
                if text[i] == ",":
                    i += 1
        while i < len(text) and text[i] not in _SCALAR_END:
            i += 1
        return i
