"""Errors the session store raises, in a hierarchy callers can catch at the level they need.

Catch :class:`SessionError` for "anything went wrong with saved sessions"; catch the
subclasses to tell the user precisely what to do. Every message is a sentence a user can act
on, because the UI and the CLI show it as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class SessionError(Exception):
    """Base class for every error raised by the sessions layer."""


class SessionNotFound(SessionError, LookupError):
    """No saved session has the id (or id prefix) the user asked for."""

    def __init__(self, query: str, root: Path) -> None:
        self.query = query
        self.root = root
        super().__init__(
            f"No saved session matches {query!r} in {root}. "
            "List the saved sessions to see their ids."
        )


class AmbiguousSessionId(SessionError, LookupError):
    """An id prefix matches more than one session; the user must type more of it."""

    def __init__(self, query: str, candidates: Sequence[tuple[str, str | None]]) -> None:
        self.query = query
        self.candidates = [session_id for session_id, _ in candidates]
        shown = ", ".join(
            f"{session_id} ({title})" if title else session_id
            for session_id, title in candidates[:10]
        )
        more = f" and {len(candidates) - 10} more" if len(candidates) > 10 else ""
        super().__init__(
            f"{query!r} matches {len(candidates)} sessions: {shown}{more}. "
            "Type more characters of the id."
        )


class SessionUnreadable(SessionError):
    """A session file exists but cannot be loaded; it is left exactly as it is."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"Cannot load the session file {path}: {reason}. The file was left untouched; "
            "move it out of the sessions folder, or repair it by hand, to make this go away."
        )


class MessageNotFound(SessionError, LookupError):
    """A message id given to a session operation is not in that session."""

    def __init__(self, session_id: str, message_id: str) -> None:
        self.session_id = session_id
        self.message_id = message_id
        super().__init__(f"Session {session_id} has no message with id {message_id!r}.")
