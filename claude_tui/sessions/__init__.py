"""Saved conversations: one append-only JSON Lines file per session, plus a listing index.

``SessionStore`` is the entry point (create, open, list, fork, import, delete); a ``Session``
saves each change as it happens; ``transfer`` exports and imports Markdown and JSON.
"""

from claude_tui.sessions.session import Session, title_from_prompt
from claude_tui.sessions.session_errors import (
    AmbiguousSessionId,
    MessageNotFound,
    SessionError,
    SessionNotFound,
    SessionSaveError,
    SessionUnreadable,
)
from claude_tui.sessions.session_index import SessionSummary
from claude_tui.sessions.session_store import SessionStore
from claude_tui.sessions.skipped_file import SkippedFile, skipped_notice

__all__ = [
    "AmbiguousSessionId",
    "MessageNotFound",
    "Session",
    "SessionError",
    "SessionNotFound",
    "SessionSaveError",
    "SessionStore",
    "SessionSummary",
    "SessionUnreadable",
    "SkippedFile",
    "skipped_notice",
    "title_from_prompt",
]
