"""Reading a relay's balance over real sockets from the demo relay's billing pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_tui.balance import (
    BalanceCommandError,
    BalanceFetchError,
    BalanceShapeMissingError,
    FoundSource,
    NoBalanceSourceError,
    SourceMemory,
    balance_source,
    read_balance,
)
from claude_tui.demo import DemoRelay, Fault
from claude_tui.demo.billing_pages import BillingAccount
from claude_tui.profiles import Profile, demo_profile

KEY = "sk-relay-balance-key-5d1e0c9b7a"


def relay_profile(base_url: str, **changes: object) -> Profile:
    settings: dict[str, object] = {"api_key": KEY, "auth": "bearer", "max_retries": 0}
    return Profile(name="relay", base_url=base_url, **{**settings, **changes})  # type: ignore[arg-type]


def paths_asked(relay: DemoRelay) -> list[str]:
    return [request.path for request in relay.requests]


async def test_new_api_balance_is_the_limit_less_the_usage_in_cents(demo_relay: DemoRelay) -> None:
    demo_relay.billing = BillingAccount("new-api", limit_usd=25.0, used_usd=7.34)

    reading = await read_balance(relay_profile(demo_relay.base_url, balance="new-api"))

    assert reading.line() == "relay: 17.66 USD left (25.00 limit, 7.34 used)"
    assert reading.short() == "relay 17.66 USD"
    assert paths_asked(demo_relay) == [
        "/dashboard/billing/subscription",
        "/dashboard/billing/usage",
    ]


async def test_new_api_pages_under_v1_are_asked_when_the_bare_path_404s(
    demo_relay: DemoRelay,
) -> None:
    demo_relay.billing = BillingAccount("new-api", limit_usd=10.0, used_usd=2.5, v1_only=True)

    reading = await read_balance(relay_profile(demo_relay.base_url, balance="new-api"))

    assert (reading.left, reading.limit, reading.used) == (7.5, 10.0, 2.5)
    assert paths_asked(demo_relay) == [
        "/dashboard/billing/subscription",
        "/v1/dashboard/billing/subscription",
        "/v1/dashboard/billing/usage",
    ]


async def test_openrouter_credits_under_the_api_base(demo_relay: DemoRelay) -> None:
    demo_relay.billing = BillingAccount("openrouter", limit_usd=25.0, used_usd=7.35)
    profile = relay_profile(demo_relay.base_url + "/api", balance="openrouter", currency="EUR")

    reading = await read_balance(profile)

    assert reading.line() == "relay: 17.65 EUR left (25.00 limit, 7.35 used)"
    assert paths_asked(demo_relay) == ["/api/v1/credits"]


async def test_openrouter_falls_back_to_the_origins_api_path(demo_relay: DemoRelay) -> None:
    demo_relay.billing = BillingAccount("openrouter", limit_usd=5.0, used_usd=1.0)

    reading = await read_balance(relay_profile(demo_relay.base_url, balance="openrouter"))

    assert reading.left == 4.0
    assert paths_asked(demo_relay) == ["/v1/credits", "/api/v1/credits"]


async def test_auto_remembers_the_shape_that_answered_and_asks_only_it_next_time(
    demo_relay: DemoRelay,
) -> None:
    demo_relay.billing = BillingAccount("openrouter", limit_usd=25.0, used_usd=5.0)
    profile = relay_profile(demo_relay.base_url + "/api")  # balance = "auto"
    assert balance_source(profile) == "auto"

    first = await read_balance(profile)

    assert first.left == 20.0 and first.shape == "openrouter"
    assert len(demo_relay.requests) == 3  # new-api twice (bare, /v1), then OpenRouter
    demo_relay.clear_requests()
    assert balance_source(profile, SourceMemory()) == "openrouter"  # read back from the file

    second = await read_balance(profile, memory=SourceMemory())

    assert second.left == 20.0
    assert paths_asked(demo_relay) == ["/api/v1/credits"]


async def test_auto_remembers_that_nothing_answered_until_the_base_url_changes(
    demo_relay: DemoRelay, second_relay: DemoRelay
) -> None:
    profile = relay_profile(demo_relay.base_url)  # the relay serves no billing pages

    with pytest.raises(NoBalanceSourceError, match="balance_command"):
        await read_balance(profile)
    assert len(demo_relay.requests) == 4  # two new-api pages, two OpenRouter ones
    demo_relay.clear_requests()

    with pytest.raises(NoBalanceSourceError):
        await read_balance(profile)
    assert demo_relay.requests == []
    assert balance_source(profile) is None

    second_relay.billing = BillingAccount("new-api", limit_usd=3.0, used_usd=1.0)
    moved = relay_profile(second_relay.base_url)
    assert (await read_balance(moved)).left == 2.0


async def test_auto_remembers_nothing_when_the_relay_fails(demo_relay: DemoRelay) -> None:
    demo_relay.billing = BillingAccount("new-api")
    demo_relay.queue_fault(Fault("status", status=503))
    profile = relay_profile(demo_relay.base_url)

    with pytest.raises(BalanceFetchError, match="503"):
        await read_balance(profile)
    assert SourceMemory().recall(profile) is None

    assert (await read_balance(profile)).shape == "new-api"  # asked again, and it answers


async def test_a_remembered_page_that_disappears_is_forgotten(demo_relay: DemoRelay) -> None:
    demo_relay.billing = BillingAccount("new-api")
    profile = relay_profile(demo_relay.base_url)
    await read_balance(profile)
    demo_relay.billing = None

    with pytest.raises(BalanceShapeMissingError):
        await read_balance(profile)
    assert SourceMemory().recall(profile) is None


@pytest.mark.parametrize(
    ("changes", "header", "value"),
    [
        ({"auth": "bearer"}, "authorization", f"Bearer {KEY}"),
        ({"auth": "x-api-key"}, "x-api-key", KEY),
        ({"auth_header": "X-Relay-Token"}, "x-relay-token", KEY),
    ],
)
async def test_the_key_goes_as_the_profile_sends_it(
    demo_relay: DemoRelay, changes: dict[str, object], header: str, value: str
) -> None:
    demo_relay.billing = BillingAccount("new-api")
    profile = relay_profile(
        demo_relay.base_url, balance="new-api", headers={"X-Team": "blue"}, **changes
    )

    await read_balance(profile)

    for request in demo_relay.requests:
        assert request.headers[header] == value
        assert request.headers["x-team"] == "blue"
        sent_keys = [name for name, text in request.headers.items() if KEY in text]
        assert sent_keys == [header]


async def test_a_redirect_to_another_origin_is_refused_and_the_key_stays(
    demo_relay: DemoRelay, second_relay: DemoRelay
) -> None:
    second_relay.billing = BillingAccount("new-api")
    demo_relay.queue_fault(Fault("redirect", status=307, target=second_relay.base_url))

    with pytest.raises(BalanceFetchError, match="not sent") as caught:
        await read_balance(relay_profile(demo_relay.base_url, balance="new-api"))

    assert second_relay.requests == []
    assert KEY not in str(caught.value)


async def test_a_key_the_relay_quotes_back_is_masked_in_the_error(demo_relay: DemoRelay) -> None:
    demo_relay.queue_fault(Fault("status", status=401, message=f"token {KEY} is disabled"))

    with pytest.raises(BalanceFetchError, match="401") as caught:
        await read_balance(relay_profile(demo_relay.base_url, balance="new-api"))

    assert KEY not in str(caught.value)


@pytest.mark.parametrize("base_url", ["https://api.anthropic.com", "https://api.openai.com"])
async def test_auto_never_asks_the_official_apis(base_url: str) -> None:
    profile = relay_profile(base_url)

    assert balance_source(profile) is None
    with pytest.raises(NoBalanceSourceError, match="no balance page"):
        await read_balance(profile)  # no network: it would fail differently


async def test_auto_never_asks_the_demo(demo_relay: DemoRelay) -> None:
    profile = demo_profile(demo_relay.base_url)

    assert balance_source(profile) is None
    with pytest.raises(NoBalanceSourceError, match="demo"):
        await read_balance(profile)
    assert demo_relay.requests == []


async def test_off_has_no_balance_even_with_a_command() -> None:
    profile = relay_profile("https://relay.example", balance="off", balance_command="echo 1")

    assert balance_source(profile) is None
    with pytest.raises(NoBalanceSourceError, match='"off"'):
        await read_balance(profile)


# -- balance_command ------------------------------------------------------------------------


async def test_a_command_printing_a_number_is_the_balance_in_the_profiles_currency() -> None:
    profile = relay_profile("https://relay.example", balance_command="echo 12.5", currency="CNY")

    assert balance_source(profile) == "command"  # balance = "auto": the command wins
    reading = await read_balance(profile)

    assert reading.line() == "relay: 12.50 CNY left"
    assert reading.short() == "relay 12.50 CNY"


async def test_a_command_printing_json_names_its_own_currency(tmp_path: Path) -> None:
    script = tmp_path / "balance.sh"
    script.write_text('printf \'{"balance": 42.1, "currency": "JPY", "limit": 50}\\n\'\n')
    profile = relay_profile(
        "https://relay.example", balance="command", balance_command=f"sh {script}"
    )

    reading = await read_balance(profile)

    assert (reading.left, reading.currency, reading.limit) == (42.1, "JPY", 50.0)


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (f"echo 'balance: {KEY}'", "neither a number nor a JSON object"),
        ("exit 3", "exit code 3"),
        ("true", "printed nothing"),
        ('echo \'{"balance": "lots"}\'', "neither a number"),
    ],
)
async def test_a_command_that_does_not_print_a_balance_says_why(command: str, reason: str) -> None:
    profile = relay_profile("https://relay.example", balance="command", balance_command=command)

    with pytest.raises(BalanceCommandError, match=reason) as caught:
        await read_balance(profile)

    assert KEY not in str(caught.value)


async def test_a_stuck_command_is_stopped() -> None:
    from claude_tui.balance.balance_command import read_command_balance

    profile = relay_profile("https://relay.example", balance_command="sleep 30")

    with pytest.raises(BalanceCommandError, match=r"did not finish within 0\.2 s"):
        await read_command_balance(profile, timeout=0.2)


def test_a_damaged_memory_file_is_the_same_as_none(tmp_path: Path) -> None:
    path = tmp_path / "balance_sources.json"
    path.write_text("{not json")
    memory = SourceMemory(path)
    profile = relay_profile("https://relay.example")

    assert memory.recall(profile) is None
    memory.remember(profile, FoundSource("new-api", "https://relay.example/x"))
    assert SourceMemory(path).recall(profile) == FoundSource("new-api", "https://relay.example/x")
