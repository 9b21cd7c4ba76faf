"""The env profile built from the ANTHROPIC_* variables Claude Code users already set."""

from __future__ import annotations

import pytest

from claude_tui.profiles import ConfigError, KeySource, env_profile, parse_custom_headers


def test_absent_without_trigger_variables() -> None:
    assert env_profile({}) is None
    assert env_profile({"ANTHROPIC_MODEL": "m", "ANTHROPIC_API_KEY": " "}) is None


def test_auth_token_is_sent_as_bearer_and_never_copied() -> None:
    environ = {
        "ANTHROPIC_BASE_URL": "https://relay.example.com/v1/",
        "ANTHROPIC_AUTH_TOKEN": "tok-0123456789abcdef",
        "ANTHROPIC_API_KEY": "sk-ignored-0123456789",
    }
    profile = env_profile(environ)
    assert profile is not None
    assert profile.name == "env"
    assert profile.base_url == "https://relay.example.com"
    assert profile.auth == "bearer"
    assert profile.api_key_env == "ANTHROPIC_AUTH_TOKEN"
    assert profile.api_key is None
    assert "tok-0123456789abcdef" not in repr(profile)
    assert "tok-0123456789abcdef" not in str(profile.to_toml_dict())
    assert KeySource(profile, environ=environ).get() == "tok-0123456789abcdef"


def test_api_key_is_sent_as_x_api_key_to_the_official_api() -> None:
    profile = env_profile({"ANTHROPIC_API_KEY": "sk-ant-0123456789"})
    assert profile is not None
    assert profile.base_url == "https://api.anthropic.com"
    assert profile.auth == "x-api-key"
    assert profile.api_key_env == "ANTHROPIC_API_KEY"
    assert profile.model == "claude-sonnet-4-5"


def test_base_url_alone_sends_no_key() -> None:
    profile = env_profile({"ANTHROPIC_BASE_URL": "http://127.0.0.1:3456"})
    assert profile is not None
    assert profile.auth == "none"
    assert not profile.needs_key


def test_model_headers_and_timeout() -> None:
    profile = env_profile(
        {
            "ANTHROPIC_API_KEY": "k",
            "ANTHROPIC_MODEL": "claude-opus-4-1",
            "ANTHROPIC_CUSTOM_HEADERS": "X-Group: vip\n\nX-Trace:  a:b  \n",
            "API_TIMEOUT_MS": "120000",
        }
    )
    assert profile is not None
    assert profile.model == "claude-opus-4-1"
    assert profile.headers == {"X-Group": "vip", "X-Trace": "a:b"}
    assert profile.timeout == 120.0


def test_malformed_custom_headers_name_the_line_not_the_content() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_custom_headers("X-Ok: 1\nsk-secret-token\n")
    message = str(caught.value)
    assert "ANTHROPIC_CUSTOM_HEADERS" in message
    assert "line 2" in message
    assert "sk-secret" not in message


@pytest.mark.parametrize("value", ["soon", "-5", "0", "inf"])
def test_bad_timeout_names_the_variable(value: str) -> None:
    with pytest.raises(ConfigError, match="API_TIMEOUT_MS must be a positive number"):
        env_profile({"ANTHROPIC_API_KEY": "k", "API_TIMEOUT_MS": value})


def test_bad_base_url_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="environment variable ANTHROPIC_BASE_URL must be"):
        env_profile({"ANTHROPIC_BASE_URL": "relay.example.com"})
