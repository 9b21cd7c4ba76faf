"""The usage report: totals per day, profile and model, priced at report time, with the
cache share and the alerts' flags."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from config_files import write_config

from claude_tui.sessions.session_store import SessionStore
from claude_tui.usage.usage_history import UsageHistory
from claude_tui.usage.usage_report import build_report

from .usage_sessions import DAY, add_reply, new_session, usage

MILLION = 1_000_000


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore(tmp_path / "sessions")


def _config(**relay: object):  # type: ignore[no-untyped-def]
    table = {"base_url": "http://127.0.0.1:9", "api_key": "sk-test", "model": "claude-demo"}
    return write_config({"relay": {**table, **relay}, "cheap": {**table, "price_multiplier": 0.5}})


def test_totals_per_day_profile_and_model(store: SessionStore) -> None:
    config = _config()
    now = time.time()
    session = new_session(store)
    add_reply(session, usage(input=MILLION, output=MILLION))  # $3 + $15 today
    add_reply(session, usage(input=MILLION), created=now - DAY)  # $3 yesterday
    other = new_session(store, profile="cheap")
    add_reply(other, usage(output=MILLION), model="claude-sonnet-4-5")  # $15 x 0.5
    add_reply(other, usage(output=MILLION), created=now - 40 * DAY)  # outside the period
    report = build_report(UsageHistory(store), config.profiles, days=7)
    today = datetime.date.today().isoformat()
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    assert len(report.days) == 7 and report.days[-1] == today
    assert report.day_total(today).cost == pytest.approx(18 + 7.5)
    assert report.day_total(yesterday).cost == pytest.approx(3)
    assert report.per_day[today]["cheap"].cost == pytest.approx(7.5)
    assert report.by_profile["relay"].replies == 2
    assert report.by_model["claude-sonnet-4-5"].output == MILLION
    assert report.total.cost == pytest.approx(28.5)
    assert report.total.replies == 3
    assert [label for label, _ in report.rows("profile")] == ["relay", "cheap"]
    assert [label for label, _ in report.rows("day")] == report.days


def test_prices_follow_the_config_now(store: SessionStore) -> None:
    session = new_session(store)
    add_reply(session, usage(output=MILLION))
    assert build_report(UsageHistory(store), _config().profiles).total.cost == pytest.approx(15)
    doubled = _config(price_multiplier=2.0)
    assert build_report(UsageHistory(store), doubled.profiles).total.cost == pytest.approx(30)


def test_a_removed_profile_is_priced_from_the_bundled_table(store: SessionStore) -> None:
    session = new_session(store, profile="gone")
    add_reply(session, usage(output=MILLION))
    add_reply(session, usage(output=5), model="no-such-model")
    report = build_report(UsageHistory(store), _config().profiles)
    assert report.by_profile["gone"].cost == pytest.approx(15)
    assert report.by_profile["gone"].unpriced == 1


def test_cache_share_is_reads_over_all_input(store: SessionStore) -> None:
    session = new_session(store)
    add_reply(session, usage(input=100, read=300, write=100, output=10))
    report = build_report(UsageHistory(store), _config().profiles)
    assert report.total.cache_share == pytest.approx(0.6)
    expected = (100 * 3 + 300 * 0.3 + 100 * 3.75 + 10 * 15) / MILLION
    assert report.total.cost == pytest.approx(expected)


def test_flags_days_and_replies_past_their_alerts(store: SessionStore) -> None:
    config = _config(alert_tokens=1000, alert_daily_usd=1.0)
    session = new_session(store)
    big = add_reply(session, usage(input=900, output=200))
    add_reply(session, usage(input=10, output=10))
    add_reply(session, usage(output=100_000))  # $1.50 today
    cheap = new_session(store, profile="cheap")  # default alerts: 150k tokens, $20
    add_reply(cheap, usage(input=2000))
    report = build_report(UsageHistory(store), config.profiles)
    flagged = {(f.message_id, f.tokens, f.limit) for f in report.flagged_replies}
    assert (big.id, 1100, 1000) in flagged
    assert len(flagged) == 2 and all(f.session_id == session.id for f in report.flagged_replies)
    today = datetime.date.today().isoformat()
    assert [(f.day, f.profile, f.limit) for f in report.flagged_days] == [(today, "relay", 1.0)]
    assert report.flagged(today, "relay") is not None
    assert report.flagged(today, "cheap") is None


def test_every_version_of_a_regenerated_reply_counts(store: SessionStore) -> None:
    session = new_session(store)
    reply = add_reply(session, usage(output=100))
    reply.start_new_version()
    reply.content = [{"type": "text", "text": "again"}]
    reply.usage = usage(output=50)
    session.finish_reply(reply)
    fresh = SessionStore(store.root)  # read back from the files, not this process's note
    (store.root / ".usage.jsonl").unlink()
    report = build_report(UsageHistory(fresh), _config().profiles)
    assert (report.total.replies, report.total.output) == (2, 150)


def test_json_form(store: SessionStore) -> None:
    session = new_session(store)
    add_reply(session, usage(input=10, output=MILLION))
    report = build_report(UsageHistory(store), _config().profiles, days=3)
    data = report.to_json(by="model")
    assert data["by"] == "model"
    assert data["rows"][0]["model"] == "claude-demo"
    assert data["total"]["output_tokens"] == MILLION
    assert data["total"]["cost_usd"] == pytest.approx(15.00003)
    assert data["to"] == datetime.date.today().isoformat()
