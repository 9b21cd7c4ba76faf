"""Usage and budgets in the real app: the usage screen (F9, /usage), a send refused over
budget with the text kept, the status bar's budget, the flag under a big reply and the
daily alert's toast."""

from __future__ import annotations

from typing import Any

from app_driving import (
    SHORT,
    app_of,
    pane_of,
    relay_table,
    screen_text,
    send,
    submit,
    tap,
    wait_until,
    wait_until_shown,
    write_config,
)
from textual.pilot import Pilot

from claude_tui.demo import DemoRelay
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.screens.usage_screen import UsageScreen
from claude_tui.ui.widgets.status_bar import StatusBar


def run(app: ClaudeTuiApp) -> Any:
    """Wide enough for the whole status bar and a flag on one line (the narrow bar drops
    the budget first: tests/ui/status covers that)."""
    return app.run_test(size=(150, 40), notifications=True)


def status_text(pilot: Pilot[Any]) -> str:
    return str(pilot.app.query_one(StatusBar).render())


async def open_usage(pilot: Pilot[Any], how: str) -> UsageScreen:
    if how == "key":
        await tap(pilot, "f9")
    else:
        await submit(pilot, "/usage")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, UsageScreen))
    screen = pilot.app.screen
    assert isinstance(screen, UsageScreen)
    return screen


async def test_the_usage_screen_opens_by_key_and_slash_and_shows_the_figures(
    demo_relay: DemoRelay,
) -> None:
    config = write_config(
        {
            "relay": relay_table(demo_relay.base_url),
            "resold": relay_table(demo_relay.base_url, price_multiplier=3.0),
        },
        default_profile="relay",
    )
    async with run(ClaudeTuiApp(config)) as pilot:
        await send(pilot, f"first {SHORT}")
        await send(pilot, "/profile resold")
        await send(pilot, f"second {SHORT}")
        screen = await open_usage(pilot, "key")
        report = screen.report
        assert set(report.by_profile) == {"relay", "resold"}
        assert report.total.replies == 2
        # The app's own figure for each reply, summed, is what the screen adds up.
        messages = pane_of(pilot).conversation.session.messages
        replies = [m for m in messages if m.role == "assistant"]
        expected = sum(app_of(pilot).cost_of(m) or 0.0 for m in replies)
        assert abs(report.total.cost - expected) < 1e-9
        await wait_until_shown(pilot, "Cache share:")
        text = await screen_text(pilot)
        assert "Usage ·" in text
        assert "relay" in text and "resold" in text  # the legend
        assert "claude-demo" in text  # the per-model table
        assert "Cache share:" in text
        assert "█" in text  # today's bar
        await tap(pilot, "escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, UsageScreen))
        await open_usage(pilot, "slash")


async def test_a_send_over_budget_is_refused_and_the_text_kept(demo_relay: DemoRelay) -> None:
    config = write_config(
        {"relay": relay_table(demo_relay.base_url, daily_limit_usd=0.000001)},
        default_profile="relay",
    )
    async with run(ClaudeTuiApp(config)) as pilot:
        assert "left today" in status_text(pilot)
        await send(pilot, f"fits: nothing spent yet {SHORT}")
        await wait_until(pilot, lambda: "budget spent today" in status_text(pilot))
        pane = pane_of(pilot)
        saved = len(pane.conversation.session.messages)
        sent = len(demo_relay.requests)
        composer = pane.composer.composer
        composer.insert("over the limit now")
        await tap(pilot, "enter")
        await wait_until_shown(pilot, "Not sent")
        await wait_until_shown(pilot, "daily_limit_usd")
        assert composer.text == "over the limit now"
        assert len(pane.conversation.session.messages) == saved
        assert len(demo_relay.requests) == sent


async def test_the_status_bar_shows_the_smaller_budget(demo_relay: DemoRelay) -> None:
    config = write_config(
        {"relay": relay_table(demo_relay.base_url, daily_limit_usd=5, monthly_limit_usd=3)},
        default_profile="relay",
    )
    async with run(ClaudeTuiApp(config)) as pilot:
        await wait_until(pilot, lambda: "$3.00 left this month" in status_text(pilot))


async def test_a_big_reply_is_flagged_and_the_daily_alert_toasts_once(
    demo_relay: DemoRelay,
) -> None:
    config = write_config(
        {"relay": relay_table(demo_relay.base_url, alert_tokens=10, alert_daily_usd=0.000001)},
        default_profile="relay",
    )
    async with run(ClaudeTuiApp(config)) as pilot:
        await send(pilot, f"a reply of more than ten tokens {SHORT}")
        await wait_until_shown(pilot, "over alert_tokens (10)")
        await wait_until_shown(pilot, "past its alert_daily_usd")
        app = app_of(pilot)
        toasts = [n for n in app._notifications if "alert_daily_usd" in n.message]
        assert len(toasts) == 1
        await send(pilot, f"another {SHORT}")
        toasts = [n for n in app._notifications if "alert_daily_usd" in n.message]
        assert len(toasts) == 1  # once a day per profile
