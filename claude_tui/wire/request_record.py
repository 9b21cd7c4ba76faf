"""What one HTTP request to a model endpoint did: the request log's row.

:class:`ChatClient` makes one record per attempt (a retry, a key switch and a failover are
each a request of their own) and hands it to the ``observer`` its caller gave. The record
never holds a key: headers are masked when the record is made, and ``key_variable`` names
where the key comes from so that a copied curl command can say ``$RELAY_KEY`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from claude_tui.chat_message import Usage


@dataclass(slots=True)
class RequestRecord:
    """One request and its answer, filled in as the attempt goes."""

    profile: str
    """The profile the request went through."""
    method: str
    url: str
    started: float
    """Wall-clock time it was sent (``time.time()``)."""
    request_headers: dict[str, str]
    """Headers as sent, with any key or secret-bearing value masked."""
    body_bytes: int
    """Size of the JSON body sent."""
    attempt: int = 1
    """1 for the first try on this profile, 2 and on for its retries and key switches."""
    key_position: int | None = None
    """1-based position of the key in the profile's pool (``api_keys``/``api_key_commands``),
    1 for a single key, None when no key is sent."""
    key_variable: str | None = None
    """What a copied curl command puts where the key goes: ``$RELAY_KEY`` for a key from an
    environment variable, else ``$API_KEY``; None when no key is sent."""
    auth_header: str | None = None
    """The header that carries the key (``x-api-key``, ``authorization``, or a custom one)."""
    status: int | None = None
    """HTTP status, None when no answer came (connection refused, timeout)."""
    request_id: str | None = None
    latency_ms: float | None = None
    """From sending to the answer's headers."""
    ttft_ms: float | None = None
    """From sending to the first reply content (text, thinking, tool input)."""
    duration_ms: float | None = None
    """From sending to the end of the answer (or of the attempt)."""
    error: str | None = None
    """What went wrong, as the user was told (keys masked); None for a completed reply."""
    usage: Usage | None = None
    """Tokens the endpoint reported for this request, if any."""
    failover_from: str | None = None
    """Set on the requests of a turn that failed over: the profile it failed on first."""
    session_id: str | None = None
    """The session the request was made for (set by the conversation)."""
    body: str | None = field(default=None, repr=False)
    """The JSON body as sent, kept for "copy as curl" (may be large; never written by
    :meth:`to_json`); None once :func:`keep_recent_bodies` let it go."""
    body_forgotten: bool = False
    """Whether the body was let go to bound memory (the record is kept without it)."""

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON object (a ``--debug-log`` line), without the body."""
        data: dict[str, Any] = {
            "time": self.started,
            "profile": self.profile,
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "latency_ms": self.latency_ms,
            "ttft_ms": self.ttft_ms,
            "duration_ms": self.duration_ms,
            "attempt": self.attempt,
            "retries": self.attempt - 1,
            "failover_from": self.failover_from,
            "request_id": self.request_id,
            "key_position": self.key_position,
            "body_bytes": self.body_bytes,
            "request_headers": dict(self.request_headers),
            "error": self.error,
            "usage": self.usage.to_json() if self.usage is not None else None,
            "session_id": self.session_id,
        }
        return data


BODY_BUDGET = 64 * 1024 * 1024
"""Characters of request bodies a log keeps for "copy as curl", newest first. Every request
re-sends the whole history, attachments included, so a long session with images would
otherwise hold a copy of them per request."""


def keep_recent_bodies(log: list[RequestRecord], budget: int = BODY_BUDGET) -> None:
    """Let go of the bodies of ``log``'s older records past ``budget`` characters in all
    (the newest record always keeps its own); call it after appending a record."""
    kept = 0
    for number, record in enumerate(reversed(log)):
        if record.body is None:
            if record.body_forgotten:
                return  # everything older was let go already
            continue
        kept += len(record.body)
        if kept > budget and number > 0:
            record.body = None
            record.body_forgotten = True


RequestObserver = Callable[[RequestRecord], None]
"""Called once per request when its attempt ends (answered, failed or cancelled)."""
