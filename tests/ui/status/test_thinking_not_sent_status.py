"""The app's status bar says when thinking is on but the profile's endpoint is not asked
for it (``thinking_dialect = "none"`` on an ``openai`` profile), instead of hiding it."""

from __future__ import annotations

from app_driving import relay_table, run, write_config

from claude_tui.demo import DemoRelay
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.status_bar import StatusBar


def status_of(app: ClaudeTuiApp) -> str:
    return app.query_one(StatusBar).render().plain


async def test_the_status_bar_marks_thinking_not_sent(demo_relay: DemoRelay) -> None:
    config = write_config(
        {
            "none": relay_table(demo_relay.base_url, api_format="openai", thinking_dialect="none"),
            "sent": relay_table(demo_relay.base_url, api_format="openai"),
        }
    )
    app = ClaudeTuiApp(config, profile_name="none")
    async with run(app) as pilot:
        await pilot.pause()
        assert "thinking 2048 tok (not sent)" in status_of(app)
    app = ClaudeTuiApp(config, profile_name="sent")
    async with run(app) as pilot:
        await pilot.pause()
        assert "thinking 2048 tok" in status_of(app)
        assert "(not sent)" not in status_of(app)
