"""One pass over TOML text that says where each header, key and value sits.

``tomllib`` returns plain dicts with no positions, yet two parts of the config code need them:
:mod:`.toml_locator` (which line a bad key is on, for one-line errors) and :mod:`.toml_layout`
(which lines the writer may cut or insert around). Both read the same statements, so the
lexing lives here once. Only text ``tomllib`` has already accepted is scanned; on anything it
does not understand the scan stops with ``IndexError``, ``ValueError`` or
``tomllib.TOMLDecodeError`` and each caller decides what that means for it.
"""

from __future__ import annotations

import bisect
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

KeyPath = tuple[str, ...]
KeySeen = Callable[[KeyPath, int], None]
"""Told each key path as soon as it is read, with the offset its statement starts at."""

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_END = frozenset(",]}\n\r#")


@dataclass(frozen=True)
class ScannedStatement:
    """One header (``[a.b]`` / ``[[a.b]]``) or one ``key = value``, as offsets into the text."""

    kind: Literal["table", "key"]
    path: KeyPath
    """The header's key path, or the key's full path (its table's path plus the key)."""
    table: KeyPath
    """The header the statement is under; a header's own path; ``()`` at the top level."""
    start: int
    """Offset of the header's ``[`` or of the key."""
    key_start: int
    """Offset of the key text (inside the brackets for a header)."""
    key_end: int
    """Offset just past the key text."""
    end: int
    """Offset just past the header's closing bracket or the value."""


class TomlScanner:
    """Reads the statements of ``text`` in order; :meth:`line` turns offsets into lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines = [i for i, char in enumerate(text) if char == "\n"]

    def line(self, offset: int) -> int:
        """0-based line that ``offset`` is on."""
        return bisect.bisect_left(self._newlines, offset)

    def statements(self, on_key: KeySeen | None = None) -> Iterator[ScannedStatement]:
        """Each header and ``key = value`` in file order.

        ``on_key`` also hears the keys inside inline tables (also those in arrays), which are
        no statements of their own, and hears every key before its value is read, so a caller
        keeps what was found before a scan that stops part way.
        """
        text, i = self.text, 0
        table: KeyPath = ()
        while True:
            i = self._skip_blank(i, newlines=True)
            if i >= len(text):
                return
            start = i
            if text[i] == "[":
                i += 2 if text.startswith("[[", i) else 1
                key_start = self._skip_blank(i)
                table, key_end, i = self._read_key(i)
                if on_key is not None:
                    on_key(table, start)
                i = self._skip_blank(i)
                i += 2 if text.startswith("]]", i) else 1
                yield ScannedStatement("table", table, table, start, key_start, key_end, i)
            else:
                keys, key_end, i = self._read_key(i)
                path = table + keys
                if on_key is not None:
                    on_key(path, start)
                i = self._skip_blank(i)
                if text[i] != "=":
                    raise ValueError("expected '='")
                i = self._skip_value(i + 1, path, on_key)
                yield ScannedStatement("key", path, table, start, start, key_end, i)
            i = self._skip_line(i)

    def _skip_blank(self, i: int, *, newlines: bool = False) -> int:
        """Skip spaces, tabs and comments (and line breaks when ``newlines``)."""
        text = self.text
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
        end = self.text.find("\n", i)
        return len(self.text) if end < 0 else end + 1

    def _read_key(self, i: int) -> tuple[KeyPath, int, int]:
        """A dotted key's parts (``a."b c".d``), the offset past its last part, where to go on."""
        text = self.text
        parts: list[str] = []
        while True:
            i = self._skip_blank(i)
            if text[i] in "\"'":
                end = self._string_end(i)
                parts.append(tomllib.loads(f"k = {text[i:end]}")["k"])
                i = end
            else:
                start = i
                while i < len(text) and text[i] in _BARE_KEY_CHARS:
                    i += 1
                if i == start:
                    raise ValueError("expected a key")
                parts.append(text[start:i])
            key_end = i
            i = self._skip_blank(i)
            if i < len(text) and text[i] == ".":
                i += 1
                continue
            return tuple(parts), key_end, i

    def _string_end(self, i: int) -> int:
        """Offset just past the string (any of the four TOML kinds) starting at ``i``."""
        text = self.text
        quote = text[i]
        if text.startswith(quote * 3, i):
            j = i + 3
            while True:
                if quote == '"' and text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote * 3, j):
                    end = j + 3
                    extra = 0  # up to two quotes may sit right before the closing delimiter
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

    def _skip_value(self, i: int, path: KeyPath, on_key: KeySeen | None) -> int:
        """Offset just past the value of ``path`` starting at (or after blanks from) ``i``."""
        text = self.text
        i = self._skip_blank(i)
        char = text[i]
        if char in "\"'":
            return self._string_end(i)
        if char in "[{":
            close = "]" if char == "[" else "}"
            i += 1
            while True:
                i = self._skip_blank(i, newlines=True)
                if text[i] == close:
                    return i + 1
                item = path
                if char == "{":
                    start = i
                    keys, _, i = self._read_key(i)
                    item = path + keys
                    if on_key is not None:
                        on_key(item, start)
                    i = self._skip_blank(i) + 1  # past the '='
                i = self._skip_value(i, item, on_key)
                i = self._skip_blank(i, newlines=True)
                if text[i] == ",":
                    i += 1
        while i < len(text) and text[i] not in _SCALAR_END:
            i += 1
        # A scalar ends before the spaces that separate it from a trailing comment.
        while i > 0 and text[i - 1] in " \t":
            i -= 1
        return i
