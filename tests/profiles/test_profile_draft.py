"""Turning the profile editor's text into a checked Profile, without any UI."""

from __future__ import annotations

import dataclasses

import pytest

from claude_tui.profiles import Profile, demo_profile
from claude_tui.profiles.profile_draft import (
    ProfileDraft,
    headers_text,
    key_kind_of,
    key_value_of,
    parse_headers,
)

BASE = Profile(
    name="relay",
    base_url="https://relay.example",
    api_key_env="RELAY_KEY",
    model="claude-sonnet-4-5",
    system="Be brief.",
    timeout=90.0,
    headers={"X-Group": "team-a"},
)


def draft(**changes: str) -> ProfileDraft:
    return dataclasses.replace(ProfileDraft.from_profile(BASE), **changes)  # type: ignore[arg-type]


def test_an_unchanged_draft_builds_the_same_profile() -> None:
    profile, errors = ProfileDraft.from_profile(BASE).build(BASE, original_name="relay")
    assert errors == {}
    assert profile == BASE
    assert profile is not None and profile.system == "Be brief." and profile.timeout == 90.0


def test_from_profile_shows_every_value_as_text() -> None:
    start = ProfileDraft.from_profile(BASE.with_changes(thinking=2048, price_multiplier=1.5))
    assert start.key_kind == "env" and start.key_value == "RELAY_KEY"
    assert start.thinking == "budget" and start.thinking_budget == "2048"
    assert start.max_tokens == "8192" and start.price_multiplier == "1.5"
    assert start.headers == "X-Group: team-a"
    assert start.auth == "x-api-key"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "name must not be empty"),
        ({"name": "demo"}, "name", 'name "demo" is reserved for a built-in profile'),
        ({"name": "backup"}, "name", 'there is already a profile named "backup"'),
        ({"base_url": "relay.example"}, "base_url", "base_url must be an http:// or https://"),
        ({"key_value": " "}, "key", "key: enter the name of the environment variable"),
        ({"key_value": "1BAD"}, "key", "api_key_env must be an environment variable name"),
        ({"model": ""}, "model", "model must not be empty"),
        ({"max_tokens": "8k"}, "max_tokens", 'max_tokens must be a whole number, not "8k"'),
        ({"max_tokens": "0"}, "max_tokens", "max_tokens must be at least 1, not 0"),
        ({"price_multiplier": "x"}, "price_multiplier", "price_multiplier must be a number"),
        ({"thinking": "budget", "thinking_budget": "lots"}, "thinking", "thinking budget must be"),
        ({"thinking": "budget", "thinking_budget": "100"}, "thinking", "at least 1024"),
        ({"thinking": "budget", "thinking_budget": "9000"}, "thinking", "less than max_tokens"),
        ({"headers": "X-Ok: 1\nno colon"}, "headers", "headers line 2 is not of the form"),
        ({"headers": "Bad Name: 1"}, "headers", "headers.Bad Name has a name that is not"),
    ],
)
def test_problems_are_reported_beside_their_field(
    changes: dict[str, str], field: str, message: str
) -> None:
    profile, errors = draft(**changes).build(
        BASE, original_name="relay", taken_names={"relay", "backup", "demo"}
    )
    assert profile is None
    assert message in errors[field]


def test_several_text_problems_are_reported_at_once() -> None:
    _profile, errors = draft(max_tokens="a", price_multiplier="b", name="").build(BASE)
    assert set(errors) == {"name", "max_tokens", "price_multiplier"}


def test_key_kind_picks_exactly_one_key_source() -> None:
    profile, errors = draft(key_kind="command", key_value="pass show relay").build(BASE)
    assert errors == {}
    assert profile is not None
    assert profile.api_key_command == "pass show relay"
    assert profile.api_key_env is None and profile.api_key is None
    profile, _ = draft(key_kind="none", key_value="ignored", auth="none").build(BASE)
    assert profile is not None and not profile.needs_key


def test_the_thinking_dialect_round_trips_through_the_draft() -> None:
    base = BASE.with_changes(api_format="openai", thinking_dialect="none")
    start = ProfileDraft.from_profile(base)
    assert start.thinking_dialect == "none"
    changed = dataclasses.replace(start, thinking_dialect="anthropic")
    profile, errors = changed.build(base, original_name="relay")
    assert errors == {} and profile is not None
    assert profile.thinking_dialect == "anthropic"


def test_a_copy_of_the_demo_is_not_the_demo() -> None:
    demo = demo_profile()
    copy = dataclasses.replace(
        ProfileDraft.from_profile(demo), name="mine", base_url="http://127.0.0.1:8765"
    )
    profile, errors = copy.build(demo, taken_names={"demo"})
    assert errors == {}
    assert profile is not None and not profile.is_demo and profile.name == "mine"


def test_cross_field_rules_of_settings_not_in_the_form_are_still_reported() -> None:
    priced = BASE.with_changes(prices={"input": 1.0, "output": 2.0})
    _profile, errors = dataclasses.replace(
        ProfileDraft.from_profile(priced), price_multiplier="2"
    ).build(priced)
    assert "cannot be combined with explicit prices" in errors["price_multiplier"]


def test_header_lines_round_trip() -> None:
    headers = {"X-Group": "team-a", "X-Tenant": "t: 1"}
    assert parse_headers(headers_text(headers)) == headers
    assert parse_headers("\n  \nX-A:b\n") == {"X-A": "b"}
    with pytest.raises(ValueError, match="line 1") as raised:
        parse_headers(": secret-value")
    assert "secret-value" not in str(raised.value)


def test_key_kind_and_value_of_a_profile() -> None:
    inline = Profile(name="p", api_key="sk-inline")
    assert key_kind_of(inline) == "inline"
    assert key_value_of(inline, "inline") == "sk-inline"
    assert key_value_of(inline, "env") == ""
    assert key_kind_of(Profile(name="p")) == "none"


def test_a_saved_inline_key_never_reaches_the_editor_and_is_kept_when_left_empty() -> None:
    inline = BASE.with_changes(api_key_env=None, api_key="sk-inline-0123456789abcdef")
    start = ProfileDraft.from_profile(inline)
    assert start.key_kind == "inline" and start.key_value == ""
    profile, errors = start.build(inline, original_name="relay")
    assert errors == {} and profile is not None
    assert profile.api_key == "sk-inline-0123456789abcdef"
    replaced, _ = dataclasses.replace(start, key_value="sk-new-key-000000").build(inline)
    assert replaced is not None and replaced.api_key == "sk-new-key-000000"
