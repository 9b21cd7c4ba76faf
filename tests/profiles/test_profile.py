"""The Profile value: defaults, checks on change, labels and the table written back."""

from __future__ import annotations

import pytest

from claude_tui.profiles import Prices, Profile, ProfileValueError, demo_profile


def test_defaults() -> None:
    profile = Profile(name="p")
    assert profile.base_url == "https://api.anthropic.com"
    assert profile.api_format == "anthropic"
    assert profile.auth == "x-api-key"
    assert profile.thinking == "off"
    assert profile.max_tokens == 8192
    assert profile.prefill == "auto"
    assert not profile.is_demo
    assert profile.needs_key


def test_auth_follows_api_format_unless_given() -> None:
    assert Profile(name="o", api_format="openai").auth == "bearer"
    assert Profile(name="o", api_format="openai", auth="x-api-key").auth == "x-api-key"


@pytest.mark.parametrize(
    ("thinking", "label", "budget"),
    [("off", "off", None), ("adaptive", "adaptive", None), (4096, "4096 tokens", 4096)],
)
def test_thinking_label(thinking: str | int, label: str, budget: int | None) -> None:
    profile = Profile(name="p").with_changes(thinking=thinking)
    assert profile.thinking_label == label
    assert profile.thinking_budget == budget
    assert profile.thinking_enabled == (thinking != "off")


def test_with_changes_checks_and_normalises() -> None:
    profile = Profile(name="p")
    changed = profile.with_changes(base_url="https://relay.example.com/v1/", models=["a"])
    assert changed.base_url == "https://relay.example.com"
    assert changed.models == ("a",)
    assert profile.base_url == "https://api.anthropic.com"  # the original is untouched
    with pytest.raises(ProfileValueError, match="thinking budget must be less than max_tokens"):
        profile.with_changes(thinking=8192)
    with pytest.raises(ProfileValueError, match=r"^api_format must be"):
        profile.with_changes(api_format="gemini")
    with pytest.raises(ProfileValueError, match="name must not be empty"):
        Profile(name=" ")


def test_profiles_are_immutable() -> None:
    profile = Profile(name="p")
    with pytest.raises(AttributeError):
        profile.model = "x"  # type: ignore[misc]


def test_profiles_are_hashable_despite_headers() -> None:
    a = Profile(name="p", headers={"X-Group": "vip"})
    assert a == Profile(name="p", headers={"X-Group": "vip"})
    assert len({a, Profile(name="p", headers={"X-Group": "vip"})}) == 1


def test_inline_key_is_not_in_repr() -> None:
    profile = Profile(name="p", api_key="sk-ant-secret-value-123456")
    assert "sk-ant-secret" not in repr(profile)


def test_needs_key() -> None:
    assert not Profile(name="p", auth="none").needs_key
    assert not demo_profile().needs_key
    assert Profile(name="p", auth="bearer").needs_key


def test_to_toml_dict_omits_defaults() -> None:
    assert Profile(name="p").to_toml_dict() == {}
    assert Profile(name="o", api_format="openai").to_toml_dict() == {"api_format": "openai"}


def test_to_toml_dict_keeps_every_set_value() -> None:
    profile = Profile(
        name="p",
        base_url="https://relay.example.com",
        api_key_env="K",
        models=("a", "b"),
        thinking=2048,
        temperature=0.5,
        headers={"X-Group": "vip"},
        timeout=30,
        prices=Prices(input=3.0, output=15.0),
        prefill=False,
    )
    assert profile.to_toml_dict() == {
        "base_url": "https://relay.example.com",
        "api_key_env": "K",
        "models": ["a", "b"],
        "thinking": 2048,
        "temperature": 0.5,
        "headers": {"X-Group": "vip"},
        "timeout": 30,
        "prices": {"input": 3, "output": 15},
        "prefill": False,
    }


def test_to_toml_dict_include_keeps_explicit_defaults() -> None:
    profile = Profile(name="p", auth="x-api-key")
    assert profile.to_toml_dict(include={"auth", "model", "system"}) == {
        "auth": "x-api-key",
        "model": "claude-sonnet-4-5",
    }


def test_prices_derive_cache_rates() -> None:
    prices = Prices(input=3.0, output=15.0)
    assert prices.resolved_cache_write == pytest.approx(3.75)
    assert prices.resolved_cache_read == pytest.approx(0.3)
    assert Prices(3.0, 15.0, cache_read=0.5).resolved_cache_read == 0.5


def test_demo_profile_is_pointed_at_the_live_relay_with_with_changes() -> None:
    demo = demo_profile()
    assert demo.name == "demo"
    assert demo.base_url == "http://127.0.0.1:0"
    live = demo.with_changes(base_url="http://127.0.0.1:45678")
    assert live.is_demo
    assert live.base_url == "http://127.0.0.1:45678"
    assert demo_profile("http://127.0.0.1:1234").base_url == "http://127.0.0.1:1234"
