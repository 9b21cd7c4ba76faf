"""Every kind of turn asks the budget first: a send, a regenerate and a continue are refused
before anything is saved or changed."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from config_files import write_config

from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.conversation.turn_services import BudgetExceededError, TurnServices
from claude_tui.sessions.session_store import SessionStore
from claude_tui.usage.budgets import BudgetLedger
from claude_tui.usage.usage_history import UsageHistory

from .usage_sessions import add_reply, new_session, usage


async def _first(replies) -> None:  # type: ignore[no-untyped-def]
    async with contextlib.aclosing(replies) as stream:
        async for _ in stream:
            return


@pytest.mark.parametrize("turn", ["send", "regenerate", "continue"])
async def test_a_turn_over_budget_changes_nothing(turn: str, tmp_path: Path) -> None:
    table = {"base_url": "http://127.0.0.1:9", "api_key": "sk-test", "model": "claude-demo"}
    profile = write_config({"relay": {**table, "daily_limit_usd": 1.0}}).profile("relay")
    store = SessionStore(tmp_path / "sessions")
    session = new_session(store)
    add_reply(session, usage(output=100_000))  # $1.50 today: past the limit
    services = TurnServices()
    services.check_budget = BudgetLedger(UsageHistory(store)).check
    conversation = Conversation(session, profile, EndpointPool(), services)
    before = [message.to_json() for message in session.messages]
    size = session.path.stat().st_size
    replies = {
        "send": lambda: conversation.send("one more"),
        "regenerate": conversation.regenerate,
        "continue": conversation.continue_reply,
    }[turn]()
    with pytest.raises(BudgetExceededError) as refused:
        await _first(replies)
    assert refused.value.period == "daily"
    assert [message.to_json() for message in session.messages] == before
    assert session.path.stat().st_size == size
    if turn == "send":
        assert refused.value.prompt == "one more"
