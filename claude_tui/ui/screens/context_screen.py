"""``/context``: what the next request will carry, item by item, against the context window.

The view opens at once with the estimate and asks the endpoint for its exact count in a
worker; when the count arrives the total (and each item, scaled to it) is redrawn, and the
view says which of the two it shows. What it lists comes from
:class:`~claude_tui.conversation.context_report.ContextReport`, built from the request the
conversation would send next, so it agrees with what is sent and with the trim divider.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from claude_tui.conversation.context_report import ContextItem, ContextReport
from claude_tui.conversation.token_count_cache import TokenCount
from claude_tui.terminal_text import safe_for_terminal

if TYPE_CHECKING:
    from claude_tui.conversation.context_meter import ContextMeter
    from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane

BAR_CELLS = 20
_EIGHTHS = " ▏▎▍▌▋▊▉█"

Counter = Callable[[], Awaitable[TokenCount]]


class ContextScreen(ModalScreen[None]):
    """The items of the next request with their tokens, the total against the window, and
    how the total was come by (counted by the endpoint, or estimated and why)."""

    CSS_PATH = "context_screen.tcss"
    BINDINGS = [Binding("escape,q", "close", "Close", id="context.close")]

    def __init__(self, report: ContextReport, first: TokenCount, count: Counter) -> None:
        """``first``: what to show at once; ``count``: the endpoint's count (or the estimate
        with its reason), awaited in a worker."""
        super().__init__()
        self.report = report
        self.shown: TokenCount = first
        """The total shown now, and how it was come by."""
        self._count = count

    def compose(self) -> ComposeResult:
        report = self.report
        with VerticalScroll(id="context-body"):
            yield Static(
                Text(
                    safe_for_terminal(
                        f"Context of the next request · {report.profile} · {report.model}"
                    )
                ),
                id="context-title",
            )
            yield Static(self._items_table(), id="context-items")
            yield Static(self._totals(), id="context-totals")
            yield Static(self._how(), id="context-how")
            yield Static("Esc closes.", id="context-keys")

    def on_mount(self) -> None:
        if not self.shown.counted:
            self.run_worker(self._wait_for_count(), group="context-view", exit_on_error=False)

    async def _wait_for_count(self) -> None:
        self.show_count(await self._count())

    def show_count(self, count: TokenCount) -> None:
        """Redraw with ``count`` as the request's input tokens."""
        self.shown = count
        if not self.is_mounted:
            return
        self.query_one("#context-items", Static).update(self._items_table())
        self.query_one("#context-totals", Static).update(self._totals())
        self.query_one("#context-how", Static).update(self._how())

    def action_close(self) -> None:
        self.dismiss(None)

    # -- what is drawn -----------------------------------------------------------------------

    def _scale(self) -> float:
        """Items are estimates; with an endpoint count they are scaled to add up to it."""
        estimate = self.report.estimated_input
        if self.shown.counted and estimate > 0:
            return self.shown.tokens / estimate
        return 1.0

    def item_tokens(self, item: ContextItem) -> int:
        """An item's tokens as the view shows them (scaled when the total was counted)."""
        return round(item.tokens * self._scale()) if item.sent else item.tokens

    def _items_table(self) -> Table:
        table = Table(expand=True, show_edge=False, box=None, padding=(0, 1))
        table.add_column("Part", no_wrap=True)
        table.add_column("", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("Tokens", justify="right", no_wrap=True)
        table.add_column("of the window", no_wrap=True)
        for item in self.report.items:
            tokens = self.item_tokens(item)
            style = "" if item.sent else "dim"
            label = item.label if item.kind != "attachment" else f"  ↳ {item.label}"
            share = _bar(self.report.share(tokens)) if item.sent else f"not sent: {item.note}"
            table.add_row(
                Text(safe_for_terminal(label), style="bold" if item.sent else style),
                Text(safe_for_terminal(item.preview), style="italic" if item.sent else style),
                Text(f"{tokens:,}", style=style),
                Text(safe_for_terminal(share), style=style),
            )
        return table

    def _totals(self) -> Table:
        report = self.report
        about = "" if self.shown.counted else "~"
        total = report.total(self.shown.tokens)
        table = Table(expand=True, show_edge=False, box=None, padding=(0, 1), show_header=False)
        table.add_column("", style="bold", no_wrap=True)
        table.add_column("", justify="right", no_wrap=True)
        table.add_column("", ratio=1)
        table.add_row("Input", f"{about}{self.shown.tokens:,}", "")
        table.add_row("Reply reserve (max_tokens)", f"{report.reply_reserve:,}", "")
        share = report.share(total)
        if share is None:
            table.add_row(
                "Total",
                f"{about}{total:,}",
                Text(
                    "context window unknown: this profile's context_window is not set, so "
                    "nothing is trimmed to fit (set it in the profile)"
                ),
            )
        else:
            table.add_row(
                "Total",
                f"{about}{total:,}",
                Text(
                    f"of {report.context_window:,} ({100 * share:.0f}%)  {_bar(share)}",
                    style="bold" if share >= 0.8 else "",
                ),
            )
        return table

    def _how(self) -> Text:
        report = self.report
        lines = [f"Input {self.shown.how}."]
        if self.shown.why:
            lines.append(f"Why: {self.shown.why}.")
        if self.shown.counted:
            lines.append(
                "Per item: estimates scaled to the endpoint's total (one count covers the "
                "whole request, so it cannot be split per message)."
            )
        else:
            lines.append("Per item: estimates.")
        if report.left_out:
            noun = "message is" if report.left_out == 1 else "messages are"
            lines.append(
                f"{report.left_out} earlier {noun} not sent ({report.left_out_reason}); "
                "the session keeps them."
            )
        return Text("\n".join(lines))


def _bar(share: float | None, cells: int = BAR_CELLS) -> str:
    """``share`` of the window as a bar ``cells`` wide, in eighths of a cell; anything at
    all shows as at least a sliver."""
    if share is None:
        return ""
    eighths = round(max(0.0, min(share, 1.0)) * cells * 8)
    if share > 0 and eighths == 0:
        eighths = 1
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_EIGHTHS[part] if part else "")
    return bar.ljust(cells, "·")


def open_context_view(meter: ContextMeter, pane: ConversationPane) -> ContextScreen:
    """The view for ``pane``'s next request, with the composer's text as its next message."""
    conversation = pane.conversation
    report = meter.report(conversation, pane.composer.text)
    return ContextScreen(
        report,
        meter.first_count(conversation, report),
        lambda: meter.count(conversation, report),
    )
