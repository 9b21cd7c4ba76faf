"""The demo relay's prompt cache: enough of Claude's to see caching work end to end.

A request's prompt (tools, system, messages, in that order) is read as a run of blocks; a
block marked ``cache_control`` is a breakpoint, and the prefix ending with it is keyed by a
digest of everything up to it (marks left out, since they move as a conversation grows).
The first request holding a prefix writes it (``cache_creation_input_tokens``); a later one
reads the longest prefix already written (``cache_read_input_tokens``), within its TTL. What
follows the last breakpoint is plain input. Tokens are the relay's own estimate (characters
/ 4, as for ``input_tokens``), and there is no minimum cacheable length, so a short demo
conversation shows reads from its second turn.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from claude_tui.demo.request_reading import string_chars

FIVE_MINUTES = 300.0
ONE_HOUR = 3600.0
MAX_BREAKPOINTS = 4
UNMARKABLE = frozenset({"thinking", "redacted_thinking"})
MAX_PREFIXES = 4096
"""Prefixes kept; the oldest go first (the demo runs for hours in a terminal)."""


@dataclass(frozen=True)
class CacheUsage:
    """How one request's prompt tokens divide between plain input and the cache."""

    input_tokens: int
    """After the last breakpoint (and everything, when nothing was read or written)."""
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    cache_creation_1h_input_tokens: int
    """Of the writes, those made with ``ttl: "1h"``."""

    def anthropic_fields(self) -> dict[str, Any]:
        """The usage fields of a Messages API ``message_start``."""
        one_hour = self.cache_creation_1h_input_tokens
        return {
            "input_tokens": self.input_tokens,
            "cache_creation_input_tokens": self.cache_creation_input_tokens,
            "cache_read_input_tokens": self.cache_read_input_tokens,
            "cache_creation": {
                "ephemeral_5m_input_tokens": self.cache_creation_input_tokens - one_hour,
                "ephemeral_1h_input_tokens": one_hour,
            },
        }

    def openai_details(self) -> dict[str, int]:
        """``prompt_tokens_details`` as OpenRouter reports it for Claude."""
        return {
            "cached_tokens": self.cache_read_input_tokens,
            "cache_write_tokens": self.cache_creation_input_tokens,
        }


@dataclass(frozen=True)
class _Breakpoint:
    chars: int
    """Characters of content up to and including the marked block."""
    digest: str
    ttl: float


class PrefixCache:
    """Prefixes written by earlier requests to one relay, with their expiry times."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()

    def usage(self, body: Mapping[str, Any], total_tokens: int) -> CacheUsage | None:
        """Answer ``body``'s breakpoints against the cache and write its prefixes; None
        when the request has no breakpoint (the cache is then not involved at all)."""
        breakpoints = list(_breakpoints(body))
        if not breakpoints:
            return None
        now = self._clock()
        read_chars = 0
        for point in breakpoints:
            expiry = self._expiry.get(point.digest)
            if expiry is not None and expiry > now:
                read_chars = max(read_chars, point.chars)
        read = _tokens(read_chars)
        written = written_1h = 0
        done = read_chars
        for point in sorted(breakpoints, key=lambda p: p.chars):
            if point.chars > done:
                segment = _tokens(point.chars) - _tokens(done)
                written += segment
                written_1h += segment if point.ttl == ONE_HOUR else 0
                done = point.chars
        for point in breakpoints:
            self._remember(point.digest, now + point.ttl)
        cached = min(read + written, total_tokens)
        return CacheUsage(
            input_tokens=max(total_tokens - cached, 0),
            cache_creation_input_tokens=written,
            cache_read_input_tokens=read,
            cache_creation_1h_input_tokens=written_1h,
        )

    def _remember(self, digest: str, expiry: float) -> None:
        self._expiry[digest] = max(expiry, self._expiry.get(digest, 0.0))
        self._expiry.move_to_end(digest)
        while len(self._expiry) > MAX_PREFIXES:
            self._expiry.popitem(last=False)


def breakpoint_problem(body: Mapping[str, Any]) -> str | None:
    """Why Claude would refuse ``body``'s ``cache_control`` marks with a 400, or None."""
    count = 0
    for _role, block in _prompt_blocks(body):
        if not isinstance(block, Mapping) or block.get("cache_control") is None:
            continue
        count += 1
        kind = block.get("type")
        if kind in UNMARKABLE:
            return f"{kind}.cache_control: Extra inputs are not permitted"
        if kind == "text" and not str(block.get("text", "")).strip():
            return "cache_control cannot be set for empty text blocks"
    if count > MAX_BREAKPOINTS:
        return (
            f"A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. "
            f"Found {count}."
        )
    return None


def _tokens(chars: int) -> int:
    return chars // 4


def _breakpoints(body: Mapping[str, Any]) -> Iterator[_Breakpoint]:
    """Each marked block of ``body`` in prompt order, with the prefix it closes."""
    digest = hashlib.sha256()
    chars = 0
    for role, block in _prompt_blocks(body):
        unmarked = block
        control = None
        if isinstance(block, Mapping):
            control = block.get("cache_control")
            unmarked = {k: v for k, v in block.items() if k != "cache_control"}
        digest.update(json.dumps([role, unmarked], sort_keys=True, default=str).encode())
        chars += string_chars(unmarked)
        if isinstance(control, Mapping):
            ttl = ONE_HOUR if control.get("ttl") == "1h" else FIVE_MINUTES
            yield _Breakpoint(chars, digest.copy().hexdigest(), ttl)


def _prompt_blocks(body: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """``(role, block)`` for tools, system and messages in the order Claude caches them;
    string content counts as one block."""
    tools = body.get("tools")
    if isinstance(tools, list):
        for tool in tools:
            yield "tool", tool
    system = body.get("system")
    if isinstance(system, str):
        yield "system", system
    elif isinstance(system, list):
        for block in system:
            yield "system", block
    messages = body.get("messages")
    if not isinstance(messages, list):
        return
    for message in messages:
        if not isinstance(message, Mapping):
            continue
        role = str(message.get("role"))
        content = message.get("content")
        if isinstance(content, list):
            for block in content:
                yield role, block
        else:
            yield role, content
