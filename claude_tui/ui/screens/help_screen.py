"""Every key and slash command on one screen (F1)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Keys (from the live bindings, so remapped keys show) and slash commands."""

    CSS_PATH = "help_screen.tcss"
    BINDINGS = [Binding("escape,q,f1", "close", "Close", id="help.close")]

    def __init__(
        self, keys: Sequence[tuple[str, str]], commands: Sequence[tuple[str, str]]
    ) -> None:
        super().__init__()
        self.keys = keys
        self.commands = commands

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static("claude-tui — keys and commands", id="help-title")
            yield Static(_table("Key", "Action", self.keys))
            yield Static(_table("Slash command", "What it does", self.commands))
            yield Static(
                "Ctrl+P opens the command palette with every action. "
                "Click a thinking summary to expand it; click ⧉ copy on a code block.",
                id="help-footnote",
            )

    def action_close(self) -> None:
        self.dismiss(None)


def _table(left: str, right: str, rows: Sequence[tuple[str, str]]) -> Table:
    table = Table(expand=True, show_edge=False, box=None, padding=(0, 2))
    table.add_column(left, style="bold", no_wrap=True)
    table.add_column(right)
    for key, description in rows:
        table.add_row(key, description)
    return table
