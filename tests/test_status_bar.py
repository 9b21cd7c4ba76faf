"""The status bar: what it shows, and that an unchanged status is not redrawn."""

from __future__ import annotations

from textual.app import App, ComposeResult

from claude_tui.ui.widgets.status_bar import StatusBar, StatusInfo

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
