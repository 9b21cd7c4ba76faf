"""A session's usage in buckets of (local day, profile, model): what the usage index keeps.

A bucket sums the token counts of the replies that fall in it and keeps its few largest
replies, so that the report can flag a reply past a profile's ``alert_tokens`` without
opening the session. Every version of a regenerated reply counts: each one was paid for.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from claude_tui.chat_message import ChatMessage, Usage

TOP_REPLIES = 3
"""How many of a bucket's largest replies it remembers (for the alerts)."""


class BigReply(NamedTuple):
    """One of a bucket's largest replies: its tokens, when it was made and its id."""

    tokens: int
    created: float
    message_id: str


@dataclass(slots=True)
class UsageBucket:
    """Token counts of the replies of one (local day, profile, model)."""

    day: str
    """``YYYY-MM-DD`` in local time, when the replies were made."""
    profile: str
    model: str
    replies: int = 0
    input: int = 0
    """Uncached prompt tokens."""
    output: int = 0
    cache_read: int = 0
    cache_write: int = 0
    cache_write_1h: int = 0
    """Of ``cache_write``, those written with the 1-hour TTL (priced higher)."""
    top: list[BigReply] = field(default_factory=list)
    """The largest replies, most tokens first, at most :data:`TOP_REPLIES`."""

    def add(self, usage: Usage, created: float, message_id: str) -> None:
        """Count one reply."""
        self.replies += 1
        self.input += usage.input_tokens
        self.output += usage.output_tokens
        self.cache_read += usage.cache_read_input_tokens
        self.cache_write += usage.cache_creation_input_tokens
        self.cache_write_1h += usage.cache_creation_1h_input_tokens
        tokens = reply_tokens(usage)
        top = self.top
        if len(top) < TOP_REPLIES or tokens > top[-1].tokens:
            top.append(BigReply(tokens, created, message_id))
            top.sort(key=lambda reply: reply.tokens, reverse=True)
            del top[TOP_REPLIES:]

    def usage(self) -> Usage:
        """The bucket's counts as one :class:`Usage` (to price them)."""
        return Usage(
            input_tokens=self.input,
            output_tokens=self.output,
            cache_creation_input_tokens=self.cache_write,
            cache_read_input_tokens=self.cache_read,
            cache_creation_1h_input_tokens=self.cache_write_1h,
        )

    def to_json(self) -> list[Any]:
        """A compact list for ``usage.jsonl`` (10,000 sessions' worth is read at once)."""
        return [
            self.day,
            self.profile,
            self.model,
            self.replies,
            self.input,
            self.output,
            self.cache_read,
            self.cache_write,
            self.cache_write_1h,
            [list(reply) for reply in self.top],
        ]

    @classmethod
    def from_json(cls, data: object) -> UsageBucket | None:
        """The inverse of :meth:`to_json`; None for anything else (a hand edit). Runs once
        per session for a report of 10,000: exact type checks, no generators."""
        if type(data) is not list or len(data) != 10:
            return None
        day, profile, model, replies, input, output, read, write, write_1h, top = data
        if not (type(day) is str and type(profile) is str and type(model) is str):
            return None
        if not (
            type(replies) is int
            and type(input) is int
            and type(output) is int
            and type(read) is int
            and type(write) is int
            and type(write_1h) is int
            and type(top) is list
        ):
            return None
        biggest: list[BigReply] = []
        for item in top:
            if type(item) is list and len(item) == 3:
                tokens, created, message_id = item
                if type(tokens) is int and isinstance(created, (int, float)):
                    biggest.append(BigReply(tokens, float(created), str(message_id)))
        return cls(day, profile, model, replies, input, output, read, write, write_1h, biggest)


def reply_tokens(usage: Usage) -> int:
    """A reply's tokens as the alerts count them: every prompt token (cached or not) and
    the output, which is what the reply cost the context and, roughly, the wallet."""
    return usage.total_input_tokens + usage.output_tokens


def local_day(timestamp: float) -> str:
    """``YYYY-MM-DD`` of ``timestamp`` in local time."""
    return datetime.datetime.fromtimestamp(timestamp).date().isoformat()


def session_buckets(
    messages: Iterable[ChatMessage], *, profile: str, model: str
) -> list[UsageBucket]:
    """The buckets of one session's replies; ``profile`` and ``model`` are the session's,
    for replies saved without their own."""
    buckets: dict[tuple[str, str, str], UsageBucket] = {}

    def count(usage: Usage, created: float, who: str | None, what: str | None, mid: str) -> None:
        key = (local_day(created), who or profile, what or model)
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = UsageBucket(*key)
        bucket.add(usage, created, mid)

    for message in messages:
        if message.role != "assistant":
            continue
        if message.usage is not None:
            count(message.usage, message.created, message.profile, message.model, message.id)
        for version in message.versions:
            usage = _version_usage(version)
            if usage is not None:
                created = version.get("created")
                when = float(created) if isinstance(created, (int, float)) else message.created
                count(
                    usage,
                    when,
                    _text(version.get("profile")) or message.profile,
                    _text(version.get("model")) or message.model,
                    message.id,
                )
    return list(buckets.values())


def _version_usage(version: Mapping[str, Any]) -> Usage | None:
    raw = version.get("usage")
    return Usage.from_json(raw) if isinstance(raw, dict) and raw else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
