"""What ``claude-tui -p`` says on stderr while the profile's own rate limit holds a send.

The client reports the wait about once a second; a script's log should get one line when
the wait starts and one when the request leaves, not a line per second.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from claude_tui.wire import RateLimitWait, StreamEvent


class RateLimitNotice:
    """Turns the stream's :class:`RateLimitWait` events into at most two lines per wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._since: float | None = None

    def line_for(self, event: StreamEvent) -> str | None:
        """The stderr line ``event`` calls for (without the ``claude-tui:`` prefix), if any."""
        if isinstance(event, RateLimitWait):
            if self._since is not None:
                return None  # still the same wait
            self._since = self._clock()
            return f"{event.description} (Ctrl+C cancels)"
        if self._since is None:
            return None
        waited = self._clock() - self._since
        self._since = None
        return f"rate limit: waited {waited:.0f} s, sending now"
