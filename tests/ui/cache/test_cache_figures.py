"""Cache figures a user sees: the line under each reply ("12.3k cached"), ``/cost`` and the
status bar's saving, driven with the pilot against a demo relay that caches prefixes."""

from __future__ import annotations

from app_driving import pane_of, relay_table, run, send, wait_until, write_config
from textual.theme import BUILTIN_THEMES

from claude_tui.chat_message import ChatMessage, Usage
from claude_tui.demo import DemoRelay
from claude_tui.pricing.price_table import format_cost
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.rendering import DARK_THEME, BlockRenderer
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
from claude_tui.ui.widgets.conversation.message_layout import LayoutContext, MessageLayout
from claude_tui.ui.widgets.status_bar import StatusBar

SYSTEM = "You answer questions about networking, briefly and exactly. " * 10


def footer_of(usage: Usage) -> str:
    message = ChatMessage(
        role="assistant", content=[{"type": "text", "text": "ok"}], model="m", usage=usage
    )
    ctx = LayoutContext(
        width=200,
        renderer=BlockRenderer(DARK_THEME),
        styles=LayoutStyles.from_theme(BUILTIN_THEMES["textual-dark"]),
        expand_all_thinking=False,
        now=0.0,
        cost_of=lambda message: None,
        status_notes={},
    )
    return "\n".join(line.text for line in MessageLayout(message).build(ctx))


def test_the_line_under_a_reply_says_what_was_read_from_and_written_to_the_cache() -> None:
    both = footer_of(
        Usage(
            input_tokens=20,
            output_tokens=5,
            cache_read_input_tokens=12_345,
            cache_creation_input_tokens=640,
        )
    )
    assert "12.3k cached" in both and "640 to cache" in both
    plain = footer_of(Usage(input_tokens=20, output_tokens=5))
    assert "cached" not in plain and "to cache" not in plain


def notifications(app: ClaudeTuiApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_cost_and_the_status_bar_sum_the_cache_and_its_saving(
    demo_relay: DemoRelay,
) -> None:
    table = relay_table(demo_relay.base_url, thinking="off", system=SYSTEM)
    app = ClaudeTuiApp(write_config({"relay": table}), profile_name="relay")
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, "[demo:long=1] What is a SYN?")
        await send(pilot, "[demo:long=1] And an ACK?")
        first, second = [m for m in pane.conversation.session.messages if m.role == "assistant"]
        assert second.usage is not None and second.usage.cache_read_input_tokens > 0
        visible = pane.view.visible_text()
        assert f"{second.usage.cache_read_input_tokens} cached" in visible

        saving = sum(s for m in (first, second) if (s := app.saving_of(m)) is not None)
        assert saving > 0  # the read of the second turn outweighs the first turn's write
        status = str(app.query_one(StatusBar).render())
        assert f"(saved {format_cost(saving)} by caching)" in status

        await send(pilot, "/cost")
        await wait_until(pilot, lambda: any("by caching" in n for n in notifications(app)))
        report = next(n for n in notifications(app) if "by caching" in n)
        total = sum(c for m in (first, second) if (c := app.cost_of(m)) is not None)
        assert f"{format_cost(total)} (saved {format_cost(saving)} by caching)" in report
        assert f"cache read {second.usage.cache_read_input_tokens:,}" in report


async def test_with_cache_off_no_saving_is_claimed(demo_relay: DemoRelay) -> None:
    table = relay_table(demo_relay.base_url, thinking="off", system=SYSTEM, cache="off")
    app = ClaudeTuiApp(write_config({"relay": table}), profile_name="relay")
    async with run(app) as pilot:
        await send(pilot, "[demo:long=1] one")
        await send(pilot, "[demo:long=1] two")
        assert "saved" not in str(app.query_one(StatusBar).render())
        assert "cached" not in pane_of(pilot).view.visible_text()
