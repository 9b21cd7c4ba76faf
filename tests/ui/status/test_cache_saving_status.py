"""What prompt caching saved, in the status bar beside the session cost: in full with room,
shortened, then dropped, before the figures a user watches the bar for."""

from __future__ import annotations

from claude_tui.ui.widgets.status_bar import StatusInfo, render_status

SAVED = StatusInfo(
    profile="openrouter-claude",
    model="claude-sonnet-4-5-20250929",
    thinking="adaptive",
    context_tokens=180_500,
    context_window=200_000,
    session_tokens=2_400,
    session_cost=0.42,
    session_saving=0.31,
    streaming=True,
)


def fitted(width: int, info: StatusInfo = SAVED) -> str:
    text = render_status(info, width)
    assert text.cell_len <= width
    return text.plain


def test_with_room_the_saving_is_shown_in_full_beside_the_cost() -> None:
    assert "$0.42 (saved $0.31 by caching)" in fitted(220)


def test_narrower_the_words_go_before_the_streaming_hint() -> None:
    text = fitted(130)
    assert "$0.42 (saved $0.31)" in text and "by caching" not in text
    assert "streaming" in text


def test_narrower_still_the_saving_goes_before_thinking_and_the_figures_stay() -> None:
    text = fitted(110)
    assert "saved" not in text and "streaming" not in text
    assert "thinking adaptive" in text
    assert "ctx 180.5k/200.0k (90%)" in text and "$0.42" in text


def test_nothing_is_said_while_caching_has_saved_nothing() -> None:
    for saving in (0.0, -0.05):  # a first turn only writes to the cache
        assert "saved" not in fitted(220, SAVED._replace(session_saving=saving))
