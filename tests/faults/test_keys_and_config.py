"""Hostile keys and config files: secrets in a key command's complaint, files others can
read, and values that pass a glance but would break at request time."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest

from claude_tui.chat_message import MessageStatus
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.demo import DemoRelay
from claude_tui.profiles import (
    ConfigError,
    KeySource,
    KeySourceError,
    key_failure_detail,
    load_config,
    profile_from_table,
    profile_values,
    set_theme,
)
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.sessions.transfer import export_json, export_markdown
from claude_tui.wire.events import StreamFailed

LEAKED_KEY = "sk-ant-" + "api03-LEAKEDLEAKED7c1e9b24f0a8d6"  # joined: see test_no_false_alarms
COMPLAINT = f"token {LEAKED_KEY} expired"
FAILING_HELPER = f"echo {shlex.quote(COMPLAINT)} >&2; exit 3"


def test_key_command_complaint_stays_out_of_the_error_message() -> None:
    profile = profile_from_table("relay", {"api_key_command": FAILING_HELPER})
    with pytest.raises(KeySourceError) as caught:
        KeySource(profile).get()
    assert str(caught.value) == (
        'api_key_command of profile "relay" failed with exit code 3; '
        "run the command in a shell to see why"
    )
    assert LEAKED_KEY not in caught.value.detail
    assert caught.value.detail == "token •••• expired"


async def test_key_command_complaint_is_never_saved(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    profile = profile_from_table(
        "relay",
        {
            "base_url": demo_relay.base_url,
            "api_key_command": FAILING_HELPER,
            "model": "claude-demo",
            "max_retries": 0,
        },
    )
    store = SessionStore()
    session = store.create(
        SessionSettings(profile=profile.name, model=profile.model, thinking="off")
    )
    conversation = Conversation(session, profile, pool)

    errors, details = [], []
    async for event, _message in conversation.send("hello"):
        if isinstance(event, StreamFailed):
            errors.append(str(event.error))
            details.append(key_failure_detail(event.error))
    reply = session.messages[-1]

    assert details == ["token •••• expired"]  # what a UI may show for a moment

    assert reply.status is MessageStatus.ERROR
    assert "api_key_command" in (reply.error or "")
    saved = session.path.read_text(encoding="utf-8")
    reopened = store.open(session.id)
    exports = export_markdown(reopened) + json.dumps(export_json(reopened), ensure_ascii=False)
    for text in (saved, exports, reply.error or "", *errors):
        assert LEAKED_KEY not in text
        assert "expired" not in text
        assert "LEAKED" not in text
    assert demo_relay.requests == []  # nothing was sent without a key


# --- config values that pass a glance but break later -----------------------------------


def write_config(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def load_error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("http://127.0.0.1:99999", "has a port outside 1-65535"),
        ("http://127.0.0.1:-5", "has a port outside 1-65535"),
        ("https://relay.example:port", "has a port outside 1-65535"),
        ("https://relay example.com", "without spaces or control characters"),
        ("https://relay.example/v\\t1", "without spaces or control characters"),
        ("https://relay.example/\\u001b[2J", "without spaces or control characters"),
        ("https://:8080", "with a host name"),
        ("ftp://relay.example", "must be an http:// or https:// URL"),
    ],
)
def test_base_urls_that_would_fail_at_request_time_are_refused(
    tmp_path: Path, value: str, fragment: str
) -> None:
    path = write_config(tmp_path, f'[profiles.relay]\n\nbase_url = "{value}"\n')
    message = load_error(path)
    assert message.startswith(f"{path}, line 3: profiles.relay.base_url "), message
    assert fragment in message
    assert "\x1b" not in message


def test_proxy_with_a_bad_port_is_refused(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[profiles.relay]\nproxy = "http://127.0.0.1:70000"\n')
    assert load_error(path).startswith(f"{path}, line 2: profiles.relay.proxy has a port outside")


def test_socks_proxy_without_socksio_names_the_package_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profile_values, "find_spec", lambda name: None)
    path = write_config(tmp_path, '[profiles.relay]\nproxy = "socks5://127.0.0.1:1080"\n')
    message = load_error(path)
    assert message == (
        f"{path}, line 2: profiles.relay.proxy is a SOCKS proxy, which needs httpx's SOCKS "
        "support: pip install 'httpx[socks]'"
    )


def test_socks_proxy_loads_when_socksio_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profile_values, "find_spec", lambda name: object())
    path = write_config(tmp_path, '[profiles.relay]\nproxy = "socks5://127.0.0.1:1080"\n')
    assert load_config(path, environ={}).profile("relay").proxy == "socks5://127.0.0.1:1080"


@pytest.mark.parametrize("depth", [40, 900, 5000])
@pytest.mark.parametrize("kind", ["array", "inline table"])
def test_deep_nesting_is_a_one_line_error(tmp_path: Path, depth: int, kind: str) -> None:
    opened, closed = ("[" * depth, "]" * depth) if kind == "array" else ("{a=" * depth, "}" * depth)
    path = write_config(tmp_path, f"[profiles.relay]\nmodels = {opened}1{closed}\n")
    message = load_error(path)
    assert message.startswith(f"{path}"), message
    assert "nested too deeply" in message


def test_saving_next_to_a_deeply_nested_file_is_refused_too(tmp_path: Path) -> None:
    path = write_config(tmp_path, "x = " + "[" * 2000 + "]" * 2000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        set_theme("nord", path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_config_does_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    assert (
        load_error(path)
        == f"{path}: is a named pipe (FIFO), not a regular file; it must be a plain text file"
    )


def test_a_directory_config_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()
    assert "is a directory, not a regular file" in load_error(path)


# --- an inline key in a file others can read ----------------------------------------------

INLINE_KEY = "sk-ant-inline-9f8e7d6c5b4a3210"


def test_inline_key_in_a_world_readable_file_is_warned_about(tmp_path: Path) -> None:
    path = write_config(tmp_path, f'[profiles.relay]\napi_key = "{INLINE_KEY}"\n', mode=0o644)
    config = load_config(path, environ={})
    assert config.warnings == (
        f'{path} holds an inline api_key (profile "relay") and other users can read it '
        f"(mode 644): run chmod 600 {path}",
    )
    assert INLINE_KEY not in config.warnings[0]


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        (f'[profiles.relay]\napi_key = "{INLINE_KEY}"\n', 0o600),
        ('[profiles.relay]\napi_key_env = "RELAY_KEY"\n', 0o644),
    ],
    ids=["private file", "no inline key"],
)
def test_no_warning_for_a_private_file_or_without_an_inline_key(
    tmp_path: Path, text: str, mode: int
) -> None:
    assert load_config(write_config(tmp_path, text, mode), environ={}).warnings == ()


async def test_the_app_shows_the_readable_key_file_warning() -> None:
    from app_driving import run, wait_until

    from claude_tui import paths
    from claude_tui.ui.app import ClaudeTuiApp

    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[profiles.relay]\nbase_url = "http://127.0.0.1:9"\napi_key = "{INLINE_KEY}"\n',
        encoding="utf-8",
    )
    path.chmod(0o644)
    app = ClaudeTuiApp(load_config(), profile_name="relay")
    async with run(app) as pilot:

        def warned() -> bool:
            return any(f"chmod 600 {path}" in n.message for n in app._notifications)

        await wait_until(pilot, warned)
