"""``/tools`` in the real app, and the tool host the app makes only when servers are
configured (after the first frame; stopped when the app ends)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from app_driving import app_of, run, screen_text, submit, tap, wait_until, wait_until_shown
from config_files import write_config
from textual.pilot import Pilot

from claude_tui.mcp import McpToolHost
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.screens.tools_screen import ToolsScreen

ECHO_SERVER = Path(__file__).parents[2] / "mcp_servers" / "echo_server.py"


def config_with_echo() -> Any:
    return write_config(
        "[mcp_servers.echo]\n"
        f"command = {str(sys.executable)!r}\n"
        f"args = [{str(ECHO_SERVER)!r}]\n"
        "\n"
        "[mcp_servers.broken]\n"
        f"command = {str(sys.executable)!r}\n"
        f"args = [{str(ECHO_SERVER)!r}, '--crash-at-start']\n"
    )


def host_of(pilot: Pilot[Any]) -> McpToolHost:
    host = app_of(pilot).turn_services.tools
    assert isinstance(host, McpToolHost)
    return host


async def open_tools(pilot: Pilot[Any]) -> ToolsScreen:
    await submit(pilot, "/tools")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ToolsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ToolsScreen)
    return screen


async def test_no_servers_no_host_and_tools_says_how_to_add_one() -> None:
    app = ClaudeTuiApp(write_config(""))
    async with run(app) as pilot:
        await pilot.pause()
        assert app.turn_services.tools is None
        await open_tools(pilot)
        await wait_until_shown(pilot, "No MCP servers are configured")


async def test_tools_lists_servers_states_tools_and_errors() -> None:
    app = ClaudeTuiApp(config_with_echo())
    async with run(app) as pilot:
        await wait_until(pilot, lambda: app.turn_services.tools is not None)
        host = host_of(pilot)
        assert all(e.state == "not started" for e in host.servers.entries.values())
        profile = app.active_pane.conversation.profile  # type: ignore[union-attr]
        await host.prepare(profile)
        await open_tools(pilot)
        await wait_until_shown(pilot, "echo__add")
        text = await screen_text(pilot)
        assert "[running]" in text and "[failed]" in text
        assert "refusing to start" in text  # the broken server's last words
        assert "MCP server 'broken'" in text  # the toast
        await wait_until(pilot, lambda: host.offered(profile) != ())


async def test_switching_a_tool_and_a_server_off_and_on() -> None:
    app = ClaudeTuiApp(config_with_echo())
    async with run(app) as pilot:
        await wait_until(pilot, lambda: app.turn_services.tools is not None)
        host = host_of(pilot)
        profile = app.active_pane.conversation.profile  # type: ignore[union-attr]
        await host.prepare(profile)
        screen = await open_tools(pilot)
        options = screen.query_one("#tools-list")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]  # type: ignore[attr-defined]
        options.highlighted = ids.index("t:echo__add")  # type: ignore[attr-defined]
        await tap(pilot, "space")
        await wait_until(pilot, lambda: "echo__add" in host.disabled_tools)
        assert "echo__add" not in [spec.name for spec in host.offered(profile)]
        await tap(pilot, "enter")
        await wait_until(pilot, lambda: "echo__add" not in host.disabled_tools)
        options.highlighted = ids.index("s:echo")  # type: ignore[attr-defined]
        await tap(pilot, "space")
        await wait_until(pilot, lambda: not host.servers.entries["echo"].enabled)
        assert host.offered(profile) == ()
        await wait_until_shown(pilot, "[off]")
        await tap(pilot, "escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, ToolsScreen))


async def test_the_app_stops_its_servers_when_it_ends() -> None:
    app = ClaudeTuiApp(config_with_echo())
    async with run(app) as pilot:
        await wait_until(pilot, lambda: app.turn_services.tools is not None)
        host = host_of(pilot)
        await host.prepare(app.active_pane.conversation.profile)  # type: ignore[union-attr]
        session = host.servers.entries["echo"].session
        assert session is not None
        process = session.transport._process  # type: ignore[attr-defined]
    assert process.returncode is not None
