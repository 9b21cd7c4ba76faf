"""``/log`` in the real app: the conversation's requests, one's details, copy as curl."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from app_driving import (
    SHORT,
    app_of,
    pane_of,
    relay_table,
    run,
    screen_text,
    send,
    tap,
    wait_until,
    wait_until_shown,
    write_config,
)
from textual.pilot import Pilot

from claude_tui.demo import DemoRelay, Fault
from claude_tui.request_log import open_debug_log
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.screens.request_log_screen import EMPTY_TEXT, RequestLogScreen

KEY = "sk-relay-ui-test-7c1e4b9a2d6f8035"


def relay_with_key(base_url: str, **changes: Any) -> dict[str, Any]:
    return relay_table(base_url, auth="x-api-key", api_key_env="RELAY_KEY", **changes)


async def open_log(pilot: Pilot[Any]) -> RequestLogScreen:
    """Press F8 and wait until the log shows every request so far."""
    await tap(pilot, "f8")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RequestLogScreen))
    screen = pilot.app.screen
    assert isinstance(screen, RequestLogScreen)
    await wait_until(pilot, lambda: screen.shown == len(pane_of(pilot).conversation.request_log))
    await wait_until(pilot, lambda: screen.has_class("-empty") or screen.table.row_count > 0)
    return screen


@pytest.fixture(autouse=True)
def relay_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELAY_KEY", KEY)


async def test_an_empty_log_says_so(demo_relay: DemoRelay) -> None:
    config = write_config({"relay": relay_with_key(demo_relay.base_url)})
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        screen = await open_log(pilot)
        await wait_until_shown(pilot, "No requests yet in this conversation")
        assert screen.has_class("-empty")
        screen.action_copy_curl()
        await wait_until_shown(pilot, "There is no request to copy yet.")
        await tap(pilot, "escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, RequestLogScreen))
    assert EMPTY_TEXT.startswith("No requests yet")


async def test_the_log_lists_both_replies_requests_and_copies_one_as_curl(
    demo_relay: DemoRelay,
) -> None:
    config = write_config({"relay": relay_with_key(demo_relay.base_url)})
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        await send(pilot, f"{SHORT} first")
        await send(pilot, f"{SHORT} second")
        records = pane_of(pilot).conversation.request_log
        assert len(records) == 2

        screen = await open_log(pilot)
        table = screen.table
        assert table.row_count == 2
        assert table.cursor_row == 1  # the newest, last
        status = [str(table.get_row_at(row)[1]) for row in range(2)]
        assert status == ["200", "200"]
        text = await screen_text(pilot)
        assert "Request id" in text and records[1].request_id in text  # the newest's details

        await tap(pilot, "enter")  # the details take the screen's height
        await wait_until(pilot, lambda: screen.has_class("-details-full"))
        text = await screen_text(pilot)
        assert "x-api-key: sk-rel" in text and "…8035" in text  # masked
        assert KEY not in text
        await tap(pilot, "enter")
        await wait_until(pilot, lambda: not screen.has_class("-details-full"))

        await tap(pilot, "c")
        await wait_until_shown(pilot, "Copied the request as curl")
        copied = app_of(pilot).clipboard
        assert copied.startswith("curl ")
        assert '-H "x-api-key: $RELAY_KEY"' in copied
        assert KEY not in copied
        assert f"{demo_relay.base_url}/v1/messages" in copied
        assert records[1].body is not None and records[1].body in copied
        told = [n.message for n in app_of(pilot)._notifications]
        assert any("it reads the key from $RELAY_KEY" in message for message in told)

        await tap(pilot, "up")
        await wait_until(pilot, lambda: table.cursor_row == 0)
        await tap(pilot, "c")
        await wait_until(pilot, lambda: app_of(pilot).clipboard != copied)
        assert records[0].body is not None and records[0].body in app_of(pilot).clipboard

        await tap(pilot, "escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, RequestLogScreen))


async def test_a_retry_is_a_row_of_its_own_and_rows_arrive_while_the_log_is_open(
    demo_relay: DemoRelay,
) -> None:
    config = write_config({"relay": relay_with_key(demo_relay.base_url, max_retries=1)})
    demo_relay.queue_fault(Fault.http_error(529, headers={"retry-after-ms": "10"}))
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        await send(pilot, f"{SHORT} first")
        screen = await open_log(pilot)
        table = screen.table
        assert table.row_count == 2
        assert [str(table.get_row_at(row)[1]) for row in range(2)] == ["529", "200"]
        assert [str(table.get_row_at(row)[4]) for row in range(2)] == ["1", "2"]

        log = pane_of(pilot).conversation.request_log
        log.append(dataclasses.replace(log[-1], status=500, error="Internal server error"))
        await wait_until(pilot, lambda: table.row_count == 3)
        assert table.cursor_row == 2  # it follows the newest


async def test_hundreds_of_rows(demo_relay: DemoRelay) -> None:
    config = write_config({"relay": relay_with_key(demo_relay.base_url)})
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        await send(pilot, f"{SHORT} first")
        record = pane_of(pilot).conversation.request_log[0]
        records = [dataclasses.replace(record, attempt=n % 3 + 1) for n in range(600)]
        app_of(pilot).push_screen(RequestLogScreen(records, "many"))
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RequestLogScreen))
        screen = pilot.app.screen
        assert isinstance(screen, RequestLogScreen)
        await wait_until(pilot, lambda: screen.shown == 600)
        assert screen.table.row_count == 600
        assert screen.table.cursor_row == 599
        assert screen.highlighted is records[599]
        records[599].body, records[599].body_forgotten = None, True  # let go to bound memory
        await tap(pilot, "c")
        await wait_until(
            pilot,
            lambda: any("no longer kept" in n.message for n in app_of(pilot)._notifications),
        )
        assert app_of(pilot).clipboard == ""


async def test_slash_log_opens_it_too(demo_relay: DemoRelay) -> None:
    config = write_config({"relay": relay_with_key(demo_relay.base_url)})
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        await send(pilot, "/log")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RequestLogScreen))


async def test_with_a_debug_log_the_apps_requests_go_to_the_file_too(
    demo_relay: DemoRelay, tmp_path: Path
) -> None:
    config = write_config({"relay": relay_with_key(demo_relay.base_url)})
    app = ClaudeTuiApp(config, profile_name="relay")
    path = tmp_path / "ui.jsonl"
    app.turn_services.request_sink = open_debug_log(path)  # what --debug-log does
    async with run(app) as pilot:
        await send(pilot, f"{SHORT} first")
        await send(pilot, f"{SHORT} second")
        await tap(pilot, "ctrl+n")  # a new tab's conversation writes there too
        await wait_until(pilot, lambda: len(app.tabs.panes) == 2)
        await wait_until(pilot, lambda: app.active_pane is app.tabs.panes[-1])
        await wait_until(pilot, lambda: app.tabs.panes[-1].composer.composer.has_focus)
        await send(pilot, f"{SHORT} third")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["status"] for line in lines] == [200, 200, 200]
    assert len({line["session_id"] for line in lines}) == 2
    assert KEY not in path.read_text(encoding="utf-8")
