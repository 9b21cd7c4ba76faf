"""``claude-tui profiles balance [NAME]`` run as a real process against the demo relay."""

from __future__ import annotations

from config_files import write_config_file

from claude_tui.demo import DemoRelay
from claude_tui.demo.billing_pages import BillingAccount

from .cli_process import run_claude_tui

KEY = "sk-relay-cli-balance-key-3f9a1c"


def write_profiles(relay: DemoRelay, broken: DemoRelay | None = None) -> None:
    profiles: dict[str, dict[str, object]] = {
        "relay": {"base_url": relay.base_url, "api_key": KEY, "auth": "bearer"},
        "wallet": {"base_url": "https://relay.example", "balance_command": "echo 3.5"},
        "official": {"api_key_env": "UNSET_TEST_KEY"},
        "quiet": {"base_url": relay.base_url, "balance": "off"},
    }
    if broken is not None:
        profiles["broken"] = {"base_url": broken.base_url, "balance": "new-api", "api_key": KEY}
    write_config_file(profiles, default_profile="relay")


def test_a_named_profile_prints_its_line(demo_relay: DemoRelay) -> None:
    demo_relay.billing = BillingAccount("new-api", limit_usd=25.0, used_usd=7.34)
    write_profiles(demo_relay)

    run = run_claude_tui("profiles", "balance", "relay")

    assert run.code == 0, run.stderr
    assert run.stdout == "relay: 17.66 USD left (25.00 limit, 7.34 used)\n"


def test_without_a_name_every_profile_with_a_balance_is_read(
    demo_relay: DemoRelay, second_relay: DemoRelay
) -> None:
    demo_relay.billing = BillingAccount("new-api", limit_usd=25.0, used_usd=7.34)
    write_profiles(demo_relay, broken=second_relay)  # second_relay serves no billing pages

    run = run_claude_tui("profiles", "balance")

    assert run.code == 1
    assert run.stdout.splitlines() == [
        "relay: 17.66 USD left (25.00 limit, 7.34 used)",
        "wallet: 3.50 USD left",
    ]
    assert "claude-tui: broken: The endpoint has no new-api billing page" in run.stderr
    assert "official" not in run.stdout + run.stderr  # api.anthropic.com: never asked
    assert "quiet" not in run.stdout + run.stderr
    assert KEY not in run.stdout + run.stderr


def test_a_profile_without_a_balance_says_why_and_fails(demo_relay: DemoRelay) -> None:
    write_profiles(demo_relay)

    run = run_claude_tui("profiles", "balance", "official")

    assert run.code == 1
    assert run.stdout == ""
    assert 'official: profile "official" talks to api.anthropic.com' in run.stderr


def test_no_profile_with_a_balance_is_an_error() -> None:
    write_config_file({"plain": {"api_key_env": "UNSET_TEST_KEY"}})

    run = run_claude_tui("profiles", "balance")

    assert run.code == 1
    assert "no profile has a balance to read: set balance_command" in run.stderr
