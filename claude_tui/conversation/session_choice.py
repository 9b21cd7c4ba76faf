"""Which session a command works on: new, the latest (``-c``) or a given one (``-r ID``).

Shared by print mode and the UI (launch, switching sessions) so both resume the same way;
it lives with the conversation, below both front-ends.
"""

from __future__ import annotations

from claude_tui.profiles import Config, Profile
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_errors import AmbiguousSessionId, SessionError, SessionNotFound
from claude_tui.sessions.session_store import SessionStore


class ResumeIdError(SessionError):
    """``-r ID`` names no session, or several: a mistake in the command line (exit 2), not
    a failure of the session files (exit 1)."""


def check_resume_id(store: SessionStore, resume: str | None) -> None:
    """Raise :class:`ResumeIdError` when ``-r ID`` matches no session or more than one.

    Checked before anything else happens, so print mode sends nothing and the app does
    not take over the screen only to say so in a toast.
    """
    if not resume:
        return
    try:
        store.resolve_id(resume)
    except (SessionNotFound, AmbiguousSessionId) as error:
        raise ResumeIdError(str(error)) from None


def choose_profile(config: Config, profile_name: str | None, session: Session | None) -> Profile:
    """An explicit --profile wins, then the session's own profile, then the default."""
    if profile_name:
        return config.profile(profile_name)
    if session is not None and session.profile in config.profiles:
        return config.profiles[session.profile]
    return config.profile(config.default_profile_name)


def open_session(
    store: SessionStore, *, continue_latest: bool, resume: str | None
) -> Session | None:
    """The session to resume, or None for a new one."""
    if resume:
        check_resume_id(store, resume)
        return store.open(resume)
    if continue_latest:
        latest = store.latest()
        if latest is None:
            # SessionNotFound wants an id that was asked for; -c asked for none.
            raise SessionError("There is no saved session to continue yet: start one first")
        return store.open(latest.id)
    return None
