"""Budgets: spend per profile in the local day and month, the check before a send, and
the status bar's "left" figure, fresh after every saved reply."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from config_files import write_config

from claude_tui.conversation.turn_services import BudgetExceededError
from claude_tui.profiles import Profile
from claude_tui.sessions.session_store import SessionStore
from claude_tui.usage.budgets import BudgetLedger
from claude_tui.usage.usage_history import UsageHistory

from .usage_sessions import DAY, add_reply, new_session, usage

MILLION = 1_000_000


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore(tmp_path / "sessions")


def _relay(**settings: object) -> Profile:
    table = {"base_url": "http://127.0.0.1:9", "api_key": "sk-test", "model": "claude-demo"}
    return write_config({"relay": {**table, **settings}}).profile("relay")


def test_spend_today_and_this_month(store: SessionStore) -> None:
    today = datetime.date(2026, 12, 15)
    noon = datetime.datetime(2026, 12, 15, 12).timestamp()
    session = new_session(store)
    add_reply(session, usage(output=MILLION), created=noon)  # $15 today
    add_reply(session, usage(output=MILLION // 3), created=noon - 3 * DAY)  # $5 this month
    add_reply(session, usage(output=MILLION), created=noon - 20 * DAY)  # last month
    other = new_session(store, profile="other")
    add_reply(other, usage(output=MILLION), created=noon)  # another profile
    ledger = BudgetLedger(UsageHistory(store), today=lambda: today)
    spend = ledger.spend(_relay())
    assert spend.today == pytest.approx(15)
    assert spend.month == pytest.approx(20)


def test_a_send_past_the_daily_limit_is_refused_with_how_to_lift_it(store: SessionStore) -> None:
    session = new_session(store)
    add_reply(session, usage(output=MILLION))  # $15
    ledger = BudgetLedger(UsageHistory(store))
    ledger.check(_relay(daily_limit_usd=16.0))  # under: nothing happens
    with pytest.raises(BudgetExceededError) as refused:
        ledger.check(_relay(daily_limit_usd=15.0))
    error = refused.value
    assert (error.profile, error.period, error.limit) == ("relay", "daily", 15.0)
    assert error.spent == pytest.approx(15.0)
    message = str(error)
    assert "$15.00" in message and "daily limit" in message
    assert "raise daily_limit_usd in [profiles.relay] of config.toml, or set it to 0" in message


def test_the_monthly_limit(store: SessionStore) -> None:
    session = new_session(store)
    yesterday = time.time() - DAY if datetime.date.today().day > 1 else time.time()
    add_reply(session, usage(output=MILLION), created=yesterday)
    with pytest.raises(BudgetExceededError) as refused:
        BudgetLedger(UsageHistory(store)).check(_relay(monthly_limit_usd=10.0))
    assert refused.value.period == "monthly"
    assert "monthly_limit_usd" in str(refused.value)


def test_the_reply_that_just_finished_counts(store: SessionStore) -> None:
    ledger = BudgetLedger(UsageHistory(store))
    profile = _relay(daily_limit_usd=30.0)
    session = new_session(store)
    add_reply(session, usage(output=MILLION))  # $15
    ledger.check(profile)
    assert ledger.budget_left(profile) == "$15.00 left today"
    add_reply(session, usage(output=MILLION))  # $30: the limit is reached
    with pytest.raises(BudgetExceededError):
        ledger.check(profile)
    assert ledger.budget_left(profile) == "budget spent today"


def test_budget_left_is_the_smaller_and_empty_without_limits(store: SessionStore) -> None:
    session = new_session(store)
    add_reply(session, usage(output=MILLION))  # $15
    ledger = BudgetLedger(UsageHistory(store))
    assert ledger.budget_left(_relay()) == ""
    both = _relay(daily_limit_usd=100.0, monthly_limit_usd=56.0)
    assert ledger.budget_left(both) == "$41.00 left this month"
    assert ledger.budget_left(_relay(daily_limit_usd=18.2, monthly_limit_usd=56.0)) == (
        "$3.20 left today"
    )


def test_no_limit_reads_nothing(store: SessionStore, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = BudgetLedger(UsageHistory(store))
    monkeypatch.setattr(ledger.history, "sessions_since", lambda day: pytest.fail("read"))
    ledger.check(_relay())
