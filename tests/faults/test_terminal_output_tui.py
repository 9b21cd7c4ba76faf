"""What the app draws never drives the terminal (issue 8, item 4, the TUI side).

A relay's reply, its error messages and the session title taken from a prompt are outside
text: each is put through the app with escape sequences inside, and the frame the app would
write to the terminal is checked for them.
"""

from __future__ import annotations

import tomli_w
from app_driving import pane_of, relay_table, run, send, wait_until

from claude_tui import paths
from claude_tui.demo import DemoRelay
from claude_tui.demo.fault_modes import Fault
from claude_tui.profiles import load_config
from claude_tui.ui.app import ClaudeTuiApp

HOSTILE = "hi \x1b]0;pwned\x07 \x1b]52;c;aGk=\x07 \x1b[2J \x9b31m \x1bP1$qm\x1b\\ end"
PAYLOADS = ("\x1b]0;", "\x1b]52;", "\x1b[2J", "\x9b", "\x07", "\x1bP")


def frame_as_written(app: ClaudeTuiApp) -> str:
    """The whole frame as the app would write it to a terminal: text and escape codes."""
    # The compositor is private, but it is the one place that holds the finished frame; a
    # headless test driver writes nothing.
    update = app.screen._compositor.render_update(full=True)
    assert update is not None
    return update.render_segments(app.console)


def _config(base_url: str) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    table = relay_table(base_url, thinking="off")
    path.write_text(tomli_w.dumps({"profiles": {"relay": table}}), encoding="utf-8")


def assert_clean(frame: str) -> None:
    for payload in PAYLOADS:
        assert payload not in frame, f"{payload!r} reached the terminal"


async def test_a_reply_and_a_title_with_escape_sequences_reach_the_screen_inert(
    demo_relay: DemoRelay,
) -> None:
    _config(demo_relay.base_url)
    app = ClaudeTuiApp(load_config(), profile_name="relay")
    async with run(app) as pilot:
        await send(pilot, HOSTILE)  # the demo relay quotes the prompt in its reply
        pane = pane_of(pilot)
        reply = pane.conversation.session.messages[-1]
        assert "\x1b]0;pwned" in reply.text  # the hostile text really came back
        await wait_until(pilot, lambda: "end" in frame_as_written(app))
        frame = frame_as_written(app)
        assert "hi" in frame
        assert_clean(frame)
        await pilot.press("ctrl+b")  # the sessions sidebar lists the title
        await pilot.pause()
        assert_clean(frame_as_written(app))


async def test_an_error_message_with_escape_sequences_is_shown_inert(
    demo_relay: DemoRelay,
) -> None:
    _config(demo_relay.base_url)
    demo_relay.queue_fault(Fault.http_error(400, message=f"bad request {HOSTILE}"))
    app = ClaudeTuiApp(load_config(), profile_name="relay")
    async with run(app) as pilot:
        await send(pilot, "hello")
        pane = pane_of(pilot)
        await wait_until(pilot, lambda: pane.conversation.session.messages[-1].error is not None)
        await wait_until(pilot, lambda: "bad request" in frame_as_written(app))
        assert_clean(frame_as_written(app))
