"""Where each statement of a TOML text sits, so a writer can cut and insert whole lines.

The config writer edits ``config.toml`` as text to keep what the user wrote around the part it
changes. For that it needs to know which lines are a table header, which a ``key = value``
(possibly spread over lines) and which are comments or blank, and which comments belong to a
table: the run of comment lines directly above its header, with no blank line between. Only
text ``tomllib`` has already accepted is scanned; pure stdlib, cheap enough to run per write.
"""

from __future__ import annotations

import bisect
import tomllib
from dataclasses import dataclass
from typing import Literal

KeyPath = tuple[str, ...]

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_END = frozenset(",]}\n\r#")


@dataclass(frozen=True)
class TomlStatement:
    """One header (``[a.b]`` / ``[[a.b]]``) or one ``key = value``, with its place in the text."""

    kind: Literal["table", "key"]
    path: KeyPath
    """The header's key path, or the key's full path (its table's path plus the key)."""
    table: KeyPath
    """The header the statement is under; a header's own path; ``()`` at the top level."""
    key_start: int
    """Offset of the key text (inside the brackets for a header)."""
    key_end: int
    """Offset just past the key text."""
    first_line: int
    """0-based line the statement starts on."""
    last_line: int
    """0-based line its value (or header) ends on."""


class TomlLayout:
    """The statements of ``text`` in order, and which comment lines belong to which header."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self._newlines = [i for i, char in enumerate(text) if char == "\n"]
        self.statements: list[TomlStatement] = []
        self._scan()
        self._covered = [False] * len(self.lines)
        for statement in self.statements:
            for line in range(statement.first_line, statement.last_line + 1):
                self._covered[line] = True

    # --- questions the writer asks -------------------------------------------------------

    def headers(self, prefix: KeyPath = ()) -> list[TomlStatement]:
        """The table headers whose path starts with ``prefix``, in file order."""
        return [s for s in self.statements if s.kind == "table" and s.path[: len(prefix)] == prefix]

    def top_level_keys(self) -> list[TomlStatement]:
        """The ``key = value`` lines before the first header."""
        return [s for s in self.statements if s.kind == "key" and s.table == ()]

    def is_comment(self, line: int) -> bool:
        """A line outside every statement that holds a comment (not one inside a string)."""
        return not self._covered[line] and self.lines[line].strip().startswith("#")

    def is_blank(self, line: int) -> bool:
        """A line with nothing but whitespace, outside every statement."""
        return not self._covered[line] and not self.lines[line].strip()

    def own_comments_start(self, header: TomlStatement) -> int:
        """First line of the comment run directly above ``header`` (its own line if none)."""
        line = header.first_line
        while line > 0 and self.is_comment(line - 1):
            line -= 1
        return line

    def last_key_line(self, header: TomlStatement) -> int:
        """Last line of the last ``key = value`` written under ``header`` (or the header's)."""
        index = self.statements.index(header)
        last = header.last_line
        for statement in self.statements[index + 1 :]:
            if statement.kind == "table":
                break
            last = statement.last_line
        return last

    def table_lines(self, header: TomlStatement) -> tuple[int, int]:
        """The lines (first, last inclusive) a table owns: its own comments, header, keys.

        Comment lines right after the last key (no blank line between) are the table's too,
        unless they sit directly above the next header, which then owns them.
        """
        index = self.statements.index(header)
        following = [s for s in self.statements[index + 1 :] if s.kind == "table"]
        limit = self.own_comments_start(following[0]) if following else len(self.lines)
        last = self.last_key_line(header)
        while last + 1 < limit and self.is_comment(last + 1):
            last += 1
        return self.own_comments_start(header), last

    # --- scanning ------------------------------------------------------------------------

    def _line(self, position: int) -> int:
        return bisect.bisect_left(self._newlines, position)

    def _scan(self) -> None:
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
                keys, key_end, i = self._parse_key(i)
                table = keys
                i = self._skip_blank(i)
                i += 2 if text.startswith("]]", i) else 1
                self._add("table", keys, table, key_start, key_end, start, i)
                i = self._skip_line(i)
                continue
            keys, key_end, i = self._parse_key(i)
            i = self._skip_blank(i)
            if text[i] != "=":
                raise ValueError("expected '='")
            i = self._skip_value(i + 1)
            self._add("key", table + keys, table, start, key_end, start, i)
            i = self._skip_line(i)

    def _add(
        self,
        kind: Literal["table", "key"],
        path: KeyPath,
        table: KeyPath,
        key_start: int,
        key_end: int,
        start: int,
        end: int,
    ) -> None:
        self.statements.append(
            TomlStatement(
                kind, path, table, key_start, key_end, self._line(start), self._line(end - 1)
            )
        )

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

    def _parse_key(self, i: int) -> tuple[KeyPath, int, int]:
        """A dotted key's parts, the offset just past its last part, and where to go on."""
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

    def _skip_value(self, i: int) -> int:
        """Offset just past the value starting at (or after blanks from) ``i``."""
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
                if char == "{":
                    _, _, i = self._parse_key(i)
                    i = self._skip_blank(i) + 1  # past the '='
                i = self._skip_value(i)
                i = self._skip_blank(i, newlines=True)
                if text[i] == ",":
                    i += 1
        while i < len(text) and text[i] not in _SCALAR_END:
            i += 1
        # A scalar ends before the spaces that separate it from a trailing comment.
        while i > 0 and text[i - 1] in " \t":
            i -= 1
        return i
