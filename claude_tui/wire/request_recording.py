"""Filling in a :class:`RequestRecord` while an attempt runs, and masking its headers.

Kept apart from the client so the client reads as the retry loop it is: it only tells the
slot when the request left, when the answer came, each event, and how it ended.
"""

from __future__ import annotations

import time

from claude_tui.profiles.key_source import mask_key, redact
from claude_tui.wire.events import (
    CONTENT_EVENTS,
    MessageStarted,
    MessageStopped,
    StreamEvent,
    UsageUpdate,
)
from claude_tui.wire.request_record import RequestObserver, RequestRecord


class RecordSlot:
    """The record of one attempt while it runs: filled from its answer and events, then
    handed to the observer exactly once (also when the attempt is cancelled)."""

    def __init__(self) -> None:
        self.record: RequestRecord | None = None
        self._sent_at = 0.0
        self._error: str | None = None
        self._ended = False

    def start(self, record: RequestRecord) -> None:
        """The request is about to leave."""
        self.record = record
        self._sent_at = time.monotonic()

    def answered(self, status: int, request_id: str | None) -> None:
        """The answer's headers arrived."""
        if self.record is not None:
            self.record.status = status
            self.record.request_id = request_id
            self.record.latency_ms = self._elapsed_ms()

    def note(self, event: StreamEvent) -> None:
        """Take what the record keeps from one event: first content, usage, the end."""
        record = self.record
        if record is None:
            return
        if record.ttft_ms is None and isinstance(event, CONTENT_EVENTS):
            record.ttft_ms = self._elapsed_ms()
        if isinstance(event, MessageStarted | UsageUpdate):
            record.usage = event.usage
            if isinstance(event, MessageStarted) and event.request_id and not record.request_id:
                record.request_id = event.request_id
        elif isinstance(event, MessageStopped):
            self._ended = True

    def failed(self, error: str) -> None:
        """The attempt ended with ``error`` (already masked)."""
        self._error = error

    def finish(self, observer: RequestObserver | None) -> None:
        """Close the record and hand it over (nothing when the request never left)."""
        record = self.record
        if record is None or observer is None:
            return
        record.duration_ms = self._elapsed_ms()
        if self._error is not None:
            record.error = self._error
        elif not self._ended:
            record.error = "stopped before the reply ended"
        observer(record)

    def _elapsed_ms(self) -> float:
        return round((time.monotonic() - self._sent_at) * 1000, 1)


_SECRET_HEADER_WORDS = ("key", "token", "auth", "secret", "cookie", "session", "password")


def masked_headers(headers: dict[str, str], secrets: list[str]) -> dict[str, str]:
    """``headers`` safe to show and log: every known key masked, and the value of any header
    whose name suggests a secret (``x-api-key``, ``authorization``, ``x-relay-token``)
    masked whole."""
    masked: dict[str, str] = {}
    for name, value in headers.items():
        if any(word in name.lower() for word in _SECRET_HEADER_WORDS):
            scheme, _, rest = value.partition(" ")
            masked[name] = f"{scheme} {mask_key(rest)}" if rest else mask_key(value)
        else:
            masked[name] = redact(value, secrets)
    return masked
