"""config.toml edited in an editor while the app runs applies without a restart: on /profile,
F2, F6 and at each send; a broken edit is reported and the working config kept."""

from __future__ import annotations

import os

import tomli_w
from app_driving import (
    SHORT,
    pane_of,
    relay_table,
    reply_requests,
    run,
    send,
    wait_until,
    write_config,
)

from claude_tui import paths
from claude_tui.demo import DemoRelay
from claude_tui.profiles import load_config
from claude_tui.ui.app import ClaudeTuiApp


def edit_config(text: str) -> None:
    """Rewrite config.toml as an editor would, with a visibly newer modification time."""
    path = paths.config_file()
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def toasts(app: ClaudeTuiApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_profile_added_in_an_editor_can_be_switched_to_at_once(
    demo_relay: DemoRelay, second_relay: DemoRelay
) -> None:
    write_config({"relay": relay_table(demo_relay.base_url)}, default_profile="relay")
    app = ClaudeTuiApp(load_config())
    async with run(app) as pilot:
        text = paths.config_file().read_text()
        fresh = tomli_w.dumps({"profiles": {"fresh": relay_table(second_relay.base_url)}})
        edit_config(text + "\n" + fresh)
        await send(pilot, "/profile fresh")
        pane = pane_of(pilot)
        assert pane.conversation.profile.name == "fresh"
        await send(pilot, SHORT)
        assert len(reply_requests(second_relay)) == 1


async def test_an_edited_base_url_applies_at_the_next_send(
    demo_relay: DemoRelay, second_relay: DemoRelay
) -> None:
    config = write_config({"relay": relay_table(demo_relay.base_url)}, default_profile="relay")
    app = ClaudeTuiApp(config)
    async with run(app) as pilot:
        await send(pilot, SHORT)
        assert len(reply_requests(demo_relay)) == 1
        text = paths.config_file().read_text()
        edit_config(text.replace(demo_relay.base_url, second_relay.base_url))
        await send(pilot, SHORT)
        assert len(reply_requests(second_relay)) == 1 and len(reply_requests(demo_relay)) == 1


async def test_a_broken_edit_is_reported_and_the_working_config_kept(
    demo_relay: DemoRelay,
) -> None:
    config = write_config({"relay": relay_table(demo_relay.base_url)}, default_profile="relay")
    app = ClaudeTuiApp(config)
    async with run(app) as pilot:
        edit_config(paths.config_file().read_text() + "\n[profiles.broken\n")
        await send(pilot, SHORT)  # the send goes out with the config that worked
        await wait_until(pilot, lambda: any("does not load" in t for t in toasts(app)))
        assert len(reply_requests(demo_relay)) == 1
        assert app.config is config
