"""Every way of changing a session's settings is saved and comes back exactly on resume
(-c in the app, and -p), and an F6 edit of a profile applies to the tabs that use it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import tomli_w
from app_driving import SHORT, pane_of, relay_table, reply_requests, run, send, wait_until
from integration.cli_process import run_claude_tui
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from claude_tui import paths
from claude_tui.demo import DemoRelay
from claude_tui.profiles import Config, load_config
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp


@pytest.fixture
def config(demo_relay: DemoRelay) -> Config:
    """Two profiles on the test's relay: ``thinker`` (a 4096-token budget, its own system
    prompt, 16,000 max_tokens) and ``quick`` (no thinking)."""
    thinker = relay_table(
        demo_relay.base_url, thinking=4096, max_tokens=16000, system="You think hard."
    )
    quick = relay_table(demo_relay.base_url, thinking="off", model="claude-demo-fast")
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        tomli_w.dumps(
            {"default_profile": "thinker", "profiles": {"thinker": thinker, "quick": quick}}
        )
    )
    return load_config()


def last_body(relay: DemoRelay) -> dict[str, Any]:
    return reply_requests(relay)[-1].json


async def slash(pilot: Pilot[Any], text: str) -> None:
    await send(pilot, text)


async def pick_profile(pilot: Pilot[Any], name: str) -> None:
    await pilot.press("f2")
    await wait_until(pilot, lambda: bool(pilot.app.screen.query("#profiles")))
    options = pilot.app.screen.query_one("#profiles", OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index(name)
    await pilot.press("enter")
    await wait_until(pilot, lambda: not pilot.app.screen.query("#profiles"))


async def pick_model(pilot: Pilot[Any], model: str) -> None:
    await pilot.press("f3")
    await wait_until(pilot, lambda: bool(pilot.app.screen.query("#models")))
    options = pilot.app.screen.query_one("#models", OptionList)

    def listed() -> list[str | None]:
        return [options.get_option_at_index(i).id for i in range(options.option_count)]

    await wait_until(pilot, lambda: model in listed())
    options.highlighted = listed().index(model)
    await pilot.press("enter")
    await wait_until(pilot, lambda: not pilot.app.screen.query("#models"))


Change = Callable[[Pilot[Any]], Awaitable[None]]

WAYS: dict[str, tuple[Change, dict[str, Any]]] = {
    "/model": (
        lambda p: slash(p, "/model claude-demo-thinking"),
        {"model": "claude-demo-thinking"},
    ),
    "/thinking": (lambda p: slash(p, "/thinking adaptive"), {"thinking": "adaptive"}),
    "/thinking off": (lambda p: slash(p, "/thinking off"), {"thinking": "off"}),
    "/system": (lambda p: slash(p, "/system Answer in French."), {"system": "Answer in French."}),
    "/profile": (
        lambda p: slash(p, "/profile quick"),
        {"profile": "quick", "model": "claude-demo-fast", "thinking": "off", "max_tokens": 8192},
    ),
    "F2": (
        lambda p: pick_profile(p, "quick"),
        {"profile": "quick", "model": "claude-demo-fast", "thinking": "off", "system": None},
    ),
    "F3": (lambda p: pick_model(p, "claude-demo-fast"), {"model": "claude-demo-fast"}),
}


@pytest.mark.parametrize("way", list(WAYS))
async def test_a_changed_setting_comes_back_exactly_on_resume(
    config: Config, demo_relay: DemoRelay, way: str
) -> None:
    change, expected = WAYS[way]
    app = ClaudeTuiApp(config)
    async with run(app) as pilot:
        await send(pilot, SHORT)
        await change(pilot)
        settings = pane_of(pilot).conversation.settings
        for name, value in expected.items():
            assert getattr(settings, name) == value, name
    assert SessionStore().open(pane_of_session(app)).settings == settings

    again = ClaudeTuiApp(load_config(), continue_latest=True)
    async with run(again) as pilot:
        assert pane_of(pilot).conversation.settings == settings
        await send(pilot, SHORT)
    body = last_body(demo_relay)
    assert body["model"] == settings.model
    assert body["max_tokens"] == settings.max_tokens
    assert ("thinking" in body) == settings.thinking_enabled
    if settings.system:
        assert settings.system in str(body.get("system"))
    else:
        assert "system" not in body


def pane_of_session(app: ClaudeTuiApp) -> str:
    session_id = app.store.latest()
    assert session_id is not None
    return session_id.id


async def test_switching_from_a_thinking_profile_to_one_without_resumes_without_thinking(
    config: Config, demo_relay: DemoRelay
) -> None:
    """The bug: a switch saved only profile and model, so thinking came back on resume."""
    app = ClaudeTuiApp(config)
    async with run(app) as pilot:
        await send(pilot, SHORT)
        assert "thinking" in last_body(demo_relay)
        await send(pilot, "/profile quick")
    result = run_claude_tui("-c", "-p", SHORT)  # print mode reads the same settings
    assert result.code == 0, result.stderr
    body = last_body(demo_relay)
    assert "thinking" not in body and body["model"] == "claude-demo-fast"
    assert "system" not in body  # thinker's own system prompt stayed with thinker


async def test_an_f6_edit_applies_to_open_tabs_on_that_profile_and_is_saved(
    config: Config, demo_relay: DemoRelay
) -> None:
    app = ClaudeTuiApp(config)
    async with run(app) as pilot:
        await send(pilot, SHORT)
        await send(pilot, "/system My own prompt.")
        await pilot.press("f6")
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#profiles")))
        table = pilot.app.screen.query_one("#profiles", DataTable)
        names = [key.value for key in table.rows]
        table.move_cursor(row=names.index("thinker"))
        table.focus()
        await pilot.press("e")
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#model")))
        field = pilot.app.screen.query_one("#model", Input)
        field.value = "claude-demo-thinking"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not pilot.app.screen.query("#model"))
        await pilot.press("escape")  # close the manager
        pane = pane_of(pilot)
        await wait_until(pilot, lambda: pane.conversation.settings.model == "claude-demo-thinking")
        settings = pane.conversation.settings
        assert settings.thinking == 4096 and settings.max_tokens == 16000
        assert settings.system == "My own prompt."  # the tab's own prompt is kept
        expected = SessionSettings(
            profile="thinker",
            model="claude-demo-thinking",
            thinking=4096,
            system="My own prompt.",
            max_tokens=16000,
        )
        assert settings == expected
    assert SessionStore().open(pane_of_session(app)).settings == expected
