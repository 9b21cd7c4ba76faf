"""Helpers for driving the real ``ClaudeTuiApp`` with Textual's Pilot, shared by the UI tests.

They read what a user sees (the finished frame, tab labels) and act as a user acts (keys
that do not wait for the app to go idle, since a streaming app never is).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from config_files import write_config as write_config  # shared with the UI tests
from config_files import write_config_file as write_config_file
from textual import events
from textual.pilot import Pilot

from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane
from claude_tui.ui.widgets.conversation_tabs import ConversationTabs

SIZE = (100, 40)
SHORT = "[demo:long=1]"  # the relay answers with a heading and one line
TIMEOUT = 10.0
MOSSY_THEME = """\
name = "mossy"
dark = true
primary = "#8FBF5A"
secondary = "#6F8F9F"
accent = "#E0C060"
foreground = "#E4EAD8"
background = "#17201A"
surface = "#1F2B22"
panel = "#2A392D"
success = "#8FBF5A"
warning = "#E0C060"
error = "#E06050"
"""
"""A user's theme file (``mossy.toml``), for the theme tests and snapshots."""


def relay_table(base_url: str, **changes: Any) -> dict[str, Any]:
    """A ``[profiles.NAME]`` table for a demo relay, as a user would write it."""
    table: dict[str, Any] = {
        "base_url": base_url,
        "auth": "none",
        "model": "claude-demo",
        "thinking": 2048,
        "max_retries": 1,
    }
    table.update(changes)
    return table


def run(app: ClaudeTuiApp) -> Any:
    """``app.run_test`` at the standard size, with notifications shown as a user sees them."""
    return app.run_test(size=SIZE, notifications=True)


def app_of(pilot: Pilot[Any]) -> ClaudeTuiApp:
    app = pilot.app
    assert isinstance(app, ClaudeTuiApp)
    return app


def pane_of(pilot: Pilot[Any]) -> ConversationPane:
    pane = app_of(pilot).active_pane
    assert pane is not None
    return pane


def tab_labels(pilot: Pilot[Any]) -> list[str]:
    return pilot.app.query_one(ConversationTabs).labels()


async def screen_text(pilot: Pilot[Any]) -> str:
    """Every character on the terminal, modal screens and notifications included."""
    await pilot.pause()  # a screen or toast pushed just now is laid out on the next turn
    # The compositor is private, but it is the one place that holds the finished frame.
    return "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())


async def tap(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys without waiting for the app to go idle.

    ``Pilot.press`` waits until the process stops using CPU (up to a second, twice per key),
    which a streaming app never does; a user does not wait either.
    """
    for key in keys:
        pilot.app.post_message(events.Key(key, None))
        await pilot.pause(0.01)


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = TIMEOUT
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)


async def wait_until_shown(pilot: Pilot[Any], text: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while text not in await screen_text(pilot):
        assert time.monotonic() < deadline, f"{text!r} never appeared"
        await pilot.pause(0.02)


async def submit(pilot: Pilot[Any], text: str) -> None:
    """Put ``text`` in the active composer, press Enter and wait until it was taken (the
    composer is emptied, or refilled by ``/edit``: Enter is handled after the keys queued
    before it, so not at once)."""
    composer = pane_of(pilot).composer.composer
    composer.insert(text)
    typed = composer.text
    await tap(pilot, "enter")
    await wait_until(pilot, lambda: composer.text != typed)


async def send(pilot: Pilot[Any], text: str) -> None:
    """Send a prompt or slash command and wait for any reply it starts to finish."""
    pane = pane_of(pilot)
    await submit(pilot, text)
    await pilot.pause(0.02)
    await wait_until(pilot, lambda: not pane.streaming)
    await pilot.pause()


REPLY_PATHS = frozenset({"/v1/messages", "/v1/chat/completions", "/chat/completions"})


def reply_requests(relay: Any) -> list[Any]:
    """What ``relay`` (a ``DemoRelay``) received asking for a reply: its requests without the
    context meter's ``count_tokens`` calls, which go to the same endpoint after each reply."""
    return [r for r in relay.requests if r.path.split("?")[0] in REPLY_PATHS]
