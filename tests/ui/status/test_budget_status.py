"""The status bar's budget: what the profile's limit leaves, shown beside the cost and the
first part dropped when the bar is narrow."""

from __future__ import annotations

from claude_tui.ui.widgets.status_bar import StatusInfo, render_status

INFO = StatusInfo(
    profile="relay",
    model="claude-demo",
    thinking="adaptive",
    context_tokens=18_000,
    context_window=200_000,
    session_tokens=2_400,
    session_cost=0.0123,
    budget_left="$3.20 left today",
)


def test_the_budget_follows_the_cost() -> None:
    text = render_status(INFO).plain
    assert text.endswith("session 2.4k tok $0.01 · $3.20 left today")


def test_no_limit_shows_nothing() -> None:
    assert "left" not in render_status(INFO._replace(budget_left="")).plain


def test_a_narrow_bar_drops_the_session_tokens_before_the_budget() -> None:
    full = render_status(INFO).plain
    narrower = render_status(INFO, len(full) - 1).plain
    assert "session 2.4k tok" not in narrower  # the cost sums it up
    assert "$3.20 left today" in narrower
    narrowest = render_status(INFO, len(narrower) - 1).plain
    assert "left today" not in narrowest
    assert "$0.01" in narrowest  # the cost stays
