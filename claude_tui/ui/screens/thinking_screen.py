"""Full-screen viewer for one reply's thinking, with search."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, TextArea


class ThinkingScreen(Screen[None]):
    """Read a long chain of thought comfortably; ``/`` searches, Enter finds the next hit."""

    CSS_PATH = "thinking_screen.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="thinking.close"),
        Binding("slash,ctrl+f", "search", "Search", id="thinking.search"),
        Binding("n", "next_match", "Next match", id="thinking.next"),
    ]

    def __init__(self, title: str, thinking: str) -> None:
        super().__init__()
        self.title_text = title
        self.thinking = thinking
        self._last_query = ""

    def compose(self) -> ComposeResult:
        yield Label(self.title_text, id="thinking-title")
        yield TextArea(self.thinking, read_only=True, soft_wrap=True, id="thinking-text")
        yield Input(
            placeholder="Search the thinking…  (Enter: next match, Esc: close)",
            id="thinking-search",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_search(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._last_query = event.value
        self.action_next_match()

    def action_next_match(self) -> None:
        """Select the next occurrence of the query after the cursor, wrapping around."""
        query = self._last_query.lower()
        if not query:
            return
        area = self.query_one(TextArea)
        text = area.text.lower()
        lines = area.text.split("\n")
        row, column = area.cursor_location
        start = sum(len(line) + 1 for line in lines[:row]) + column + 1
        hit = text.find(query, start)
        if hit < 0:
            hit = text.find(query)
        if hit < 0:
            self.notify(f"No match for {self._last_query!r}", severity="warning")
            return
        location = _location(lines, hit)
        end = _location(lines, hit + len(query))
        from textual.widgets.text_area import Selection

        area.selection = Selection(location, end)
        area.scroll_cursor_visible(center=True)
        area.focus()


def _location(lines: list[str], offset: int) -> tuple[int, int]:
    for row, line in enumerate(lines):
        if offset <= len(line):
            return row, offset
        offset -= len(line) + 1
    return len(lines) - 1, len(lines[-1])
