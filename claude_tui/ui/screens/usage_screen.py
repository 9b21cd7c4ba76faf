"""``/usage`` (F9): what was spent over the last 30 days, from the saved sessions.

Per day a bar stacked by profile (each profile its own colour, named in the legend), the
per-model table, the share of input read from the prompt cache, and the days and replies
past their profile's alerts. The figures are the ones ``claude-tui usage`` prints: both
read :class:`~claude_tui.usage.usage_report.UsageReport`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from claude_tui.pricing.price_table import format_cost
from claude_tui.terminal_text import safe_for_terminal
from claude_tui.usage.block_bars import FULL, column_chart
from claude_tui.usage.usage_report import UsageReport, UsageTotals

if TYPE_CHECKING:
    from claude_tui.ui.usage_watch import UsageWatch

CHART_ROWS = 8
SHOWN_REPLIES = 5
"""Flagged replies listed on the screen (the largest; ``claude-tui usage`` lists more)."""
FALLBACK_COLOURS = ("#4e9af1", "#f2a33a", "#5fbf6f", "#d16ba5", "#c9c94a", "#5cc8c8", "#e06c5a")
"""Profile colours after the theme's own (primary, secondary, accent, ...) run out."""
FLAG = "⚑"


class UsageScreen(ModalScreen[None]):
    """The usage report of the last days, drawn for the terminal."""

    CSS_PATH = "usage_screen.tcss"
    BINDINGS = [Binding("escape,q", "close", "Close", id="usage.close")]

    def __init__(
        self,
        report: UsageReport,
        colours: Sequence[str] = FALLBACK_COLOURS,
        warning: str = "red",
    ) -> None:
        """``colours``: the profiles' colours, in order (the theme's first); ``warning``:
        the flags' colour."""
        super().__init__()
        self.report = report
        self.warning = warning
        profiles = report.profiles
        palette = [*colours, *FALLBACK_COLOURS]
        self.colours = {name: palette[i % len(palette)] for i, name in enumerate(profiles)}
        """Each profile's colour in the bars and the legend."""

    def compose(self) -> ComposeResult:
        report = self.report
        total = report.total
        with VerticalScroll(id="usage-body"):
            yield Static(
                f"Usage · {report.days[0]} to {report.days[-1]} · {format_cost(total.cost)} · "
                f"{_count(total.tokens)} tokens · {total.replies} "
                f"{'reply' if total.replies == 1 else 'replies'}",
                id="usage-title",
            )
            yield Static(self._legend(), id="usage-legend")
            yield Static(self._day_chart(), id="usage-days")
            yield Static(self._model_table(), id="usage-models")
            yield Static(self._cache_line(), id="usage-cache")
            yield Static(self._flags(), id="usage-flags")
            yield Static(
                "Esc closes · claude-tui usage --by day|profile|model prints the same",
                id="usage-keys",
            )

    def action_close(self) -> None:
        self.dismiss(None)

    # -- what is drawn -----------------------------------------------------------------------

    def _day_chart(self) -> Text:
        """A column per day, stacked by profile (the most expensive at the bottom), with
        the cost axis on the left, a flag above each day past an alert and dates below."""
        report = self.report
        profiles = report.profiles
        columns = [
            [report.per_day.get(day, {}).get(name, _NONE).cost for name in profiles]
            for day in report.days
        ]
        biggest = max((sum(column) for column in columns), default=0.0)
        rows = column_chart(columns, biggest, CHART_ROWS)
        axis = max(len(format_cost(biggest)), 5)
        text = Text(no_wrap=True)
        text.append(" " * (axis + 2))
        for day in report.days:
            flagged = any(f.day == day for f in report.flagged_days)
            text.append(FLAG if flagged else " ", style=f"bold {self.warning}")
            text.append(" ")
        text.append("\n")
        for index, row in enumerate(rows):
            label = format_cost(biggest) if index == 0 else "$0" if index == len(rows) - 1 else ""
            text.append(f"{label:>{axis}} │", style="dim")
            for char, part in row:
                style = self.colours[profiles[part]] if part is not None else ""
                text.append(char, style=style)
                text.append(" ")
            text.append("\n")
        text.append(" " * axis + " └" + "─" * (2 * len(report.days)) + "\n", style="dim")
        text.append(" " * (axis + 2) + _date_labels(report.days), style="dim")
        return text

    def _legend(self) -> Text:
        legend = Text()
        if not self.colours:
            return Text("No replies in this period.", style="italic")
        for name, colour in self.colours.items():
            totals = self.report.by_profile[name]
            if legend:
                legend.append("   ")
            legend.append(f"{FULL} ", style=colour)
            legend.append(safe_for_terminal(name), style="bold")
            legend.append(f" {format_cost(totals.cost)}")
        return legend

    def _model_table(self) -> Table:
        table = Table(show_edge=False, box=None, padding=(0, 1))
        for title in ("Model", "Replies", "Input", "Output", "Cache read", "Cache write", "Cost"):
            table.add_column(title, justify="left" if title == "Model" else "right", no_wrap=True)
        rows: list[tuple[str, UsageTotals]] = self.report.rows("model")
        for name, totals in [*rows, ("Total", self.report.total)]:
            table.add_row(
                Text(safe_for_terminal(name), style="bold" if name == "Total" else ""),
                str(totals.replies),
                _count(totals.input),
                _count(totals.output),
                _count(totals.cache_read),
                _count(totals.cache_write),
                format_cost(totals.cost),
            )
        return table

    def _cache_line(self) -> Text:
        total = self.report.total
        text = Text(
            f"Cache share: {total.cache_share:.0%} of the input was read from the prompt cache "
            f"({_count(total.cache_read)} of {_count(total.prompt_tokens)} tokens)."
        )
        if total.unpriced:
            text.append(f" {total.unpriced} replies of models without a price count as $0.")
        return text

    def _flags(self) -> Text:
        report = self.report
        text = Text()
        if not report.flagged_days and not report.flagged_replies:
            return Text("No day or reply passed its profile's alerts.", style="dim")
        if report.flagged_days:
            text.append("Days over alert_daily_usd\n", style="bold")
            for flag in report.flagged_days:
                text.append(f"  {FLAG}", style=f"bold {self.warning}")
                text.append(
                    safe_for_terminal(
                        f" {flag.day}  {flag.profile}  {format_cost(flag.cost)} "
                        f"(alert at {format_cost(flag.limit)})\n"
                    )
                )
        if report.flagged_replies:
            text.append("Replies over alert_tokens\n", style="bold")
            for reply in report.flagged_replies[:SHOWN_REPLIES]:
                text.append(f"  {FLAG}", style=f"bold {self.warning}")
                text.append(
                    safe_for_terminal(
                        f" {reply.day}  {reply.profile}  {reply.model}  "
                        f"{_count(reply.tokens)} tokens (alert {_count(reply.limit)})  "
                        f"session {reply.session_id}\n"
                    )
                )
            more = len(report.flagged_replies) - SHOWN_REPLIES
            if more > 0:
                text.append(f"  and {more} more: claude-tui usage lists them\n", style="dim")
        text.rstrip()
        return text


_NONE = UsageTotals()


def _date_labels(days: Sequence[str]) -> str:
    """``MM-DD`` under the last day and every seventh before it (two cells a day)."""
    cells = [" "] * (2 * len(days) + 5)
    for index in range(len(days) - 1, -1, -7):
        label = days[index][5:]
        cells[2 * index : 2 * index + len(label)] = label
    return "".join(cells).rstrip()


def _count(tokens: int) -> str:
    if tokens >= 1_000_000:
        return f"{tokens / 1_000_000:.1f}M"
    if tokens >= 1000:
        return f"{tokens / 1000:.1f}k"
    return str(tokens)


def theme_colours(theme: object) -> tuple[list[str], str]:
    """A Textual theme's colours for the profiles (primary, secondary, accent, success,
    warning, error, those it sets) and for the flags (its warning colour)."""
    names = ("primary", "secondary", "accent", "success", "warning", "error")
    colours = [value for name in names if isinstance(value := getattr(theme, name, None), str)]
    warning = getattr(theme, "warning", None)
    return list(dict.fromkeys(colours)), warning if isinstance(warning, str) else "red"


def open_usage_view(usage: UsageWatch, theme: object) -> UsageScreen:
    """The usage screen of the last 30 days, in the theme's colours."""
    colours, warning = theme_colours(theme)
    return UsageScreen(usage.report(), colours, warning)
