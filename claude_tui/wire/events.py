"""Typed events that both wire clients yield, whatever the API format.

The UI and print mode consume only these, so a relay's format never leaks past ``wire``.
Block indexes are the positions of blocks in the finished message's ``content`` list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from claude_tui.chat_message import Usage
from claude_tui.wire.errors import ApiError


@dataclass(frozen=True, slots=True)
class MessageStarted:
    """The server accepted the request and began a reply."""

    message_id: str | None
    model: str | None
    usage: Usage
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class BlockStarted:
    """A content block opened at ``index``; ``block`` is its initial shape."""

    index: int
    block: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TextDelta:
    """More reply text for the text block at ``index``."""

    index: int
    text: str


@dataclass(frozen=True, slots=True)
class ThinkingDelta:
    """More thinking text for the thinking block at ``index``."""

    index: int
    thinking: str


@dataclass(frozen=True, slots=True)
class SignatureDelta:
    """The signature that seals the thinking block at ``index``."""

    index: int
    signature: str


@dataclass(frozen=True, slots=True)
class RedactedThinking:
    """An encrypted thinking block: opaque ``data`` to send back, nothing to show."""

    index: int
    data: str


@dataclass(frozen=True, slots=True)
class ToolInputDelta:
    """A fragment of a tool call's JSON input (parsed when the block stops)."""

    index: int
    partial_json: str


@dataclass(frozen=True, slots=True)
class ToolUse:
    """A complete tool call, emitted when its block stops."""

    index: int
    id: str
    name: str
    input: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CitationDelta:
    """A citation for the text block at ``index`` (a ``citations_delta``): where the text
    just streamed came from, e.g. ``{"type": "web_search_result_location", "url", "title",
    "cited_text"}``."""

    index: int
    citation: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BlockStopped:
    """The block at ``index`` is complete."""

    index: int


@dataclass(frozen=True, slots=True)
class UsageUpdate:
    """Cumulative usage so far: replaces, never adds to, earlier figures."""

    usage: Usage


@dataclass(frozen=True, slots=True)
class StopReason:
    """Why the model stopped (Anthropic names; OpenAI finish reasons are mapped)."""

    reason: str
    stop_sequence: str | None = None


@dataclass(frozen=True, slots=True)
class MessageStopped:
    """The reply finished cleanly."""


@dataclass(frozen=True, slots=True)
class Retrying:
    """A failed attempt will be retried after ``delay`` seconds.

    ``attempt`` counts from 1 up to ``max_retries`` so the UI can say
    "overloaded, retrying in 1.2 s (1/2)".
    """

    attempt: int
    max_retries: int
    delay: float
    error: ApiError

    @property
    def description(self) -> str:
        """One line for a status bar."""
        return (
            f"{self.error.short_reason}, retrying in {self.delay:.1f} s "
            f"({self.attempt}/{self.max_retries})"
        )


@dataclass(frozen=True, slots=True)
class KeyRefreshed:
    """A 401 made the key command run again before one more try."""


@dataclass(frozen=True, slots=True)
class KeyRested:
    """A key of the profile's pool was refused (401/403/429): it rests for ``rest_seconds``
    and the request goes again at once with the next key (positions are 1-based; a key's
    value is never in an event)."""

    position: int
    next_position: int
    status: int
    rest_seconds: float

    @property
    def description(self) -> str:
        """One line for a status bar."""
        return f"key {self.position} refused ({self.status}): trying key {self.next_position}"


@dataclass(frozen=True, slots=True)
class RateLimitWait:
    """The profile's own ``rpm``/``tpm`` budget is spent: the request waits ``seconds``
    more (repeated about once a second while it waits; Esc cancels)."""

    seconds: float
    limit: str
    """Which limit holds it back: ``"rpm"`` or ``"tpm"``."""

    @property
    def description(self) -> str:
        """One line for a status bar."""
        return f"rate limit ({self.limit}): sending in {max(1, round(self.seconds))} s"


@dataclass(frozen=True, slots=True)
class FailedOver:
    """The turn failed on ``from_profile`` before any reply arrived and goes, with the
    whole history, to ``to_profile`` (the first profile's ``fallback``)."""

    from_profile: str
    to_profile: str
    reason: str
    """What went wrong, short: ``overloaded``, ``rate limited``, ``server error 502``,
    ``connection failed``."""

    @property
    def description(self) -> str:
        """``overloaded on relay-a, sent to relay-b``: shown in the view and saved."""
        return f"{self.reason} on {self.from_profile}, sent to {self.to_profile}"


@dataclass(frozen=True, slots=True)
class StreamFailed:
    """The request failed for good; always the last event when it appears.

    Content that arrived before the failure stays valid: the accumulator marks the reply
    interrupted rather than discarding it.
    """

    error: ApiError
    partial: bool = field(default=False)


StreamEvent = (
    MessageStarted
    | BlockStarted
    | TextDelta
    | ThinkingDelta
    | SignatureDelta
    | RedactedThinking
    | ToolInputDelta
    | ToolUse
    | CitationDelta
    | BlockStopped
    | UsageUpdate
    | StopReason
    | MessageStopped
    | Retrying
    | KeyRefreshed
    | KeyRested
    | RateLimitWait
    | FailedOver
    | StreamFailed
)

CONTENT_EVENTS = (TextDelta, ThinkingDelta, RedactedThinking, ToolInputDelta, ToolUse)
"""Events that mean reply content has arrived: after one of these we never retry."""
