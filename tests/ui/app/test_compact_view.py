"""/compact in the app, driven by the pilot against the demo relay: the summary block where
the cut falls (folded, Enter unfolds, a click toggles), the replaced messages dimmed, what
the next request sends, undo, Esc while it streams, resume, and auto-compact saying so."""

from __future__ import annotations

from typing import Any

from app_driving import (
    pane_of,
    relay_table,
    reply_requests,
    run,
    send,
    tap,
    wait_until,
    wait_until_shown,
)
from app_driving import write_config as write_app_config

from claude_tui.chat_message import ChatMessage
from claude_tui.demo import DemoRelay, Fault
from claude_tui.history_summary import SUMMARY_PREFIX
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.conversation.summary_block import TOGGLE_ACTION


def history(turns: int, answer: str = "an answer") -> list[ChatMessage]:
    messages: list[ChatMessage] = []
    for number in range(1, turns + 1):
        messages.append(ChatMessage.user(f"question {number}"))
        messages.append(
            ChatMessage(role="assistant", content=[{"type": "text", "text": answer}], model="m")
        )
    return messages


def saved_session(turns: int, answer: str = "an answer", max_tokens: int = 8192) -> str:
    settings = SessionSettings(profile="relay", model="claude-demo", max_tokens=max_tokens)
    session = SessionStore().import_session(
        messages=history(turns, answer), title="Long", settings=settings
    )
    return session.id


def app_for(relay: DemoRelay, session_id: str, **table: Any) -> ClaudeTuiApp:
    config = write_app_config({"relay": relay_table(relay.base_url, thinking="off", **table)})
    return ClaudeTuiApp(config, profile_name="relay", resume=session_id)


def drawn(pane: Any, message: ChatMessage) -> list[Any]:
    layout = pane.view.layout_for(message.id)
    assert layout is not None
    return list(layout.lines)


def is_dimmed(lines: list[Any]) -> bool:
    return all(
        segment.style is not None and segment.style.dim
        for line in lines
        for segment in line
        if segment.text.strip()
    )


async def test_compact_shows_a_folded_summary_dims_what_it_replaced_and_sends_it(
    demo_relay: DemoRelay,
) -> None:
    session_id = saved_session(3)
    async with run(app_for(demo_relay, session_id)) as pilot:
        pane = pane_of(pilot)
        await send(pilot, "/compact keep the numbers")
        session = pane.conversation.session
        await wait_until(pilot, lambda: session.summary_in_effect is not None)
        await wait_until(pilot, lambda: not pane.streaming)
        assert (
            reply_requests(demo_relay)[-1]
            .json["messages"][-1]["content"][0]["text"]
            .endswith("keep the numbers")
        )
        view = pane.view
        messages = session.messages
        block = view.summary_block
        assert block is not None and block.anchor_id == messages[1].id
        assert not block.expanded
        anchor_lines = [line.text for line in drawn(pane, messages[1])]
        assert any("▸ Summary of 2 earlier messages" in line for line in anchor_lines)
        assert view.dimmed == {messages[0].id, messages[1].id}
        assert is_dimmed(drawn(pane, messages[0]))
        assert not is_dimmed(drawn(pane, messages[2]))

        # Enter on the last replaced message unfolds the summary; again folds it.
        view.focus()
        view.selected = 1
        await tap(pilot, "enter")
        await wait_until(pilot, lambda: view.summary_expanded)
        summary = session.summary_in_effect
        assert summary is not None
        unfolded = [line.text for line in drawn(pane, messages[1])]
        assert any("▾ Summary of 2 earlier messages" in line for line in unfolded)
        first_line = summary.text.splitlines()[0].strip()
        assert any(first_line[:30] in line for line in unfolded)
        await tap(pilot, "enter")
        await wait_until(pilot, lambda: not view.summary_expanded)

        # The title line is what a click lands on: it runs the toggle.
        title = next(line for line in drawn(pane, messages[1]) if "Summary of" in line.text)
        actions = {segment.style.meta.get("@click") for segment in title if segment.style}
        assert TOGGLE_ACTION in actions

        pane.focus_composer()
        await send(pilot, "question 4")
        body = reply_requests(demo_relay)[-1].json
        first = body["messages"][0]["content"]
        assert first[0]["text"] == SUMMARY_PREFIX + summary.text
        assert first[1]["text"] == "question 2"
        assert "question 1" not in str(body["messages"])

        await send(pilot, "/compact undo")
        await wait_until(pilot, lambda: view.summary_block is None)
        assert view.dimmed == frozenset()
        assert session.summary_in_effect is None


async def test_resume_shows_the_summary_block_again(demo_relay: DemoRelay) -> None:
    session_id = saved_session(3)
    session = SessionStore().open(session_id)
    from claude_tui.history_summary import HistorySummary

    session.set_summary(
        HistorySummary("They said hello.", session.messages[0].id, session.messages[3].id, 4)
    )
    async with run(app_for(demo_relay, session_id)) as pilot:
        pane = pane_of(pilot)
        await wait_until(pilot, lambda: pane.view.summary_block is not None)
        block = pane.view.summary_block
        assert block is not None and block.title == "Summary of 4 earlier messages"
        assert len(pane.view.dimmed) == 4
        await wait_until_shown(pilot, "Summary of 4 earlier messages")


async def test_esc_while_the_summary_streams_changes_nothing(demo_relay: DemoRelay) -> None:
    session_id = saved_session(3)
    async with run(app_for(demo_relay, session_id)) as pilot:
        pane = pane_of(pilot)
        demo_relay.queue_fault(Fault.parse("slow=0.3"))
        composer = pane.composer.composer
        composer.insert("/compact")
        await tap(pilot, "enter")
        view = pane.view
        await wait_until(pilot, lambda: view.summary_block is not None)
        block = view.summary_block
        assert block is not None and block.pending and "Esc cancels" in block.title
        await wait_until_shown(pilot, "compacting 2 earlier messages")
        pane.focus_composer()
        if pane.composer.suggestions.is_showing:
            await tap(pilot, "escape")  # the first Esc closes the slash list
        await tap(pilot, "escape")
        await wait_until(pilot, lambda: not pane.streaming)
        stopped = "Compaction stopped; nothing changed."
        await wait_until(pilot, lambda: any(n.message == stopped for n in pilot.app._notifications))
        assert pane.conversation.session.summary_in_effect is None
        assert view.summary_block is None
        assert SessionStore().open(session_id).summary_in_effect is None


async def test_a_failed_summary_says_why_and_keeps_the_history(demo_relay: DemoRelay) -> None:
    session_id = saved_session(3)
    async with run(app_for(demo_relay, session_id, max_retries=0)) as pilot:
        pane = pane_of(pilot)
        demo_relay.queue_fault(Fault.http_error(500))
        await send(pilot, "/compact")
        await wait_until_shown(pilot, "Not compacted")
        assert pane.conversation.session.summary_in_effect is None
        assert pane.view.summary_block is None


async def test_auto_compact_runs_before_the_send_and_says_so(demo_relay: DemoRelay) -> None:
    session_id = saved_session(3, answer="blah " * 600, max_tokens=500)
    app = app_for(demo_relay, session_id, context_window=3000, auto_compact=0.5, keep_recent=1)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, "question 4")
        session = pane.conversation.session
        await wait_until(pilot, lambda: session.messages[-1].role == "assistant")
        await wait_until(pilot, lambda: not pane.streaming)
        summary = session.summary_in_effect
        assert summary is not None and summary.auto and summary.count == 4
        note = "compacted 4 earlier messages to stay under 50% of 3,000 tokens"
        await wait_until(pilot, lambda: any(n.message == note for n in app._notifications))
        block = pane.view.summary_block
        assert block is not None and "auto-compacted to stay under 50%" in block.note
        assert len(reply_requests(demo_relay)) == 2  # the summary, then the reply
        body = reply_requests(demo_relay)[-1].json
        assert body["messages"][0]["content"][0]["text"].startswith(SUMMARY_PREFIX)
        assert [m.text for m in session.messages if m.role == "user"][-1] == "question 4"
