"""The always-visible line with profile, model, thinking, context use and session cost.

The line is laid out for the bar's width: on a narrow terminal the least important parts go
first (the relay balance, which ``/balance`` also shows, then the session's token count,
which the cost sums up, then the words of what caching
saved, then the streaming hint, then the saving itself, then the thinking setting), then the
model and the profile are shortened; the context figure and the cost are never dropped, since
they are what a user watches the bar for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from rich.text import Text
from textual.widget import Widget

from claude_tui.pricing.price_table import format_cost
from claude_tui.terminal_text import safe_for_terminal

MIN_MODEL_CELLS = 8
"""A model is shortened no further than this (with its ellipsis): enough to tell families apart."""

MIN_PROFILE_CELLS = 4


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
    thinking_sent: bool = True
    """False when thinking is on but the profile's endpoint is not asked for it (an
    ``openai`` profile with ``thinking_dialect = "none"``): the bar says "(not sent)"."""
    session_saving: float = 0.0
    """USD prompt caching saved this session against sending it uncached; shown beside the
    cost while positive ("$0.42 (saved $0.31 by caching)")."""
    context_estimated: bool = False
    """True when ``context_tokens`` is the local estimate, not the endpoint's count: the
    figure is then marked ``~`` (see ``ContextMeter``)."""
    balance: str = ""
    """What is left on the relay account of the profile ("relay 17.66 USD"), empty when
    unknown; its own segment, the first to go when the bar is narrow."""
    budget_left: str = ""
    """What the profile's budget leaves, ``"$3.20 left today"`` (the smaller of the daily
    and monthly limits); empty without a limit. Dropped first on a narrow bar."""


class StatusBar(Widget):
    """One line at the bottom of the screen; ``show(info)`` redraws it.

    The text is made in ``render`` because it depends on the bar's width; a resize repaints
    the widget, so a narrower terminal gets the shorter line without the app asking.
    """

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
        app refreshes the bar every second, and a repaint each time would be wasted work)."""
        if info == self.shown:
            return
        self.shown = info
        self.refresh()

    def render(self) -> Text:
        if self.shown is None:
            return Text()
        return render_status(self.shown, self.size.width or None)


class _Fit(NamedTuple):
    """Which parts of the line to show, and how short the model and profile may be."""

    activity: str = "full"  # "full", "short" or "none": the note or the streaming hint
    saving: str = "full"  # "full", "short" or "none": what caching saved, beside the cost
    session_tokens: bool = True
    thinking: bool = True
    model_cells: int | None = None
    compact_context: bool = False
    profile_cells: int | None = None
    balance: bool = True
    budget: bool = True


def render_status(info: StatusInfo, width: int | None = None) -> Text:
    """The status line as styled text, fitted to ``width`` cells (all of it when None)."""
    if width is None:
        return _compose(info, _Fit())
    text = Text()
    for fit in _narrower_fits(info, width):
        text = _compose(info, fit)
        if text.cell_len <= width:
            return text
    text.truncate(width, overflow="ellipsis")  # cost and context outgrow the bar: very rare
    return text


def _narrower_fits(info: StatusInfo, width: int) -> Iterator[_Fit]:
    """Each fit drops or shortens one more part, least important first."""
    fit = _Fit()
    yield fit
    fit = fit._replace(session_tokens=False)  # the cost sums it up; each reply shows its own
    yield fit
    if info.balance:
        fit = fit._replace(balance=False)  # /balance still says it
        yield fit
    if info.session_saving > 0:
        fit = fit._replace(saving="short")  # "(saved $0.31)"
        yield fit
    if info.budget_left:
        fit = fit._replace(budget=False)  # the send refused past it says it again
        yield fit
    if info.streaming and not info.note:
        fit = fit._replace(activity="short")
        yield fit
    fit = fit._replace(activity="none")
    yield fit
    if info.session_saving > 0:
        fit = fit._replace(saving="none")  # /cost still says it
        yield fit
    fit = fit._replace(thinking=False)
    yield fit
    yield (fit := fit._replace(model_cells=_cells_left(info, fit, width, "model")))
    fit = fit._replace(compact_context=True, model_cells=None)
    yield (fit := fit._replace(model_cells=_cells_left(info, fit, width, "model")))
    yield fit._replace(profile_cells=_cells_left(info, fit, width, "profile"))


def _cells_left(info: StatusInfo, fit: _Fit, width: int, part: str) -> int:
    """How long the model (or profile) may be for the rest of ``fit`` to fill ``width``."""
    over = _compose(info, fit).cell_len - width
    if part == "model":
        return max(MIN_MODEL_CELLS, len(info.model) - max(over, 0))
    return max(MIN_PROFILE_CELLS, len(info.profile) - max(over, 0))


def _compose(info: StatusInfo, fit: _Fit) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {_shorten(safe_for_terminal(info.profile), fit.profile_cells)} ", "bold reverse")
    text.append(f" {_shorten(safe_for_terminal(info.model), fit.model_cells)}", style="bold")
    if fit.thinking:
        text.append(f" · thinking {info.thinking}")
        if not info.thinking_sent:
            text.append(" (not sent)", style="bold")
    if info.context_window:
        percent = 100 * info.context_tokens / info.context_window
        about = "~" if info.context_estimated else ""
        if not fit.compact_context:
            figure = f"{_tokens(info.context_tokens)}/{_tokens(info.context_window)}"
            text.append(f" · ctx {about}{figure}")
            text.append(f" ({percent:.0f}%)", style="bold" if percent >= 80 else "")
        else:
            text.append(f" · ctx {about}")
            text.append(f"{percent:.0f}%", style="bold" if percent >= 80 else "")
    elif info.context_tokens:  # no context_window set: the size alone
        text.append(f" · ctx {'~' if info.context_estimated else ''}{_tokens(info.context_tokens)}")
    cost = format_cost(info.session_cost)
    if info.session_saving > 0 and fit.saving != "none":
        by = " by caching" if fit.saving == "full" else ""
        cost += f" (saved {format_cost(info.session_saving)}{by})"
    if fit.session_tokens:
        text.append(f" · session {_tokens(info.session_tokens)} tok {cost}")
    else:
        text.append(f" · {cost}")
    if info.balance and fit.balance:
        text.append(f" · {safe_for_terminal(info.balance)}")
    if fit.budget and info.budget_left:
        text.append(f" · {info.budget_left}")
    if fit.activity != "none":
        if info.note:
            text.append(f" · {info.note}", style="italic")
        elif info.streaming:
            hint = "streaming (Esc stops)" if fit.activity == "full" else "streaming"
            text.append(f" · {hint}", style="italic")
    return text


def _shorten(value: str, cells: int | None) -> str:
    """``value`` cut to ``cells`` with an ellipsis; unchanged when it fits or no limit is set."""
    if cells is None or len(value) <= cells:
        return value
    return value[: cells - 1] + "…"


def _tokens(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}M"
    if count >= 1000:
        return f"{count / 1000:.1f}k"
    return str(count)
