"""``claude-tui -p`` cannot ask, so it redacts secrets before sending and says so on stderr;
``redact = "off"`` sends as is. Real process, real loopback relay; what the relay received
and what the session file holds are checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_files import write_config_file

from claude_tui.attachments import BlobStore
from claude_tui.demo import DemoRelay
from claude_tui.sessions.session_store import SessionStore

from .cli_process import run_claude_tui

RELAY_KEY = "relay" + "-Kq3Zx8Lw7Np2"  # no known shape: found only as the profile's own key
AWS_KEY = "AKIA" + "Q3EGRIIKQ4ZQ7VXA"
PW_VALUE = "Tr0ub4" + "dor&3x"


def configure(relay: DemoRelay, redact: str | None) -> None:
    setting = f'redact = "{redact}"\n' if redact else ""
    write_config_file(
        f"""\
default_profile = "relay"

[profiles.relay]
base_url = "{relay.base_url}"
api_key_env = "RELAY_KEY"
auth = "bearer"
model = "claude-demo"
max_retries = 0
{setting}"""
    )


def sent_user_text(relay: DemoRelay) -> str:
    [request] = relay.requests
    body = request.json
    assert body is not None
    [user] = [m for m in body["messages"] if m["role"] == "user"]
    return "".join(b["text"] for b in user["content"] if b["type"] == "text")


def saved_user_text() -> str:
    [summary] = SessionStore().list()
    return SessionStore().open(summary.id).messages[0].text


def prompt() -> str:
    return f"deploy fails with {AWS_KEY}\npass" + f'word = "{PW_VALUE}"\nkey {RELAY_KEY}'


def test_print_mode_redacts_says_so_and_saves_what_was_sent(
    demo_relay: DemoRelay, isolated_dirs: Path
) -> None:
    configure(demo_relay, None)  # the default, "ask", cannot ask here
    run = run_claude_tui("-p", prompt(), env={"RELAY_KEY": RELAY_KEY})
    assert run.code == 0, run.stderr

    expected = (
        "deploy fails with [REDACTED:aws-key]\n"
        'password = "[REDACTED:password]"\nkey [REDACTED:profile-key]'
    )
    assert sent_user_text(demo_relay) == expected
    assert saved_user_text() == expected
    assert (
        "claude-tui: redacted 3 secrets (aws-key, password, profile-key) before sending; "
        'set redact = "off" on the profile to send as is\n'
    ) in run.stderr
    data = isolated_dirs / "data"
    for path in data.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert AWS_KEY not in text and PW_VALUE not in text, path


def test_print_mode_with_redact_off_sends_as_is(demo_relay: DemoRelay, isolated_dirs: Path) -> None:
    configure(demo_relay, "off")
    run = run_claude_tui("-p", prompt(), env={"RELAY_KEY": RELAY_KEY})
    assert run.code == 0, run.stderr
    assert sent_user_text(demo_relay) == prompt()
    assert "redacted" not in run.stderr


def attach_notes(tmp_path: Path) -> Path:
    notes = tmp_path / "notes.md"
    notes.write_text(f"# deploy\nsteps\nkey {AWS_KEY} here\n", encoding="utf-8")
    return notes


def sent_file_text(relay: DemoRelay) -> str:
    [request] = relay.requests
    body = request.json
    assert body is not None
    [user] = [m for m in body["messages"] if m["role"] == "user"]
    return str(user["content"][0]["text"])


@pytest.mark.parametrize("redact", [None, "always"])
def test_print_mode_redacts_an_attached_text_file_and_names_it(
    demo_relay: DemoRelay, isolated_dirs: Path, tmp_path: Path, redact: str | None
) -> None:
    configure(demo_relay, redact)  # "ask" (the default) cannot ask: it redacts as "always"
    notes = attach_notes(tmp_path)
    run = run_claude_tui("-p", "Why?", "--attach", str(notes), env={"RELAY_KEY": RELAY_KEY})
    assert run.code == 0, run.stderr

    redacted = "# deploy\nsteps\nkey [REDACTED:aws-key] here\n"
    assert sent_file_text(demo_relay) == f'<file name="notes.md">\n{redacted}\n</file>'
    assert (
        "claude-tui: redacted 1 secret (aws-key) in notes.md before sending; "
        'set redact = "off" on the profile to send as is\n'
    ) in run.stderr
    [summary] = SessionStore().list()
    [block] = SessionStore().open(summary.id).messages[0].attachments
    assert block["name"] == "notes.md"
    assert BlobStore().read(str(block["sha256"])).decode() == redacted
    assert notes.read_text(encoding="utf-8").count(AWS_KEY) == 1  # the file itself is left alone


def test_print_mode_with_redact_off_sends_an_attached_file_as_is(
    demo_relay: DemoRelay, isolated_dirs: Path, tmp_path: Path
) -> None:
    configure(demo_relay, "off")
    notes = attach_notes(tmp_path)
    run = run_claude_tui("-p", "Why?", "--attach", str(notes), env={"RELAY_KEY": RELAY_KEY})
    assert run.code == 0, run.stderr
    assert AWS_KEY in sent_file_text(demo_relay)
    assert "redacted" not in run.stderr
