"""Full-screen viewer for one reply's thinking, with search; it follows thinking that is
still streaming, as the inline block does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, TextArea

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.terminal_text import safe_for_terminal

FOLLOW_INTERVAL = 0.1
"""Seconds between looks at a reply that is still thinking."""


class ThinkingScreen(Screen[None]):
    """Read a long chain of thought comfortably; ``/`` searches, Enter finds the next hit."""

    CSS_PATH = "thinking_screen.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="thinking.close"),
        Binding("slash,ctrl+f", "search", "Search", id="thinking.search"),
        Binding("n", "next_match", "Next match", id="thinking.next"),
    ]

    def __init__(self, title: str, message: ChatMessage) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self._shown = safe_for_terminal(message.thinking_text)
        self._last_query = ""
        self._follow: Timer | None = None
        self.match_position: tuple[int, int] | None = None
        """Which match of how many the last search selected."""

    @property
    def thinking(self) -> str:
        """The thinking as the viewer shows it now."""
        return self._shown

    @property
    def live(self) -> bool:
        """Whether the reply is still streaming, so the viewer still grows."""
        return self.message.status is MessageStatus.STREAMING

    def compose(self) -> ComposeResult:
        yield Label(self._title(), id="thinking-title")
        yield TextArea(self._shown, read_only=True, soft_wrap=True, id="thinking-text")
        yield Input(
            placeholder="Search the thinking…  (Enter: next match, Esc: close)",
            id="thinking-search",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        if self.live:
            self._follow = self.set_interval(FOLLOW_INTERVAL, self._catch_up)

    def _title(self) -> str:
        return f"{self.title_text} · thinking…" if self.live else self.title_text

    def _catch_up(self) -> None:
        """Append what the reply has thought since the last look; the view follows the end
        unless the reader moved away from it."""
        text = safe_for_terminal(self.message.thinking_text)
        area = self.query_one(TextArea)
        if len(text) > len(self._shown) and text.startswith(self._shown):
            at_end = area.cursor_location == area.document.end
            area.insert(text[len(self._shown) :], area.document.end, maintain_selection_offset=True)
            if at_end:
                area.move_cursor(area.document.end)
                area.scroll_end(animate=False)
            self._shown = text
        elif text != self._shown:  # not an append (a retry replaced it): show it afresh
            area.load_text(text)
            self._shown = text
        if not self.live and self._follow is not None:
            self._follow.stop()
            self._follow = None
        self.query_one("#thinking-title", Label).update(self._title())

    def action_close(self) -> None:
        self.dismiss(None)

    def action_search(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._last_query = event.value
        self.action_next_match()

    def action_next_match(self) -> None:
        """Select the next occurrence of the query after the cursor, wrapping around, and
        say which of how many it is."""
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
        total = text.count(query)
        self.match_position = (text.count(query, 0, hit) + 1, total)
        self.query_one("#thinking-title", Label).update(
            f"{self._title()} · match {self.match_position[0]}/{total}"
        )


def _location(lines: list[str], offset: int) -> tuple[int, int]:
    for row, line in enumerate(lines):
        if offset <= len(line):
            return row, offset
        offset -= len(line) + 1
    return len(lines) - 1, len(lines[-1])
