"""The approval card: each key gives its answer, Esc stops the turn, one card at a time in
order, focus taken and given back, and the card opens in the pane whose turn asked."""

from __future__ import annotations

import pytest
from app_driving import app_of, pane_of, screen_text, wait_until
from snapshots.fixed_sessions import SIZE, snapshot_app, write_config

from claude_tui.conversation.tool_host import Approval
from claude_tui.ui.widgets.conversation.tool_approval_card import ToolApprovalCard

from .tool_driving import GREP, READ, AskingTurn


def card_of(pilot: object) -> ToolApprovalCard:
    return pane_of(pilot).query_one(ToolApprovalCard)  # type: ignore[arg-type]


def card_asking(pilot: object, call_id: str) -> bool:
    cards = pane_of(pilot).query(ToolApprovalCard)  # type: ignore[arg-type]
    return bool(cards) and cards.first().shown and cards.first().call.id == call_id  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("key", "answer"), [("y", "once"), ("a", "session"), ("A", "always"), ("n", "deny")]
)
async def test_each_key_gives_its_answer_and_the_focus_goes_back(
    key: str, answer: Approval
) -> None:
    app = snapshot_app(write_config())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        pane = pane_of(pilot)
        composer = pane.composer.composer
        await wait_until(pilot, lambda: composer.has_focus)
        turn = AskingTurn([GREP])
        turn.start(pane)
        await wait_until(pilot, lambda: card_asking(pilot, GREP.id))
        card = card_of(pilot)
        await wait_until(pilot, lambda: card.has_focus)  # the next key answers, not types
        shown = await screen_text(pilot)
        assert "Allow grep on files?" in shown
        assert '"pattern": "asyncio",' in shown  # the arguments as pretty JSON
        assert "A always allow (saved in profile work)" in shown
        await pilot.press(key)
        await wait_until(pilot, turn.done.is_set)
        assert turn.answers == [answer]
        assert not card.shown
        await wait_until(pilot, lambda: composer.has_focus)  # given back
        assert composer.text == ""  # the key was the answer, never typed
        if answer == "always":  # the user is told it is kept beyond this session
            shown = " ".join((await screen_text(pilot)).split())
            assert "always allowed for profile work" in shown


async def test_escape_stops_the_whole_turn() -> None:
    app = snapshot_app(write_config())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(pilot)
        turn = AskingTurn([GREP, READ])
        turn.start(pane)
        await wait_until(pilot, lambda: card_asking(pilot, GREP.id))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not pane.streaming)
        assert turn.cancelled
        assert turn.answers == []  # the second call was never asked
        assert not card_of(pilot).shown
        await wait_until(pilot, lambda: pane.composer.composer.has_focus)


async def test_calls_asked_together_get_one_card_at_a_time_in_order() -> None:
    app = snapshot_app(write_config())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(pilot)
        turn = AskingTurn([GREP, READ], together=True)
        turn.start(pane)
        await wait_until(pilot, lambda: card_asking(pilot, GREP.id))
        assert len(pane.query(ToolApprovalCard)) == 1
        await pilot.press("n")
        await wait_until(pilot, lambda: card_asking(pilot, READ.id))
        assert "Allow read on files?" in await screen_text(pilot)
        await pilot.press("y")
        await wait_until(pilot, turn.done.is_set)
        assert turn.answers == ["deny", "once"]


async def test_the_card_opens_in_the_pane_whose_turn_asked() -> None:
    app = snapshot_app(write_config())
    async with app.run_test(size=SIZE) as pilot:
        asking = pane_of(pilot)
        await app_of(pilot).action_new_tab()
        await wait_until(pilot, lambda: app_of(pilot).active_pane is not asking)
        front = pane_of(pilot)
        turn = AskingTurn([GREP])
        turn.start(asking)  # a background tab's turn asks
        await wait_until(pilot, lambda: bool(asking.query(ToolApprovalCard)) and card_shown(asking))
        assert not front.query(ToolApprovalCard)
        asking.query_one(ToolApprovalCard).action_answer("once")
        await wait_until(pilot, turn.done.is_set)
        assert turn.answers == ["once"]


def card_shown(pane: object) -> bool:
    return pane.query_one(ToolApprovalCard).shown  # type: ignore[attr-defined, no-any-return]
