"""When to retry a failed request and how long to wait: the official SDK's rules, plus
retrying a stream that failed before any content arrived.

Kept free of I/O so every rule is unit-tested with plain values.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from claude_tui.wire.errors import (
    ApiError,
    AuthenticationError,
    ConnectionFailedError,
    HttpStatusError,
    ReplyTimeoutError,
    StreamInterruptedError,
)

RETRYABLE_STATUSES = frozenset({408, 409, 429})
MAX_SERVER_DELAY = 60.0
INITIAL_DELAY = 0.5
MAX_BACKOFF = 8.0


@dataclass
class RetryPolicy:
    """Decides ``should_retry`` and ``delay`` for attempt ``n`` (0-based retries so far)."""

    max_retries: int = 2
    random_source: Callable[[], float] = field(default=random.random)

    def should_retry(self, error: ApiError, *, retries_done: int, content_arrived: bool) -> bool:
        """True when another attempt may fix ``error``.

        Never once reply content has arrived: the user would see text twice or lose it.
        """
        if content_arrived or retries_done >= self.max_retries:
            return False
        if error.should_retry is not None:
            return error.should_retry
        if isinstance(error, AuthenticationError):
            return False  # the key refresh path handles 401 separately
        if isinstance(error, HttpStatusError) and error.status is not None:
            return error.status in RETRYABLE_STATUSES or error.status >= 500
        # A stream that broke before any content, a connect error, a timeout: safe to retry.
        return isinstance(error, (ConnectionFailedError, ReplyTimeoutError, StreamInterruptedError))

    def delay(self, error: ApiError, *, retries_done: int) -> float:
        """Seconds to wait before the next attempt: the server's hint, else backoff."""
        hinted = error.retry_after
        if hinted is not None and 0 < hinted <= MAX_SERVER_DELAY:
            return hinted
        backoff = min(INITIAL_DELAY * 2 ** min(retries_done, 16), MAX_BACKOFF)
        return float(backoff * (1 - 0.25 * self.random_source()))


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait: ``retry-after-ms`` first, then ``retry-after``
    as seconds or an HTTP date. None when absent or unreadable."""
    lowered = {k.lower(): v for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis is not None:
        try:
            return float(millis) / 1000.0
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    parsed = email.utils.parsedate_to_datetime(value) if _looks_like_date(value) else None
    if parsed is None:
        return None
    return parsed.timestamp() - (time.time() if now is None else now)


def parse_should_retry(headers: Mapping[str, str]) -> bool | None:
    """The server's ``x-should-retry`` verdict, if it gave one."""
    value = {k.lower(): v for k, v in headers.items()}.get("x-should-retry")
    if value == "true":
        return True
    if value == "false":
        return False
    return None


def _looks_like_date(value: str) -> bool:
    try:
        email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return False
    return True
