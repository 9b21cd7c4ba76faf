"""Tool calls in the conversation view: a resumed turn of two rounds reads as one reply,
Enter unfolds the calls, live states come from the loop's events, and the saved blocks say
what became of each call."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from app_driving import pane_of, wait_until
from snapshots.fixed_sessions import (
    SIZE,
    TOOL_PROMPT,
    save_tool_session,
    snapshot_app,
    write_config,
)

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.tool_events import ToolCallChanged
from claude_tui.conversation.tool_host import ToolOutcome
from claude_tui.ui.widgets.conversation.tool_call_block import call_state
from claude_tui.ui.widgets.conversation.tool_rounds import ToolRounds

from .tool_driving import GREP, READ


async def test_a_resumed_turn_with_tool_calls_reads_as_one_reply() -> None:
    config = write_config()
    session = save_tool_session()
    app = snapshot_app(config, resume=session.id)
    async with app.run_test(size=SIZE) as pilot:
        view = pane_of(pilot).view
        await wait_until(pilot, lambda: "grep" in view.visible_text())
        shown = view.visible_text()
        assert shown.count("You") == 1  # the tool results are not a prompt
        assert shown.count("claude-sonnet-4-5 · work") == 1  # the second round: no header
        assert "▸ ⚙ grep · files" in shown
        assert '{"pattern": "asyncio", "path": "claude_tui", "glob": "*.py"}' in shown
        assert "✓ done" in shown
        assert "│ claude_tui/ui/app.py:12: import asyncio" in shown  # the result's first lines
        assert "… 2 more lines" in shown
        assert "conversation.py:11" not in shown  # the rest waits for the unfolding
        assert shown.index(TOOL_PROMPT) < shown.index("grep") < shown.index("Five modules")
        # Only the last round has a footer (its stats).
        assert shown.count(" in · ") == 1


async def test_enter_unfolds_the_calls_of_the_selected_reply_and_folds_them_again() -> None:
    config = write_config()
    session = save_tool_session()
    app = snapshot_app(config, resume=session.id)
    async with app.run_test(size=SIZE) as pilot:
        view = pane_of(pilot).view
        await wait_until(pilot, lambda: "grep" in view.visible_text())
        view.focus()
        await pilot.press("enter")  # on the newest reply: its turn's calls unfold
        await wait_until(pilot, lambda: "▾ ⚙ grep" in view.visible_text())
        shown = view.visible_text()
        assert '    "pattern": "asyncio",' in shown  # pretty JSON
        assert "conversation.py:11: import asyncio" in shown  # the whole result
        await pilot.press("enter")
        await wait_until(pilot, lambda: "▸ ⚙ grep" in view.visible_text())
        assert '    "pattern": "asyncio",' not in view.visible_text()


async def test_a_click_on_a_call_unfolds_it() -> None:
    config = write_config()
    session = save_tool_session()
    app = snapshot_app(config, resume=session.id)
    async with app.run_test(size=SIZE) as pilot:
        view = pane_of(pilot).view
        await wait_until(pilot, lambda: "grep" in view.visible_text())
        row = (
            view.visible_text()
            .split("\n")
            .index(next(line for line in view.visible_text().split("\n") if "⚙ grep" in line))
        )
        await pilot.click(view, offset=(6, row))
        await wait_until(pilot, lambda: "▾ ⚙ grep" in view.visible_text())


async def test_live_states_follow_the_loops_events() -> None:
    app = snapshot_app(write_config())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(pilot)
        view = pane.view
        reply = ChatMessage(
            role="assistant",
            content=[
                {"type": "tool_use", "id": GREP.id, "name": GREP.name, "input": GREP.input},
                {"type": "tool_use", "id": READ.id, "name": READ.name, "input": READ.input},
            ],
            model="claude-demo",
            profile="work",
        )
        reply.status = MessageStatus.STREAMING
        pane.conversation.session.messages.append(reply)
        step = asyncio.Event()

        async def turn() -> AsyncIterator[tuple[Any, ChatMessage]]:
            for event in (
                ToolCallChanged(GREP, "waiting"),
                ToolCallChanged(GREP, "running", started=0.0),
                ToolCallChanged(GREP, "done", started=0.0, outcome=ToolOutcome("found 3\nok")),
            ):
                yield event, reply
                await step.wait()
                step.clear()
            reply.status = MessageStatus.COMPLETE

        pane.start_reply(turn())
        await wait_until(pilot, lambda: "waiting for approval" in view.visible_text())
        assert "… pending" in view.visible_text()  # the round's next call, not asked yet
        step.set()
        await wait_until(pilot, lambda: "running" in view.visible_text())
        assert " s" in view.visible_text().split("running", 1)[1].split("\n")[0]  # elapsed
        step.set()
        await wait_until(pilot, lambda: "✓ done" in view.visible_text())
        assert "│ found 3" in view.visible_text()
        step.set()
        await wait_until(pilot, lambda: not pane.streaming)
        assert "✓ done" in view.visible_text()  # kept after the turn
        assert "· not run" in view.visible_text()  # the turn ended before the second call


def test_saved_blocks_say_done_failed_or_not_run() -> None:
    def call(call_id: str) -> dict[str, Any]:
        return {"type": "tool_use", "id": call_id, "name": "files__grep", "input": {}}

    reply = ChatMessage(role="assistant", content=[call("ok"), call("bad"), call("cut")])
    results = ChatMessage(
        role="user",
        content=[
            {"type": "tool_result", "tool_use_id": "ok", "content": "fine"},
            {"type": "tool_result", "tool_use_id": "bad", "content": "no", "is_error": True},
        ],
    )
    rounds = ToolRounds()
    changed = rounds.update([reply, results])
    assert reply.id in changed  # its results arrived: it is drawn again
    assert rounds.hidden == {results.id}
    assert rounds.ended == set()  # the turn stopped there: its footer (and note) stays
    answer = ChatMessage(role="assistant", content=[{"type": "text", "text": "So."}])
    rounds.update([reply, results, answer])
    assert (rounds.ended, rounds.continued) == ({reply.id}, {answer.id})
    states = [call_state(block, rounds, streaming=False)[0] for block in reply.content]
    assert states == ["done", "failed", "not_run"]


def test_a_live_state_wins_and_unfinished_ones_go_when_the_turn_ends() -> None:
    rounds = ToolRounds()
    block = {"type": "tool_use", "id": GREP.id, "name": GREP.name, "input": GREP.input}
    rounds.changed(ToolCallChanged(GREP, "denied"))
    assert call_state(block, rounds, streaming=False)[0] == "denied"
    rounds.changed(ToolCallChanged(GREP, "running", started=0.0))
    rounds.forget_unfinished()
    assert call_state(block, rounds, streaming=False)[0] == "not_run"


async def test_selecting_messages_steps_over_the_tool_results() -> None:
    config = write_config()
    session = save_tool_session()
    app = snapshot_app(config, resume=session.id)
    async with app.run_test(size=SIZE) as pilot:
        view = pane_of(pilot).view
        await wait_until(pilot, lambda: "grep" in view.visible_text())
        view.focus()
        ids = [message.id for message in view.messages]
        await pilot.press("k")  # the newest reply
        assert ids[view.selected or 0] == "msg_snapshot_round_2"
        await pilot.press("k")  # past the results, to the round that made the call
        assert ids[view.selected or 0] == "msg_snapshot_round_1"
        await pilot.press("j")
        assert ids[view.selected or 0] == "msg_snapshot_round_2"
