"""The hook a client-side rate limiter plugs into: asked before every request leaves.

:class:`ChatClient` asks its gate (when it has one) before each attempt and waits, telling
the caller with :class:`RateLimitWait` events, until the gate lets the request go. The gate
itself (token buckets shared across processes) lives in ``claude_tui.rate_limits``; the wire
layer knows only this protocol.
"""

from __future__ import annotations

from typing import Protocol

from claude_tui.profiles.profile import Profile


class GateWait(Protocol):
    """Why and how long a request must wait."""

    seconds: float
    limit: str


class RequestGate(Protocol):
    """Decides when a request to a profile may leave."""

    def reserve(self, profile: Profile, tokens: int) -> tuple[float, str]:
        """Take one request and ``tokens`` (the estimated input) from ``profile``'s budget
        and return ``(0.0, "")``; or, when that would pass ``rpm``/``tpm``, take nothing and
        return ``(seconds to wait before asking again, "rpm" | "tpm")``."""
        ...

    def charge(self, profile: Profile, tokens: int) -> None:
        """Count ``tokens`` more against ``profile``'s ``tpm`` (a reply's output, known only
        once it ended; may push the budget below zero, so the next request waits)."""
        ...
