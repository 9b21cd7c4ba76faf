"""A yes/no question that must be answered before something is replaced or deleted.

Every use is destructive (delete a session, a profile or a message; replace an edited
message), so Cancel has the keyboard when the dialog opens: Enter cancels, and only ``y`` or
choosing the action's button does it. The button row says which one Enter presses, and the
focused button is filled with the text colour (``confirm_screen.tcss``) so Tab visibly moves it.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (y, or Enter on the action's button) or False (n / Esc, or Enter
    on Cancel, which has the focus at first)."""

    CSS_PATH = "confirm_screen.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, id="question")
            with Horizontal(id="buttons"):
                yield Label(self.keys_text(yes_focused=False), id="keys")
                yield Button(self.yes_label, variant="warning", id="yes")
                yield Button(self.no_label, id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def keys_text(self, *, yes_focused: bool) -> str:
        """``Enter: Cancel · y: Delete``: what Enter does now, and the key for the other."""
        if yes_focused:
            return f"Enter: {self.yes_label} · n: {self.no_label}"
        return f"Enter: {self.no_label} · y: {self.yes_label}"

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        yes_focused = event.widget.id == "yes"
        self.query_one("#keys", Label).update(self.keys_text(yes_focused=yes_focused))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
