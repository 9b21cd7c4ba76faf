"""The always-visible line with profile, model, thinking, context use and session cost."""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.widgets import Static

from claude_tui.pricing.price_table import format_cost
from claude_tui.terminal_text import safe_for_terminal


class StatusInfo(NamedTuple):
    """Everything the status bar shows, computed by the app from the active pane (a
    NamedTuple for the launch, see ``RenderTheme``)."""

    profile: str
    model: str
    thinking: str
    context_tokens: int
    context_window: int
    session_tokens: int
    session_cost: float | None
    note: str = ""
    streaming: bool = False


class StatusBar(Static):
    """One line at the bottom of the screen; ``show(info)`` redraws it."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    shown: StatusInfo | None = None
    """What the bar shows now."""

    def show(self, info: StatusInfo) -> None:
        """Redraw with ``info``; nothing happens when it is what the bar already shows (the
        app refreshes the bar every second, and an update would lay the screen out again)."""
        if info == self.shown:
            return
        self.shown = info
        self.update(render_status(info))


def render_status(info: StatusInfo) -> Text:
    """The status line as styled text (also used by tests)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {safe_for_terminal(info.profile)} ", style="bold reverse")
    text.append(f" {safe_for_terminal(info.model)}", style="bold")
    text.append(f" · thinking {info.thinking}")
    if info.context_window:
        percent = 100 * info.context_tokens / info.context_window
        text.append(f" · ctx {_tokens(info.context_tokens)}/{_tokens(info.context_window)}")
        text.append(f" ({percent:.0f}%)", style="bold" if percent >= 80 else "")
    text.append(f" · session {_tokens(info.session_tokens)} tok {format_cost(info.session_cost)}")
    if info.note:
        text.append(f" · {info.note}", style="italic")
    elif info.streaming:
        text.append(" · streaming (Esc stops)", style="italic")
    return text


def _tokens(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}M"
    if count >= 1000:
        return f"{count / 1000:.1f}k"
    return str(count)
