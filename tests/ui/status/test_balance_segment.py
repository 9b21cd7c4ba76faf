"""The status bar's balance segment: shown beside the cost, among the first parts to go when
narrow (after the session token count, which the cost sums up)."""

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


def test_the_balance_goes_right_after_the_session_tokens_when_the_bar_is_narrow() -> None:
    full = render_status(INFO).plain
    narrower = render_status(INFO, width=len(full) - 1).plain
    assert "session 3.4k tok" not in narrower  # first: the cost sums it up
    assert "relay 17.66 USD" in narrower
    narrowest = render_status(INFO, width=len(narrower) - 1).plain
    assert "USD" not in narrowest and "$0.42" in narrowest


def test_no_balance_no_segment() -> None:
    assert "USD" not in render_status(INFO._replace(balance="")).plain
