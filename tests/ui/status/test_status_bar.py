"""The status bar: what it shows, and that an unchanged status is not redrawn."""

from __future__ import annotations

from textual.app import App, ComposeResult

from claude_tui.ui.widgets.status_bar import StatusBar, StatusInfo, render_status

INFO = StatusInfo(
    profile="relay",
    model="claude-demo",
    thinking="adaptive",
    context_tokens=180_500,
    context_window=200_000,
    session_tokens=2_400,
    session_cost=0.0123,
)


class BarApp(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar()


async def test_the_bar_shows_profile_model_thinking_context_and_cost() -> None:
    app = BarApp()
    async with app.run_test(size=(120, 3)):
        bar = app.query_one(StatusBar)
        bar.show(INFO)
        text = str(bar.render())
        assert " relay " in text and "claude-demo" in text and "thinking adaptive" in text
        assert "ctx 180.5k/200.0k (90%)" in text
        assert text.endswith("session 2.4k tok $0.01")


async def test_an_unchanged_status_is_not_redrawn() -> None:
    app = BarApp()
    async with app.run_test(size=(120, 3)):
        bar = app.query_one(StatusBar)
        bar.show(INFO)
        bar.show(INFO._replace())  # equal, as the app's once-a-second refresh makes it
        assert bar.shown is INFO
        streaming = INFO._replace(streaming=True)
        bar.show(streaming)
        assert bar.shown is streaming
        assert "streaming (Esc stops)" in str(bar.render())


# --- narrow terminals: the least important parts go first -----------------------------------

LONG = StatusInfo(
    profile="openrouter-claude",
    model="claude-sonnet-4-5-20250929",
    thinking="adaptive",
    context_tokens=180_500,
    context_window=200_000,
    session_tokens=2_400,
    session_cost=0.0123,
    streaming=True,
)


def parts_at(width: int) -> str:
    text = render_status(LONG, width)
    assert text.cell_len <= width
    return text.plain


def test_at_120_columns_the_token_count_goes_and_the_streaming_hint_is_shortened() -> None:
    text = parts_at(120)
    assert "openrouter-claude" in text and "claude-sonnet-4-5-20250929" in text
    assert "thinking adaptive" in text
    assert "ctx 180.5k/200.0k (90%)" in text and "$0.01" in text
    assert "tok" not in text
    assert "streaming" in text and "Esc stops" not in text


def test_at_80_columns_the_hint_and_thinking_go_but_model_and_figures_stay() -> None:
    text = parts_at(80)
    assert "openrouter-claude" in text and "claude-sonnet-4-5-20250929" in text
    assert "thinking" not in text and "tok" not in text
    assert "ctx 180.5k/200.0k (90%)" in text and "$0.01" in text


def test_at_60_columns_the_model_is_shortened_and_context_and_cost_remain() -> None:
    text = parts_at(60)
    assert "openrouter-claude" in text
    assert "claude-sonnet" in text and "claude-sonnet-4-5-20250929" not in text and "…" in text
    assert "ctx" in text and "90%" in text and "$0.01" in text


def test_with_room_to_spare_the_whole_line_is_shown() -> None:
    text = parts_at(200)
    assert "thinking adaptive" in text and "streaming (Esc stops)" in text
    assert "session 2.4k tok $0.01" in text


async def test_the_bar_fits_its_own_width_after_a_resize() -> None:
    app = BarApp()
    async with app.run_test(size=(160, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.show(LONG)
        await pilot.pause()
        assert "streaming (Esc stops)" in str(bar.render())
        await pilot.resize_terminal(60, 3)
        await pilot.pause()
        text = bar.render()
        assert text.cell_len <= bar.size.width < 60  # the bar's padding is not drawn on
        assert "thinking" not in text.plain and "streaming" not in text.plain
        assert "90%" in text.plain and "$0.01" in text.plain


def test_thinking_that_cannot_be_sent_is_labelled_not_sent() -> None:
    unsent = INFO._replace(thinking="4096 tok", thinking_sent=False)
    assert "thinking 4096 tok (not sent)" in render_status(unsent).plain
    assert "(not sent)" not in render_status(INFO._replace(thinking="4096 tok")).plain


# --- the context figure: counted by the endpoint, or an estimate marked ~ -------------------


def test_an_estimated_context_figure_is_marked_and_a_counted_one_is_not() -> None:
    estimated = INFO._replace(context_estimated=True)
    assert "ctx ~180.5k/200.0k (90%)" in render_status(estimated).plain
    assert "ctx 180.5k/200.0k (90%)" in render_status(INFO).plain
    assert "~" not in render_status(INFO).plain


def test_the_estimate_mark_stays_when_the_figure_is_compacted() -> None:
    narrow = LONG._replace(context_estimated=True)
    text = render_status(narrow, 60).plain
    assert "ctx ~90%" in text


def test_without_a_context_window_the_size_alone_is_shown() -> None:
    text = render_status(INFO._replace(context_window=0, context_estimated=True)).plain
    assert "ctx ~180.5k" in text and "%" not in text
