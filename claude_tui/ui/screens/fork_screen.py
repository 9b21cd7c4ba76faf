"""A dialog choosing the message a fork ends with: the new session keeps the messages up to
and including it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from claude_tui.chat_message import ChatMessage
from claude_tui.ui.widgets.sessions.session_list import fit

LINE_WIDTH = 64
"""Cells of a message's first line shown in the list (the dialog is a little wider)."""


def message_line(message: ChatMessage) -> Text:
    """A message as one line of the list: who wrote it, then its first non-blank line."""
    first = next((line.strip() for line in message.text.splitlines() if line.strip()), "")
    if not first and message.thinking_text:
        first = "(thinking only)"
    role = "You" if message.role == "user" else "Claude"
    line = Text.assemble((f"{role:<7}", "bold"), fit(first or "(empty)", LINE_WIDTH - 7))
    line.no_wrap = True
    return line


class ForkScreen(ModalScreen[str | None]):
    """Lists a session's messages, newest highlighted; dismisses with the chosen message id
    (Enter or click), or None (Esc). The app then calls ``store.fork(session, message_id)``."""

    CSS_PATH = "fork_screen.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="fork.cancel")]

    def __init__(self, messages: Sequence[ChatMessage], *, title: str | None = None) -> None:
        super().__init__()
        self.messages = list(messages)
        self.session_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            heading = f"Fork “{self.session_title}”" if self.session_title else "Fork session"
            yield Label(heading, id="heading")
            yield Label("The new session keeps the messages up to the one you choose.", id="hint")
            yield OptionList(
                *(Option(message_line(m), id=m.id) for m in self.messages), id="messages"
            )

    def on_mount(self) -> None:
        options = self.query_one("#messages", OptionList)
        options.focus()
        if self.messages:
            options.highlighted = len(self.messages) - 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
