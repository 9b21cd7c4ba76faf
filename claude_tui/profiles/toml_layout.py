"""Where each statement of a TOML text sits, so a writer can cut and insert whole lines.

The config writer edits ``config.toml`` as text to keep what the user wrote around the part it
changes. For that it needs to know which lines are a table header, which a ``key = value``
(possibly spread over lines) and which are comments or blank, and which comments belong to a
table: the run of comment lines directly above its header, with no blank line between. Only
text ``tomllib`` has already accepted is scanned (by :mod:`.toml_scan`, shared with the error
line locator); pure stdlib, cheap enough to run per write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .toml_scan import KeyPath as KeyPath
from .toml_scan import TomlScanner


@dataclass(frozen=True)
class TomlStatement:
    """A :class:`.toml_scan.ScannedStatement` placed by lines rather than start/end offsets.

    ``kind``, ``path``, ``table``, ``key_start`` and ``key_end`` mean what they mean there.
    """

    kind: Literal["table", "key"]
    path: KeyPath
    table: KeyPath
    key_start: int
    key_end: int
    first_line: int
    """0-based line the statement starts on."""
    last_line: int
    """0-based line its value (or header) ends on."""


class TomlLayout:
    """The statements of ``text`` in order, and which comment lines belong to which header."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        scanner = TomlScanner(text)
        self.statements: list[TomlStatement] = [
            TomlStatement(
                s.kind,
                s.path,
                s.table,
                s.key_start,
                s.key_end,
                scanner.line(s.start),
                scanner.line(s.end - 1),
            )
            for s in scanner.statements()
        ]
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
