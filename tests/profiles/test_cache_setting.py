"""The per-profile ``cache`` setting: loaded, checked with the file and line, written back,
edited in the profile draft, and carried into every request built for the profile."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from claude_tui.chat_message import ChatMessage
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.profiles import ConfigError, Profile, load_config
from claude_tui.profiles.profile_draft import ProfileDraft
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_cache_defaults_to_auto_and_loads_each_mode(tmp_path: Path) -> None:
    text = (
        '[profiles.plain]\nmodel = "m"\n'
        '[profiles.long]\ncache = "1h"\n'
        '[profiles.none]\ncache = "off"\n'
    )
    config = load_config(write(tmp_path, text), environ={})
    assert config.profile("plain").cache == "auto"
    assert config.profile("long").cache == "1h"
    assert config.profile("none").cache == "off"


def test_a_bad_cache_value_names_file_line_and_choices(tmp_path: Path) -> None:
    path = write(tmp_path, '[profiles.r]\nmodel = "m"\ncache = "1hour"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert str(caught.value).startswith(
        f'{path}, line 3: profiles.r.cache must be "auto", "1h" or "off", not "1hour"'
    )


def test_cache_is_written_back_only_when_not_the_default() -> None:
    assert "cache" not in Profile(name="r").to_toml_dict()
    assert Profile(name="r", cache="off").to_toml_dict()["cache"] == "off"


def test_cache_round_trips_through_the_profile_draft() -> None:
    base = Profile(name="r", api_key_env="K", cache="1h")
    start = ProfileDraft.from_profile(base)
    assert start.cache == "1h"
    profile, errors = dataclasses.replace(start, cache="off").build(base, original_name="r")
    assert errors == {}
    assert profile is not None and profile.cache == "off"


def test_requests_carry_the_profiles_cache_setting() -> None:
    profile = Profile(name="r", api_key_env="K", cache="1h")
    session = SessionStore().create(SessionSettings.from_profile(profile))
    conversation = Conversation(session, profile, EndpointPool())
    request = conversation.request_for([ChatMessage.user("hi")])
    assert request.cache == "1h"
