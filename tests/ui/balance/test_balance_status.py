"""The relay balance in the status bar after a reply, and ``/balance``, driven with the pilot
against a demo relay that serves new-api billing pages."""

from __future__ import annotations

from pathlib import Path

from app_driving import (
    pane_of,
    relay_table,
    reply_requests,
    run,
    send,
    wait_until,
    write_config,
)

from claude_tui.demo import DemoRelay
from claude_tui.demo.billing_pages import BillingAccount
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.balance_watch import BalanceWatch
from claude_tui.ui.widgets.status_bar import StatusBar


def billing_requests(relay: DemoRelay) -> list[str]:
    return [r.path for r in relay.requests if "/dashboard/billing/" in r.path]


def bar_balance(app: ClaudeTuiApp) -> str:
    shown = app.query_one(StatusBar).shown
    assert shown is not None
    return shown.balance


def toasts(app: ClaudeTuiApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_bar_shows_the_balance_after_a_reply_and_asks_once_a_minute(
    demo_relay: DemoRelay,
) -> None:
    demo_relay.billing = BillingAccount("new-api", limit_usd=25.0, used_usd=7.34)
    app = ClaudeTuiApp(
        write_config({"relay": relay_table(demo_relay.base_url)}), profile_name="relay"
    )
    now = [1000.0]
    app.balance_watch = BalanceWatch(app.refresh_status, clock=lambda: now[0])
    async with run(app) as pilot:
        assert bar_balance(app) == ""  # nothing is asked before a reply

        await send(pilot, "hello [demo:long=1]")
        await wait_until(pilot, lambda: bar_balance(app) == "relay 17.66 USD")
        assert len(billing_requests(demo_relay)) == 2

        demo_relay.billing.used_usd = 10.0
        now[0] += 30  # within the minute: the next reply does not ask
        await send(pilot, "again [demo:long=1]")
        await pilot.pause()
        assert len(billing_requests(demo_relay)) == 2

        now[0] += 31  # a minute after the last read: the next reply asks
        await send(pilot, "once more [demo:long=1]")
        await wait_until(pilot, lambda: bar_balance(app) == "relay 15.00 USD")
        assert len(billing_requests(demo_relay)) == 4
        assert pane_of(pilot).conversation.session.messages[-1].role == "assistant"


async def test_a_balance_that_cannot_be_read_is_silent_in_the_bar_and_said_by_slash_balance(
    demo_relay: DemoRelay,
) -> None:
    table = relay_table(demo_relay.base_url, balance="new-api")  # the relay serves none
    app = ClaudeTuiApp(write_config({"relay": table}), profile_name="relay")
    async with run(app) as pilot:
        await send(pilot, "hello [demo:long=1]")
        await wait_until(pilot, lambda: len(billing_requests(demo_relay)) == 2)
        await pilot.pause()
        assert bar_balance(app) == ""
        assert not any("billing" in toast for toast in toasts(app))

        await send(pilot, "/balance")
        await wait_until(pilot, lambda: any("no new-api billing page" in t for t in toasts(app)))


async def test_slash_balance_shows_the_figure_and_fills_the_bar(demo_relay: DemoRelay) -> None:
    demo_relay.billing = BillingAccount("new-api", limit_usd=25.0, used_usd=7.34)
    app = ClaudeTuiApp(
        write_config({"relay": relay_table(demo_relay.base_url)}), profile_name="relay"
    )
    async with run(app) as pilot:
        await send(pilot, "/balance")

        line = "relay: 17.66 USD left (25.00 limit, 7.34 used)"
        await wait_until(pilot, lambda: line in toasts(app))
        await wait_until(pilot, lambda: bar_balance(app) == "relay 17.66 USD")


async def test_the_demo_is_never_asked(demo_relay: DemoRelay) -> None:
    app = ClaudeTuiApp(write_config({}), profile_name="demo")
    async with run(app) as pilot:
        await send(pilot, "hello [demo:long=1]")
        await pilot.pause()
        assert bar_balance(app) == ""


async def test_a_slow_balance_never_holds_up_the_next_send(
    demo_relay: DemoRelay, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    command = f"while [ ! -e {go} ]; do sleep 0.02; done; echo 7.25"
    table = relay_table(demo_relay.base_url, balance_command=command)
    app = ClaudeTuiApp(write_config({"relay": table}), profile_name="relay")
    try:
        async with run(app) as pilot:
            await send(pilot, "first [demo:long=1]")  # starts the balance command
            await send(pilot, "second [demo:long=1]")  # goes while the command still waits

            assert len(reply_requests(demo_relay)) == 2
            assert bar_balance(app) == ""
            go.touch()
            await wait_until(pilot, lambda: bar_balance(app) == "relay 7.25 USD")
    finally:
        go.touch()  # never leave the command waiting


async def test_a_resumed_sessions_old_reply_asks_nothing(demo_relay: DemoRelay) -> None:
    demo_relay.billing = BillingAccount("new-api", limit_usd=25.0, used_usd=7.34)
    config = write_config({"relay": relay_table(demo_relay.base_url)})
    async with run(ClaudeTuiApp(config, profile_name="relay")) as pilot:
        await send(pilot, "hello [demo:long=1]")
        await wait_until(pilot, lambda: len(billing_requests(demo_relay)) == 2)

    again = ClaudeTuiApp(config, continue_latest=True)
    async with run(again) as pilot:
        await send(pilot, "/thinking off")  # the pane's state changes, no reply ends
        await pilot.pause()
        assert len(billing_requests(demo_relay)) == 2
        assert bar_balance(again) == ""

        await send(pilot, "and now [demo:long=1]")
        await wait_until(pilot, lambda: bar_balance(again) == "relay 17.66 USD")
