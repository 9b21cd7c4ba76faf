"""Command palette entries (Ctrl+P): every command of the command table, searchable.

Each entry shows the command's help line, the keys it is on now (so a ``[keys]`` remap
shows) and its slash form; commands with choices (profiles, themes, thinking, export) get
one entry per choice as well.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, NamedTuple

from textual.command import DiscoveryHit, Hit, Hits, Provider

from claude_tui.ui.command_table import COMMANDS, Command

if TYPE_CHECKING:
    from claude_tui.ui.app import ClaudeTuiApp


class PaletteEntry(NamedTuple):
    """One line of the palette: what it says and what choosing it runs."""

    title: str
    help: str
    run: Callable[[], Awaitable[None]]


def palette_entries(app: ClaudeTuiApp) -> list[PaletteEntry]:
    """The palette's entries, in the command table's order."""

    def runner(command_id: str, argument: str = "") -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await app.run_command(command_id, argument)

        return run

    entries: list[PaletteEntry] = []
    for command in COMMANDS:
        if command.palette:
            help_text = _help(command, app.describe_command_keys(command.id), command.usage)
            entries.append(PaletteEntry(command.title, help_text, runner(command.id)))
        arguments = command.arguments
        if arguments is None or not arguments.palette_title:
            continue
        labels = {choice.value: choice.description or choice.value for choice in arguments.choices}
        if arguments.dynamic:
            labels.update({value: value for value in app.argument_choices(command.id)})
        for value, label in labels.items():
            title = arguments.palette_title.format(value=value, label=label)
            help_text = _help(command, "", f"/{command.id} {value}")
            entries.append(PaletteEntry(title, help_text, runner(command.id, value)))
    return entries


def _help(command: Command, keys: str, usage: str) -> str:
    """``Regenerate the last reply · Ctrl+R · /retry``: what, which key, which slash."""
    parts = [command.help, keys, usage if command.slash else ""]
    return " · ".join(part for part in parts if part)


class ClaudeCommands(Provider):
    """Commands of claude-tui, discoverable before the user types anything."""

    def _entries(self) -> list[PaletteEntry]:
        app: ClaudeTuiApp = self.app  # type: ignore[assignment]
        return palette_entries(app)

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(entry.title, entry.run, help=entry.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            score = matcher.match(f"{entry.title} {entry.help}")
            if score > 0:
                yield Hit(score, matcher.highlight(entry.title), entry.run, help=entry.help)
