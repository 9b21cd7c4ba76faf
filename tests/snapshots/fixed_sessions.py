"""Saved sessions with fixed content, and the app that opens them, for stable snapshots.

Everything a snapshot shows comes from here: texts, ids, times, usage and model are all
constants, and nothing streams, so the pictures depend only on the code that draws them.
"""

from __future__ import annotations

from typing import Any

import tomli_w
from textual.pilot import Pilot
from textual.widgets import TextArea

from claude_tui import paths
from claude_tui.chat_message import ChatMessage, MessageStatus, Usage
from claude_tui.profiles import Config, load_config
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp

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


def write_config(theme: str | None = None) -> Config:
    """A config with one relay profile (never contacted: nothing is sent) and a theme."""
    data: dict[str, Any] = {
        "default_profile": PROFILE,
        "profiles": {
            PROFILE: {
                "base_url": "https://relay.example.com",
                "auth": "none",
                "model": MODEL,
                "thinking": 4096,
            }
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


def _save(session_id: str, messages: list[ChatMessage]) -> Session:
    return SessionStore().import_session(
        messages=messages,
        profile=PROFILE,
        model=MODEL,
        thinking="4096",
        created=CREATED,
        session_id=session_id,
    )


def snapshot_app(config: Config, resume: str | None = None) -> ClaudeTuiApp:
    """The app on a new session, or on the saved session ``resume``."""
    return ClaudeTuiApp(config, profile_name=PROFILE, resume=resume)


async def steady_cursor(pilot: Pilot[Any]) -> None:
    """Stop the composer's cursor blinking, so the picture does not depend on the moment."""
    for area in pilot.app.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()
