"""A full disk as print mode and the app meet it (issue 8, item 6): the reply stays on screen
or on stdout, the failure is said at once, the prompt is never lost, and the file still loads.

The storage layer's own behaviour (short writes completed, failed writes undone) is in
``test_disk_full.py``; its tmpfs and OS-call helpers are reused here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import tomli_w
from app_driving import pane_of, relay_table, run, screen_text, submit, tap, wait_until
from integration.cli_process import run_claude_tui

from claude_tui import paths
from claude_tui.chat_message import MessageStatus
from claude_tui.demo import DemoRelay
from claude_tui.profiles import load_config
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from faults.test_disk_full import fill_up, sessions_disk, small_tmpfs

__all__ = ["sessions_disk"]  # the fixture, imported to be used here

LONG_REPLY = "[demo:long=5000] write a long answer"  # about 20 KB of text


def _config(base_url: str) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    table = relay_table(base_url, thinking="off")
    path.write_text(
        tomli_w.dumps({"default_profile": "relay", "profiles": {"relay": table}}),
        encoding="utf-8",
    )


def _data_dir() -> Path:
    return Path(os.environ["CLAUDE_TUI_DATA_DIR"])


# -- print mode, on a real small file system ---------------------------------------------------


def test_print_mode_prints_a_reply_the_disk_cannot_hold_and_exits_1(
    demo_relay: DemoRelay,
) -> None:
    _config(demo_relay.base_url)
    with small_tmpfs(_data_dir(), size="256k") as data:
        SessionStore().list()  # the folders exist before the disk fills up
        filler = fill_up(data, leave=8 * 1024)
        result = run_claude_tui("-p", LONG_REPLY)
        assert result.code == 1, result.stderr
        assert len(result.stdout) > 10_000  # the whole reply was printed
        assert "no space left on device" in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        filler.unlink()
        [summary] = SessionStore().list()  # the file is loadable, the prompt in it
        session = SessionStore().open(summary.id)
        assert session.messages[0].text == LONG_REPLY


def test_print_mode_with_no_space_at_all_fails_in_one_line(demo_relay: DemoRelay) -> None:
    _config(demo_relay.base_url)
    with small_tmpfs(_data_dir(), size="64k") as data:
        SessionStore().list()
        fill_up(data, leave=0)
        result = run_claude_tui("-p", "hello")
        assert result.code == 1
        assert "no space left on device" in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


# -- the app, with ENOSPC injected at the OS call ----------------------------------------------


async def test_a_prompt_that_cannot_be_saved_goes_back_to_the_composer(
    demo_relay: DemoRelay, sessions_disk: Callable[[str], None]
) -> None:
    _config(demo_relay.base_url)
    app = ClaudeTuiApp(load_config())
    async with run(app) as pilot:
        pane = pane_of(pilot)
        sessions_disk("full")
        pane.composer.composer.insert("a prompt worth keeping")
        await tap(pilot, "enter")  # the text leaves the composer, then comes back
        await wait_until(pilot, lambda: pane.alert.shown)
        assert "no space left on device" in await screen_text(pilot)
        assert pane.composer.composer.text == "a prompt worth keeping"
        assert pane.conversation.session.messages == []  # not sent, not shown as sent
        assert demo_relay.requests == []
        sessions_disk("ok")  # space again: the same text is sent and saved
        await submit(pilot, "")
        await wait_until(pilot, lambda: len(pane.conversation.session.messages) == 2)
        await wait_until(pilot, lambda: not pane.streaming)
        assert not pane.alert.shown
    reopened = SessionStore().open(pane.conversation.session.id)
    assert reopened.messages[0].text == "a prompt worth keeping"


async def test_a_reply_that_cannot_be_saved_stays_on_screen_with_a_card(
    demo_relay: DemoRelay, sessions_disk: Callable[[str], None]
) -> None:
    _config(demo_relay.base_url)
    app = ClaudeTuiApp(load_config())
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await submit(pilot, "[demo:slow=0.02] [demo:long=400] tell me")
        session = pane.conversation.session
        await wait_until(pilot, lambda: len(session.messages) == 2 and session.messages[1].text)
        sessions_disk("full")  # the disk fills up while the reply streams
        await wait_until(pilot, lambda: not pane.streaming)
        reply = session.messages[1]
        assert reply.status is MessageStatus.COMPLETE  # the stream was not cut
        await wait_until(pilot, lambda: pane.alert.shown)
        assert "Not saved" in await screen_text(pilot)
        assert session.has_unsaved_changes
        sessions_disk("ok")
        session.save()  # the next save that succeeds writes what was missed
    reopened = SessionStore().open(session.id)
    assert reopened.messages[1].text == reply.text
    assert reopened.messages[1].status is MessageStatus.COMPLETE
