"""Failing over: which failures send a turn to the next ``fallback`` profile, and the
watch kept on one turn's requests while it does.

A relay user's second profile is there for when the first is down, throttled or out of
capacity. A turn goes on to the next profile only when nothing of the reply has arrived and
the failure says the endpoint, not the request, is the problem: a refused key or a bad
request would fail the same way anywhere, or is the user's to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claude_tui.wire import RequestRecord


class TurnRequests:
    """Watches one turn's requests: marks those after a failover, notes which key served
    the reply, and hands each record to the conversation's log."""

    def __init__(self, log: Callable[[RequestRecord], None]) -> None:
        self._log = log
        self.failover_from: str | None = None
        self.served_by: int | None = None

    def observe(self, record: RequestRecord) -> None:
        record.failover_from = self.failover_from
        if record.error is None and record.status == 200:
            self.served_by = record.key_position
        self._log(record)


def failover_reason(error: BaseException) -> str | None:
    """Why a turn that failed with ``error`` (before any reply arrived) goes to the next
    fallback profile, in a few words; None when it should not (a refused key or a bad
    request would fail the same way anywhere, or is the user's to fix)."""
    from claude_tui.wire import (
        ConnectionFailedError,
        OverloadedError,
        RateLimitError,
        ServerError,
    )

    if isinstance(error, OverloadedError):
        return "overloaded"
    if isinstance(error, RateLimitError):
        return "rate limited"
    if isinstance(error, ServerError):
        status = getattr(error, "status", None)
        return f"server error {status}" if status else "server error"
    if isinstance(error, ConnectionFailedError):
        return "connection failed"
    return None
