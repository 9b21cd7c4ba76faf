"""Saved sessions with fixed content, and the app that opens them, for stable snapshots.

Everything a snapshot shows comes from here: texts, ids, times, usage and model are all
constants, and nothing streams, so the pictures depend only on the code that draws them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest
import tomli_w
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from claude_tui import paths
from claude_tui.chat_message import ChatMessage, MessageStatus, Usage
from claude_tui.profiles import Config, load_config
from claude_tui.sessions import session, session_store
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.sessions import session_list

SIZE = (100, 36)
PROFILE = "work"
MODEL = "claude-sonnet-4-5"
CREATED = 1_767_225_600.0  # 2026-01-01 00:00 UTC

PROMPT = "How do I read a file line by line in Python?"
THINKING = (
    "The user wants to iterate over the lines of a text file. The idiomatic answer is a "
    "with-block around open() and a for loop over the file object, which streams lines "
    "instead of reading the whole file. Mention the encoding and stripping the newline."
)
ANSWER = """Iterate over the file object: it yields one line at a time, so even a large \
file is never loaded whole.

```python
from pathlib import Path


def count_words(path: Path) -> int:
    total = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            total += len(line.split())
    return total
```

Each `line` keeps its trailing newline; call `line.rstrip("\\n")` to drop it."""

ERROR_PROMPT = "Summarise the release notes."
ERROR_TEXT = (
    "The API is overloaded right now; retry in a moment or switch profile "
    "(HTTP 529, overloaded_error): Overloaded"
)
ERROR_REQUEST_ID = "req_011CSnapshotOverloaded"


def write_config(
    theme: str | None = None, more_profiles: dict[str, dict[str, Any]] | None = None
) -> Config:
    """A config with one relay profile (never contacted: nothing is sent) and a theme;
    ``more_profiles`` adds ``[profiles.NAME]`` tables after it."""
    data: dict[str, Any] = {
        "default_profile": PROFILE,
        "profiles": {
            PROFILE: {
                "base_url": "https://relay.example.com",
                "auth": "none",
                "model": MODEL,
                "thinking": 4096,
            },
            **(more_profiles or {}),
        },
    }
    if theme is not None:
        data["theme"] = theme
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return load_config()


def _prompt(message_id: str, text: str) -> ChatMessage:
    return ChatMessage(
        role="user", content=[{"type": "text", "text": text}], id=message_id, created=CREATED
    )


def save_reply_session() -> Session:
    """A finished exchange: a prompt, then a reply with thinking and a Python code block."""
    reply = ChatMessage(
        role="assistant",
        content=[
            {"type": "thinking", "thinking": THINKING, "signature": "c2lnbmF0dXJl"},
            {"type": "text", "text": ANSWER},
        ],
        id="msg_snapshot_reply",
        created=CREATED + 1,
        model=MODEL,
        profile=PROFILE,
        usage=Usage(input_tokens=1_234, output_tokens=321),
        stop_reason="end_turn",
        ttft_ms=820.0,
        duration_ms=4_200.0,
        thinking_ms=2_100.0,
    )
    return _save("snapshot-reply", [_prompt("msg_snapshot_prompt", PROMPT), reply])


def save_error_session() -> Session:
    """A prompt whose reply failed: the error card with its request id."""
    failed = ChatMessage(
        role="assistant",
        content=[],
        id="msg_snapshot_failed",
        created=CREATED + 1,
        model=MODEL,
        profile=PROFILE,
        status=MessageStatus.ERROR,
        error=ERROR_TEXT,
        request_id=ERROR_REQUEST_ID,
        duration_ms=640.0,
    )
    return _save("snapshot-error", [_prompt("msg_snapshot_error_prompt", ERROR_PROMPT), failed])


TOOL_PROMPT = "Which Python files in the project mention asyncio?"
TOOL_INPUT = {"pattern": "asyncio", "path": "claude_tui", "glob": "*.py"}
TOOL_RESULT = (
    "claude_tui/ui/app.py:12: import asyncio\n"
    "claude_tui/mcp/stdio_client.py:9: import asyncio\n"
    "claude_tui/wire/anthropic_stream.py:7: import asyncio\n"
    "claude_tui/demo/relay.py:15: import asyncio\n"
    "claude_tui/conversation/conversation.py:11: import asyncio"
)
TOOL_ANSWER = (
    "Five modules import asyncio: the app, the MCP client, the stream, the relay and the "
    "conversation."
)


def save_tool_session() -> Session:
    """A turn of two rounds: the reply calls ``files__grep``, gets its result (a message of
    tool results) and answers in a second round."""
    first = ChatMessage(
        role="assistant",
        content=[
            {"type": "text", "text": "Let me search the sources."},
            {
                "type": "tool_use",
                "id": "toolu_snapshot_1",
                "name": "files__grep",
                "input": TOOL_INPUT,
            },
        ],
        id="msg_snapshot_round_1",
        created=CREATED + 1,
        model=MODEL,
        profile=PROFILE,
        usage=Usage(input_tokens=900, output_tokens=60),
        stop_reason="tool_use",
    )
    results = ChatMessage(
        role="user",
        content=[
            {"type": "tool_result", "tool_use_id": "toolu_snapshot_1", "content": TOOL_RESULT}
        ],
        id="msg_snapshot_results_1",
        created=CREATED + 2,
        reply_to="msg_snapshot_round_1",
    )
    second = ChatMessage(
        role="assistant",
        content=[{"type": "text", "text": TOOL_ANSWER}],
        id="msg_snapshot_round_2",
        created=CREATED + 3,
        model=MODEL,
        profile=PROFILE,
        usage=Usage(input_tokens=1_100, output_tokens=40),
        stop_reason="end_turn",
        reply_to="msg_snapshot_results_1",
        ttft_ms=500.0,
        duration_ms=900.0,
    )
    prompt = _prompt("msg_snapshot_tool_prompt", TOOL_PROMPT)
    return _save("snapshot-tools", [prompt, first, results, second])


def _save(session_id: str, messages: list[ChatMessage]) -> Session:
    return SessionStore().import_session(
        messages=messages,
        created=CREATED,
        session_id=session_id,
        settings=SessionSettings(profile=PROFILE, model=MODEL, thinking=4096),
    )


# -- the sessions sidebar ------------------------------------------------------------------------

SIDEBAR_NOW = CREATED + 3 * 86_400.0
"""What the sidebar's clock says in its snapshots: three days after the sessions began."""

SIDEBAR_SESSIONS = (
    # (id, title, prompt, reply, hours after CREATED of the last save)
    ("snapshot-eggs", "Boiling eggs", "How long do I boil an egg?", "Ten minutes in water.", 1),
    ("snapshot-rust", "Rust lifetimes", "Explain lifetimes.", "Borrowing rules explained.", 5),
    ("snapshot-trip", "Packing for a trip", "What do I pack?", "Bring socks and a towel.", 30),
)
"""Three saved sessions, oldest first; each was last saved at a fixed time."""

EXTRA_PROFILES: dict[str, dict[str, Any]] = {
    "backup": {
        "base_url": "https://backup.example.com/v1",
        "api_format": "openai",
        "api_key_env": "BACKUP_KEY",
        "model": "gpt-backup",
    },
    "anthropic": {
        "base_url": "https://api.anthropic.com",
        "api_key_env": "ANTHROPIC_API_KEY",
        "model": "claude-opus-4-5",
    },
}
"""Two more profiles for the profile picker and manager pictures (three with ``work``)."""


@contextmanager
def store_clock(at: float) -> Iterator[None]:
    """Make the session store, and the sessions it writes, stamp records with the time ``at``."""
    modules = (session_store, session)
    real = [module.time for module in modules]
    for module in modules:
        module.time = SimpleNamespace(time=lambda: at)  # type: ignore[assignment]
    try:
        yield
    finally:
        for module, clock in zip(modules, real, strict=True):
            module.time = clock  # type: ignore[assignment]


def save_sidebar_sessions() -> list[Session]:
    """The three :data:`SIDEBAR_SESSIONS`, saved at their fixed times (oldest first)."""
    saved = []
    for number, (session_id, title, prompt, reply, hours) in enumerate(SIDEBAR_SESSIONS):
        answer = ChatMessage(
            role="assistant",
            content=[{"type": "text", "text": reply}],
            id=f"msg_{session_id}_reply",
            created=CREATED + hours * 3600.0,
            model=MODEL,
            profile=PROFILE,
            stop_reason="end_turn",
        )
        with store_clock(CREATED + hours * 3600.0):
            saved.append(
                SessionStore().import_session(
                    messages=[_prompt(f"msg_{session_id}_prompt_{number}", prompt), answer],
                    title=title,
                    created=CREATED + hours * 3600.0 - 60.0,
                    session_id=session_id,
                    settings=SessionSettings(profile=PROFILE, model=MODEL, thinking=4096),
                )
            )
    return saved


def freeze_sidebar_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the sidebar's ages ("1d ago") count from :data:`SIDEBAR_NOW`, not the real clock."""
    monkeypatch.setattr(session_list, "time", SimpleNamespace(time=lambda: SIDEBAR_NOW))


def snapshot_app(config: Config, resume: str | None = None) -> ClaudeTuiApp:
    """The app on a new session, or on the saved session ``resume``."""
    return ClaudeTuiApp(config, profile_name=PROFILE, resume=resume)


async def steady_cursor(pilot: Pilot[Any]) -> None:
    """Stop the composer's cursor blinking, so the picture does not depend on the moment."""
    for area in pilot.app.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()


async def steady_inputs(pilot: Pilot[Any]) -> None:
    """Stop every input's cursor blinking on the current screen (a picker's filter, the
    sidebar's), as :func:`steady_cursor` does for the composer."""
    await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()
