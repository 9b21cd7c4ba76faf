"""The status bar's balance segment: shown beside the cost, the first part to go when narrow."""

from __future__ import annotations

from claude_tui.ui.widgets.status_bar import StatusInfo, render_status

INFO = StatusInfo(
    profile="relay",
    model="claude-sonnet-4-5",
    thinking="off",
    context_tokens=1200,
    context_window=200_000,
    session_tokens=3400,
    session_cost=0.42,
    balance="relay 17.66 USD",
)


def test_the_balance_is_its_own_segment_after_the_cost() -> None:
    text = render_status(INFO).plain

    assert text.endswith(" · relay 17.66 USD")
    assert text.index("$0.42") < text.index("relay 17.66 USD")


def test_the_balance_goes_first_when_the_bar_is_narrow() -> None:
    full = render_status(INFO).plain
    without = render_status(INFO._replace(balance="")).plain

    narrower = render_status(INFO, width=len(full) - 1).plain

    assert narrower == without  # the session tokens are still there: only the balance went
    assert "session 3.4k tok" in narrower


def test_no_balance_no_segment() -> None:
    assert "USD" not in render_status(INFO._replace(balance="")).plain
