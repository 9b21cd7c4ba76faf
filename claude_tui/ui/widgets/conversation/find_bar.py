"""The find bar above the composer (Ctrl+F): a query, the match count and its keys.

It drives the pane's :class:`ConversationView`, which holds the matches and paints them:
typing finds, Enter moves to the older match and Shift+Enter to the newer one (wrapping),
Esc closes the bar and gives the focus back to the composer.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from claude_tui.ui.widgets.conversation.conversation_view import ConversationView


class FindBar(Horizontal):
    """Hidden until :meth:`open`; lives in a pane next to its conversation view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("shift+enter", "step(1)", "Newer match", show=False, id="find.newer"),
        Binding("escape", "close", "Close find", show=False, id="find.close"),
    ]

    class Closed(Message):
        """The bar was closed: the pane puts the focus back in the composer."""

    def compose(self) -> ComposeResult:
        yield Static("Find", id="find-label")
        yield Input(placeholder="in the conversation · Enter older · Shift+Enter newer · Esc")
        yield Static("", id="find-count")

    @property
    def input(self) -> Input:
        """The query box."""
        return self.query_one(Input)

    @property
    def is_open(self) -> bool:
        """True while the bar is shown."""
        return self.has_class("-open")

    def _view(self) -> ConversationView | None:
        parent = self.parent
        if parent is None:
            return None
        views = parent.query(ConversationView)
        return views.first() if views else None

    def open(self, query: str = "") -> None:
        """Show the bar with the cursor in it; ``query`` replaces the text when given."""
        self.add_class("-open")
        view = self._view()
        if view is not None:
            view.find_listener = self._view_changed
            view.find_open = True
        if query:
            self.input.value = query  # the Changed handler finds it
        else:
            self._find(self.input.value)
        self.input.focus()
        self.input.select_all()

    def close(self) -> None:
        """Hide the bar and clear the highlights; the query stays for the next Ctrl+F."""
        self.remove_class("-open")
        view = self._view()
        if view is not None:
            view.find_open = False
            view.find_close()
        self.post_message(self.Closed())

    def _view_changed(self) -> None:
        """The view's find moved (n, N) or ended (Esc in the messages)."""
        view = self._view()
        if view is not None and not view.find_open and self.is_open:
            self.remove_class("-open")  # Esc in the messages
            self.post_message(self.Closed())
            return
        self.show_count()

    def show_count(self) -> None:
        """Show the view's ``3/17`` (or that nothing matched)."""
        view = self._view()
        status = view.find_status if view is not None else ""
        self.query_one("#find-count", Static).update("no matches" if status == "0/0" else status)

    def _find(self, query: str) -> None:
        view = self._view()
        if view is not None:
            view.find(query)
        self.show_count()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.is_open:
            self._find(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_step(-1)

    def action_step(self, step: int) -> None:
        view = self._view()
        if view is not None:
            view.find_step(step)
        self.show_count()

    def action_close(self) -> None:
        self.close()
