"""``claude-tui usage`` and budgets in print mode, as real processes against the demo relay:
the report's figures equal the sum of the usage saved in the session files, and a run over
its profile's budget is refused with the spend, the limit and how to lift it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from config_files import write_config_file

from claude_tui.chat_message import Usage
from claude_tui.demo import DemoRelay
from claude_tui.profiles import load_config
from claude_tui.sessions.session_store import SessionStore
from claude_tui.usage.price_book import model_prices

from .cli_process import Run, run_claude_tui

RELAY_KEY = "sk-relay-usage-test-7c2d9e41"


def claude_tui(*args: str) -> Run:
    return run_claude_tui(*args, env={"RELAY_KEY": RELAY_KEY})


def _config(base_url: str, relay_extra: str = "") -> None:
    write_config_file(f"""\
default_profile = "relay"

[profiles.relay]
base_url = "{base_url}"
api_key_env = "RELAY_KEY"
model = "claude-demo"
cache = "auto"
max_retries = 0
{relay_extra}

[profiles.resold]
base_url = "{base_url}"
api_key_env = "RELAY_KEY"
model = "claude-sonnet-4-5"
price_multiplier = 1.5
max_retries = 0
""")


def _saved_usage() -> dict[str, tuple[Usage, float]]:
    """Per profile: the usage saved in the session files, summed, and its cost."""
    config = load_config()
    totals: dict[str, tuple[Usage, float]] = {}
    store = SessionStore()
    for summary in store.list():
        for message in store.open(summary.id).messages:
            if message.role != "assistant" or message.usage is None:
                continue
            name = message.profile or summary.profile
            prices = model_prices(config.profiles.get(name), message.model or summary.model)
            assert prices is not None
            usage, cost = totals.get(name, (Usage(), 0.0))
            totals[name] = (usage + message.usage, cost + prices.cost(message.usage))
    return totals


def _usage_json(*args: str) -> dict[str, Any]:
    run = claude_tui("usage", "--json", *args)
    assert run.code == 0, run.stderr
    report: dict[str, Any] = json.loads(run.stdout)
    return report


def test_usage_equals_the_sum_of_the_saved_usage(demo_relay: DemoRelay) -> None:
    _config(demo_relay.base_url)
    assert claude_tui("-p", "first question").code == 0
    assert claude_tui("-c", "-p", "a follow-up, read from the cache").code == 0
    assert claude_tui("--profile", "resold", "-p", "another relay").code == 0
    saved = _saved_usage()
    assert set(saved) == {"relay", "resold"}

    report = _usage_json("--by", "profile", "--days", "7")
    for name, (usage, cost) in saved.items():
        row = report["profiles"][name]
        assert row["input_tokens"] == usage.input_tokens
        assert row["output_tokens"] == usage.output_tokens
        assert row["cache_read_tokens"] == usage.cache_read_input_tokens
        assert row["cache_write_tokens"] == usage.cache_creation_input_tokens
        assert row["cost_usd"] == pytest.approx(cost, abs=1e-6)
    assert report["profiles"]["relay"]["replies"] == 2
    assert report["profiles"]["relay"]["cache_read_tokens"] > 0  # the follow-up read it
    total_cost = sum(cost for _, cost in saved.values())
    assert report["total"]["cost_usd"] == pytest.approx(total_cost, abs=1e-6)
    assert [row["profile"] for row in report["rows"]] == list(report["profiles"])
    [today] = [row for row in _usage_json("--days", "1")["rows"]]
    assert today["replies"] == 3

    table = claude_tui("usage", "--by", "model")
    assert table.code == 0, table.stderr
    assert "claude-sonnet-4-5" in table.stdout and "claude-demo" in table.stdout
    assert "█" in table.stdout
    assert "Cache share:" in table.stdout


def test_the_index_is_only_a_cache(demo_relay: DemoRelay, isolated_dirs: Path) -> None:
    _config(demo_relay.base_url)
    assert claude_tui("-p", "one").code == 0
    before = _usage_json()["total"]
    for index in (SessionStore().root).glob(".usage.jsonl"):
        index.unlink()
    assert _usage_json()["total"] == before


def test_print_mode_over_budget_is_refused_with_the_limit(demo_relay: DemoRelay) -> None:
    _config(demo_relay.base_url, "daily_limit_usd = 0.000001")
    assert claude_tui("-p", "the first fits: nothing was spent yet").code == 0
    sessions = SessionStore().list()
    requests = len(demo_relay.requests)

    refused = claude_tui("-c", "-p", "this one is over the limit")
    assert refused.code == 1
    assert refused.stdout == ""
    assert "Traceback" not in refused.stderr
    assert "daily limit of $0.0000" in refused.stderr
    assert "raise daily_limit_usd in [profiles.relay] of config.toml, or set it to 0" in (
        refused.stderr
    )
    assert len(demo_relay.requests) == requests  # nothing sent
    assert [s.message_count for s in SessionStore().list()] == [
        s.message_count for s in sessions
    ]  # nothing saved
    assert claude_tui("--profile", "resold", "-p", "another profile has no limit").code == 0
