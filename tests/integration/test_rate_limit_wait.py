"""A send held back by the profile's own ``rpm``, driven in the app against the demo relay:
the countdown shows under the reply and in the status bar, and Esc cancels the wait with
nothing sent and the prompt kept."""

from __future__ import annotations

import re
import time

from app_driving import (
    pane_of,
    relay_table,
    reply_requests,
    run,
    screen_text,
    send,
    submit,
    tap,
    wait_until,
    wait_until_shown,
    write_config,
)

from claude_tui import paths
from claude_tui.demo import DemoRelay
from claude_tui.rate_limits import BucketFile, SharedRateGate, TokenBucket, bucket_key
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.status_bar import StatusBar

WAIT_NOTE = re.compile(r"rate limit \(rpm\): sending in (\d+) s")


def bar_note(app: ClaudeTuiApp) -> str:
    shown = app.query_one(StatusBar).shown
    return shown.note if shown is not None else ""


async def test_a_held_back_send_counts_down_and_esc_cancels_it(demo_relay: DemoRelay) -> None:
    config = write_config({"relay": relay_table(demo_relay.base_url, rpm=1)})
    app = ClaudeTuiApp(config, profile_name="relay")
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, "[demo:long=1] first")  # one request a minute: this one goes
        assert len(reply_requests(demo_relay)) == 1

        await submit(pilot, "[demo:long=1] second, held back")
        await wait_until(pilot, lambda: WAIT_NOTE.search(pane.status_note) is not None)
        first = WAIT_NOTE.search(pane.status_note)
        assert first is not None and int(first.group(1)) > 30
        # In the status bar (its note; a narrow bar drops it first) and under the reply.
        await wait_until(pilot, lambda: bar_note(app) == pane.status_note)
        await wait_until_shown(pilot, "rate limit (rpm): sending in")
        # It counts down (the client asks again about once a second).
        await wait_until(
            pilot,
            lambda: (
                (m := WAIT_NOTE.search(pane.status_note)) is not None
                and int(m.group(1)) < int(first.group(1))
            ),
        )
        assert len(reply_requests(demo_relay)) == 1  # nothing sent while waiting

        await tap(pilot, "escape")
        await wait_until(pilot, lambda: not pane.streaming)
        assert pane.status_note == ""
        assert not WAIT_NOTE.search(await screen_text(pilot))
        assert len(reply_requests(demo_relay)) == 1  # cancelled before anything left

        saved = SessionStore().open(pane.conversation.session.id)
        prompts = [m.text for m in saved.messages if m.role == "user"]
        assert prompts == ["[demo:long=1] first", "[demo:long=1] second, held back"]
        stopped = saved.messages[-1]
        assert stopped.role == "assistant" and stopped.text == ""
        assert stopped.error is not None and "nothing was sent" in stopped.error


async def test_when_the_wait_is_over_the_request_goes_and_the_note_clears(
    demo_relay: DemoRelay,
) -> None:
    config = write_config({"relay": relay_table(demo_relay.base_url, rpm=1)})
    profile = config.profiles["relay"]
    app = ClaudeTuiApp(config, profile_name="relay")
    async with run(app) as pilot:
        pane = pane_of(pilot)
        # Another process (here: another gate on the same data folder) spends the minute's
        # one request just before this send.
        assert SharedRateGate().reserve(profile, 0) == (0.0, "")
        await submit(pilot, "[demo:long=1] after a wait")
        await wait_until(pilot, lambda: WAIT_NOTE.search(pane.status_note) is not None)
        assert reply_requests(demo_relay) == []
        # The minute runs out (the state as it is a second before it does): the client,
        # asking again about once a second, finds room and sends.
        BucketFile(paths.rate_limits_file()).update(
            lambda buckets: buckets.update(
                {bucket_key(profile, "rpm"): TokenBucket(1, 0.0, time.time() - 59)}
            )
        )
        await wait_until(pilot, lambda: not pane.streaming)
        assert len(reply_requests(demo_relay)) == 1
        assert pane.status_note == ""
        assert "You asked" in await screen_text(pilot)
        assert not WAIT_NOTE.search(await screen_text(pilot))
