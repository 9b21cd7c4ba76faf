"""Every command and key on one screen (F1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from claude_tui.ui.command_table import COMMANDS, EDITING_KEYS, describe_keys, help_line


class HelpRow(NamedTuple):
    """One command: its slash form (empty for a key-only one), current keys, help line."""

    usage: str
    keys: str
    help: str


class HelpScreen(ModalScreen[None]):
    """The command table with the keys in force (so ``[keys]`` remaps show), then the
    keys that are not commands."""

    CSS_PATH = "help_screen.tcss"
    BINDINGS = [Binding("escape,q,f1", "close", "Close", id="help.close")]

    def __init__(self, keymap: Mapping[str, tuple[str, ...]]) -> None:
        """``keymap``: each command's keys in force."""
        super().__init__()
        self.commands = [
            HelpRow(
                command.usage if command.slash else "",
                describe_keys(keymap.get(command.id, ())),
                help_line(command, keymap.get(command.id, ())),
            )
            for command in COMMANDS
        ]
        self.keys = [*EDITING_KEYS, *_message_keys()]
        """The keys that are no command: the composer's and the messages' own."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static("claude-tui — keys and commands", id="help-title")
            yield Static(_commands_table(self.commands))
            yield Static(_keys_table(self.keys))
            yield Static(
                "Ctrl+P opens the command palette with every command. Keys can be changed "
                "in config.toml's [keys] table. Click a thinking summary to expand it; "
                "click ⧉ copy on a code block.",
                id="help-footnote",
            )

    def action_close(self) -> None:
        self.dismiss(None)


def _message_keys() -> list[tuple[str, str]]:
    from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane
    from claude_tui.ui.widgets.conversation.conversation_view import ConversationView

    version_keys = [  # the pane's, taken while the messages are focused
        binding
        for binding in ConversationPane.BINDINGS
        if isinstance(binding, Binding) and binding.action.startswith("page_version")
    ]
    return [
        (describe_keys(binding.key.split(",")), f"{binding.description} (messages focused)")
        for binding in [*ConversationView.BINDINGS, *version_keys]
        if isinstance(binding, Binding) and binding.action != "app.help"
    ]


def _commands_table(rows: Sequence[HelpRow]) -> Table:
    table = Table(expand=True, show_edge=False, box=None, padding=(0, 1))
    table.add_column("Command", style="bold", no_wrap=True)
    table.add_column("Key", no_wrap=True)
    table.add_column("What it does", ratio=1)
    for row in rows:
        table.add_row(row.usage, row.keys, row.help)
    return table


def _keys_table(rows: Sequence[tuple[str, str]]) -> Table:
    table = Table(expand=True, show_edge=False, box=None, padding=(0, 1))
    table.add_column("Key", style="bold", no_wrap=True)
    table.add_column("Action", ratio=1)
    for key, description in rows:
        table.add_row(key, description)
    return table
