"""A short key must not garble the error text that quotes words holding its letters.

With ``api_key = "k"`` on an unreachable loopback URL, the one error sentence used to read
"chec•••• the profile's base_url, your networ•••• or proxy" in each place it is shown: the
reply's saved error (what the error card shows), ``-p``'s stderr and ``profiles test``.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from claude_tui.chat_message import MessageStatus
from claude_tui.sessions.session_store import SessionStore

from .cli_process import run_claude_tui

READABLE = "check the profile's base_url, your network or proxy"


def closed_loopback_port() -> int:
    """A loopback port nothing listens on: bound once for a free number, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def short_key_profile(isolated_dirs: Path) -> str:
    """The default profile ``dead``: key "k", an unreachable URL, no retries."""
    path = isolated_dirs / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'default_profile = "dead"\n\n[profiles.dead]\n'
        f'base_url = "http://127.0.0.1:{closed_loopback_port()}"\n'
        'api_key = "k"\nmax_retries = 0\n',
        encoding="utf-8",
    )
    path.chmod(0o600)
    return "dead"


def test_print_mode_stderr_and_saved_error_stay_readable(short_key_profile: str) -> None:
    run = run_claude_tui("-p", "hello")

    assert run.code == 1
    assert READABLE in run.stderr, run.stderr
    assert "••••" not in run.stderr
    [summary] = SessionStore().list()
    reply = SessionStore().open(summary.id).messages[-1]
    assert reply.status is MessageStatus.ERROR
    assert reply.error is not None and READABLE in reply.error  # the error card's text


def test_profiles_test_stays_readable(short_key_profile: str) -> None:
    run = run_claude_tui("profiles", "test", short_key_profile)

    assert run.code == 1
    assert READABLE in run.stdout + run.stderr, (run.stdout, run.stderr)
    assert "chec••••" not in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
