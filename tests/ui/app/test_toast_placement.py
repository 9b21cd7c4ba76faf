"""Notifications are placed where they hide neither the composer nor the status bar."""

from __future__ import annotations

import tomli_w
from app_driving import run, wait_until
from textual.widgets._toast import Toast

from claude_tui import paths
from claude_tui.profiles import load_config
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.composer_box import ComposerBox
from claude_tui.ui.widgets.status_bar import StatusBar

UNUSED_URL = "http://127.0.0.1:9"  # never contacted: nothing is sent


def plain_app() -> ClaudeTuiApp:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    table = {"base_url": UNUSED_URL, "auth": "none", "model": "claude-demo"}
    path.write_text(tomli_w.dumps({"profiles": {"relay": table}}), encoding="utf-8")
    return ClaudeTuiApp(load_config(), profile_name="relay")


async def test_toasts_cover_neither_the_composer_nor_the_status_bar_nor_the_tabs() -> None:
    app = plain_app()
    async with run(app) as pilot:
        await app.action_new_tab()
        app.notify("Saved the session.")
        app.notify("A warning that runs on for a while, " * 4, severity="warning")
        app.notify("An error\nover\nseveral\nlines.", severity="error")
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) == 3)
        await pilot.pause()
        composer = app.query_one(ComposerBox).region
        status = app.query_one(StatusBar).region
        tabs = app.query_one("#tab-bar").region
        assert tabs.area > 0  # two tabs: the tab bar is shown
        toasts = [toast.region for toast in app.screen.query(Toast)]
        assert all(region.area > 0 for region in toasts)
        assert [r for r in toasts if r.overlaps(composer) or r.overlaps(status)] == []
        assert [r for r in toasts if r.overlaps(tabs)] == []
        width = app.screen.region.width
        assert all(region.x >= width // 3 for region in toasts)  # on the right
        assert min(region.y for region in toasts) == tabs.bottom + 1  # from the top down
