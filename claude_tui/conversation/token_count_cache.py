"""The endpoint's own count of a request's input tokens, asked once per content.

``POST /v1/messages/count_tokens`` answers exactly what a request would cost, but it is a
network round trip: the status bar refreshes every second and ``/context`` may be opened
again and again. So counts are kept by a hash of what is counted (the profile, the URL and
the count body): the same content is asked about once, and any change (a new reply,
another model, an edited system prompt) is a new question.

Asking goes through :meth:`claude_tui.wire.ChatClient.count_tokens`, so it carries the
profile's key, follows only same-origin redirects and never raises for API trouble: where
the endpoint does not count (the OpenAI format, a relay without the route, offline) the
caller shows its estimate and says so.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claude_tui.profiles.profile import Profile
    from claude_tui.wire import ChatClient, ChatRequest

COUNT_TIMEOUT = 15.0
"""Seconds a count may take before the estimate stands (the view is never kept waiting:
it shows the estimate from the start)."""

MAX_ENTRIES = 256

ESTIMATE_METHOD = "about 4 characters a token"


@dataclass(frozen=True, slots=True)
class TokenCount:
    """A request's input tokens and how they were come by.

    ``counted``: True when the endpoint counted them, False for the local estimate;
    ``how`` says which, in words for the user, and ``why`` why there is no count.
    """

    tokens: int
    counted: bool
    how: str
    why: str = ""


def counted(tokens: int) -> TokenCount:
    """A count the endpoint gave."""
    return TokenCount(tokens, True, "counted by the endpoint (count_tokens)")


def estimated(tokens: int, why: str) -> TokenCount:
    """The local estimate, with the reason there is no count (``why``)."""
    return TokenCount(tokens, False, f"estimated ({ESTIMATE_METHOD})", why)


NO_COUNT_ROUTE = "the OpenAI format has no token-counting endpoint"
NOT_COUNTED = "the endpoint did not count it (no count_tokens route, or unreachable)"
COUNTING = "asking the endpoint for an exact count…"


def count_key(profile: Profile, request: ChatRequest) -> str | None:
    """The cache key of ``request``'s count at ``profile``: a hash of what the count call
    sends, so equal content shares one answer. None where the format cannot count."""
    import hashlib
    import json

    from claude_tui.wire import api_format_of

    call = api_format_of(profile).count_tokens_call(profile.base_url, request)
    if call is None:
        return None
    url, body = call
    text = json.dumps([profile.name, url, body], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class TokenCountCache:
    """Endpoint counts by content hash, with one call in flight per content.

    A count the endpoint refused is remembered too (as None), so a relay without the route
    is not asked again about the same content; a count that timed out is not remembered,
    so the next change of view asks again.
    """

    def __init__(self, *, timeout: float = COUNT_TIMEOUT, max_entries: int = MAX_ENTRIES) -> None:
        self.timeout = timeout
        self.max_entries = max_entries
        self._answers: OrderedDict[str, int | None] = OrderedDict()
        self._pending: dict[str, asyncio.Future[int | None]] = {}
        self.calls = 0
        """How many count calls went to an endpoint (for tests and curiosity)."""

    def known(self, key: str) -> bool:
        """Whether the endpoint already answered about this content."""
        return key in self._answers

    def answer(self, key: str) -> int | None:
        """The endpoint's count for this content; None when it did not count it or was not
        asked yet (see :meth:`known`)."""
        found = self._answers.get(key)
        if key in self._answers:
            self._answers.move_to_end(key)
        return found

    async def count(self, key: str, request: ChatRequest, client: ChatClient) -> int | None:
        """The endpoint's count of ``request`` (whose key is ``key``), asked only when this
        content was not asked about before; None when the endpoint does not count it."""
        if key in self._answers:
            return self.answer(key)
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._ask(key, request, client))
            self._pending[key] = pending
        # shield: one caller giving up (a closed view) must not cancel the others' answer
        return await asyncio.shield(pending)

    async def _ask(self, key: str, request: ChatRequest, client: ChatClient) -> int | None:
        self.calls += 1
        try:
            async with asyncio.timeout(self.timeout):
                tokens = await client.count_tokens(request)
        except TimeoutError:
            return None  # not remembered: a slow moment is no refusal
        finally:
            self._pending.pop(key, None)
        self._answers[key] = tokens
        while len(self._answers) > self.max_entries:
            self._answers.popitem(last=False)
        return tokens
