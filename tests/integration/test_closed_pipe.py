"""Commands that print stop quietly when their reader goes away (``| head -3``), as Unix
tools do: no BrokenPipeError traceback, no "Exception ignored" line, exit 0."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from claude_tui.chat_message import ChatMessage
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore

PIPE_BUFFER = 64 * 1024
"""Linux's pipe capacity: more output than this blocks until the reader reads or leaves."""


def seed_sessions(count: int, title_length: int) -> list[Session]:
    store = SessionStore()
    sessions = []
    for number in range(count):
        session = store.create(SessionSettings(profile="relay", model="claude-demo"))
        session.append_message(ChatMessage.user(f"prompt {number}"))
        session.rename(f"{number} " + "long title " * (title_length // 11))
        sessions.append(session)
    return sessions


def claude_tui_process(*args: str, stdout: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "claude_tui", *args],
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


def test_sessions_list_into_a_reader_that_leaves_after_one_line() -> None:
    seed_sessions(40, title_length=3000)  # well over a pipe's worth of rows
    process = claude_tui_process("sessions", "list", stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # as `head -1` does once it has its line
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=60)

    assert first.split()[0]  # a session id: the listing had started
    assert stderr == ""
    assert code == 0


@pytest.mark.parametrize(
    "command",
    [
        ("sessions", "list"),
        ("sessions", "list", "--json"),
        ("sessions", "show", "SESSION"),
        ("sessions", "export", "SESSION"),
        ("sessions", "export", "SESSION", "--format", "json"),
        ("profiles", "list"),
    ],
    ids=lambda command: " ".join(command),
)
def test_printing_into_a_pipe_nobody_reads(command: tuple[str, ...]) -> None:
    [session] = seed_sessions(1, title_length=PIPE_BUFFER * 2)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write
    try:
        process = claude_tui_process(
            *(session.id if part == "SESSION" else part for part in command), stdout=write_end
        )
    finally:
        os.close(write_end)
    _, stderr = process.communicate(timeout=60)

    assert stderr.decode() == ""
    assert process.returncode == 0
