"""A small dialog asking for a new session title."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class RenameScreen(ModalScreen[str | None]):
    """Dismisses with the new title (whitespace collapsed), or None when cancelled (Esc)."""

    CSS_PATH = "rename_screen.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="rename.cancel")]

    def __init__(self, title: str, *, heading: str = "Rename session") -> None:
        super().__init__()
        self.current_title = title
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.heading, id="heading")
            yield Input(self.current_title, placeholder="Title", id="title")
            yield Label("Enter to save · Esc to cancel", id="hint")

    def on_mount(self) -> None:
        field = self.query_one("#title", Input)
        field.focus()
        field.select_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        title = " ".join(event.value.split())
        if not title:
            self.notify("A session title cannot be empty.", severity="warning")
            return
        self.dismiss(title)

    def action_cancel(self) -> None:
        self.dismiss(None)
