"""The README's Keys and Slash commands tables, written from the command table.

``python -m claude_tui.ui.command_reference`` rewrites the two tables in ``README.md``
(between their marker comments) after a command changes; a test fails while they are
not current. Pure text, no Textual.
"""

from __future__ import annotations

import sys
from pathlib import Path

from claude_tui.ui.command_table import COMMANDS, EDITING_KEYS, describe_keys, help_line

KEYS_BEGIN = "<!-- keys: written by `python -m claude_tui.ui.command_reference` -->"
KEYS_END = "<!-- end of keys -->"
SLASH_BEGIN = "<!-- slash commands: written by `python -m claude_tui.ui.command_reference` -->"
SLASH_END = "<!-- end of slash commands -->"


def keys_markdown() -> str:
    """The Keys table: the composer's own keys, then every command that has a key."""
    rows = [(key, text) for key, text in EDITING_KEYS]
    for command in COMMANDS:
        if command.keys:
            text = help_line(command, command.keys)
            if command.slash:
                text += f" (`/{command.id}`)"
            rows.append((describe_keys(command.keys), text))
    return _table(("Key", "Action"), rows)


def slash_markdown() -> str:
    """The Slash commands table: every command typed as ``/name``."""
    rows = []
    for command in COMMANDS:
        if command.slash:
            usage = f"`{command.usage}`"
            for alias in command.aliases:
                usage += f" (or `/{alias}`)"
            rows.append((usage, command.help))
    return _table(("Command", "What it does"), rows)


def _table(header: tuple[str, str], rows: list[tuple[str, str]]) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "| --- | --- |"]
    lines.extend(f"| {_cell(left)} | {_cell(right)} |" for left, right in rows)
    return "\n".join(lines)


def _cell(text: str) -> str:
    """A table cell: a ``|`` (even in code) would end the cell."""
    return text.replace("|", "\\|")


def current_readme(text: str) -> str:
    """``text`` (the README) with both tables rewritten from the command table.

    Raises:
        ValueError: A marker comment is missing.
    """
    text = _replace_between(text, KEYS_BEGIN, KEYS_END, keys_markdown())
    return _replace_between(text, SLASH_BEGIN, SLASH_END, slash_markdown())


def _replace_between(text: str, begin: str, end: str, body: str) -> str:
    start = text.find(begin)
    stop = text.find(end, start)
    if start < 0 or stop < 0:
        raise ValueError(f"the README needs the markers {begin} and {end}")
    return f"{text[: start + len(begin)]}\n\n{body}\n\n{text[stop:]}"


def main(argv: list[str] | None = None) -> int:
    """Rewrite the tables in the README given (default: ./README.md)."""
    from claude_tui.atomic_write import write_atomic

    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0] if args else "README.md")
    text = path.read_text(encoding="utf-8")
    updated = current_readme(text)
    if updated != text:
        write_atomic(path, updated)
        print(f"{path}: keys and slash commands rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
