"""One source for "how full is the context": the status bar's figure and ``/context``'s total.

Both read the same report (:func:`context_report`) and the same endpoint counts
(:class:`TokenCountCache`), so the bar and the view never disagree. The bar asks often (once
a second), so the meter rebuilds its figure only when the conversation changed (a reply
ended, a message was edited or deleted, another profile, model or system prompt) and asks
the endpoint only then, never while a reply streams and never for a pane just opened (a
resumed session is shown with its estimate until something happens in it, so opening the
app contacts no endpoint by itself).

Counting is a coroutine the UI runs in a worker: the figure shows the estimate (marked as
one) until the count arrives.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from claude_tui.conversation.context_report import (
    NEXT_PROMPT_PLACEHOLDER,
    ContextReport,
    context_report,
)
from claude_tui.conversation.token_count_cache import (
    COUNTING,
    NO_COUNT_ROUTE,
    NOT_COUNTED,
    TokenCount,
    TokenCountCache,
    count_key,
    counted,
    estimated,
)

if TYPE_CHECKING:
    from claude_tui.conversation.conversation import Conversation
    from claude_tui.profiles.profile import Profile
    from claude_tui.wire import ChatClient


@dataclass(frozen=True, slots=True)
class ContextFigure:
    """The status bar's context figure: input tokens of the next request, of ``window``."""

    tokens: int
    window: int
    estimated: bool


@dataclass(slots=True)
class _Reading:
    """The meter's last look at one conversation."""

    fingerprint: tuple[Any, ...]
    report: ContextReport | None  # None for an empty conversation (no report needed)
    estimate: int
    key: str | None
    count_due: bool


class ContextMeter:
    """Context figures per conversation, and the endpoint counts behind them."""

    def __init__(self, counts: TokenCountCache | None = None) -> None:
        self.counts = counts or TokenCountCache()
        self._readings: weakref.WeakKeyDictionary[Conversation, _Reading] = (
            weakref.WeakKeyDictionary()
        )

    # -- the status bar ----------------------------------------------------------------------

    def figure(self, conversation: Conversation, *, streaming: bool = False) -> ContextFigure:
        """The figure to show now: the endpoint's count of the next request where it gave
        one, else the estimate. Cheap when nothing changed (a look at the messages)."""
        reading = self._readings.get(conversation)
        if reading is None or (not streaming and reading.fingerprint != _fingerprint(conversation)):
            reading = self._read(conversation, first=reading is None)
            self._readings[conversation] = reading
        window = conversation.profile.context_window
        if reading.key is not None and self.counts.known(reading.key):
            answer = self.counts.answer(reading.key)
            if answer is not None:
                return ContextFigure(answer, window, estimated=False)
        return ContextFigure(reading.estimate, window, estimated=True)

    def count_due(self, conversation: Conversation) -> bool:
        """Whether the figure just made should be counted by the endpoint; True once per
        change (the caller then runs :meth:`count_figure`)."""
        reading = self._readings.get(conversation)
        if reading is None or not reading.count_due:
            return False
        reading.count_due = False
        return True

    async def count_figure(self, conversation: Conversation) -> bool:
        """Ask the endpoint to count the figure's request; True when that changed the figure
        (the caller redraws)."""
        reading = self._readings.get(conversation)
        if reading is None or reading.key is None or reading.report is None:
            return False
        answer = await self._ask(conversation, reading.key, reading.report)
        return answer is not None

    def saw_empty(self, conversation: Conversation) -> None:
        """``conversation`` was shown empty before this meter existed (the app makes it on
        first use, after launch): its next change is counted, as if the meter had looked."""
        if conversation not in self._readings:
            self._readings[conversation] = _Reading(("empty",), None, 0, None, count_due=False)

    # -- /context ----------------------------------------------------------------------------

    def report(self, conversation: Conversation, next_prompt: str = "") -> ContextReport:
        """What the next request would carry with ``next_prompt`` (the composer's text)."""
        return context_report(conversation, next_prompt)

    def first_count(self, conversation: Conversation, report: ContextReport) -> TokenCount:
        """What the view shows at once: a known count, else the estimate and what comes."""
        key = count_key(conversation.profile, report.request)
        if key is None:
            return estimated(report.estimated_input, NO_COUNT_ROUTE)
        if self.counts.known(key):
            return self._from_answer(self.counts.answer(key), report)
        return estimated(report.estimated_input, COUNTING)

    async def count(self, conversation: Conversation, report: ContextReport) -> TokenCount:
        """The endpoint's count of ``report``'s request (cached by content), else the
        estimate with the reason."""
        key = count_key(conversation.profile, report.request)
        if key is None:
            return estimated(report.estimated_input, NO_COUNT_ROUTE)
        return self._from_answer(await self._ask(conversation, key, report), report)

    # -- inside ------------------------------------------------------------------------------

    def _from_answer(self, answer: int | None, report: ContextReport) -> TokenCount:
        if answer is None:
            return estimated(report.estimated_input, NOT_COUNTED)
        return counted(answer)

    async def _ask(self, conversation: Conversation, key: str, report: ContextReport) -> int | None:
        if self.counts.known(key):
            return self.counts.answer(key)
        client = await _client_for(conversation)
        return await self.counts.count(key, report.request, client)

    def _read(self, conversation: Conversation, *, first: bool) -> _Reading:
        fingerprint = _fingerprint(conversation)
        if not conversation.session.messages:
            # Nothing said yet: the system prompt and the next message's placeholder, worked
            # out without building a request (this runs before the first frame).
            from claude_tui.wire import estimate_first_request_tokens

            system = conversation.settings.system
            estimate = estimate_first_request_tokens(system, NEXT_PROMPT_PLACEHOLDER)
            return _Reading(fingerprint, None, estimate, None, count_due=False)
        report = context_report(conversation)
        key = count_key(conversation.profile, report.request)
        return _Reading(
            fingerprint,
            report,
            report.estimated_input,
            key,
            count_due=not first and key is not None and not self.counts.known(key),
        )


def _fingerprint(conversation: Conversation) -> tuple[Any, ...]:
    """What the next request depends on, cheaply compared: the profile, the settings and
    each message's identity, state, shown version and number of blocks (a message's text
    changes only while it streams, and the meter does not look then)."""
    messages = conversation.session.messages
    return (
        id(conversation.session),
        conversation.profile,
        conversation.settings,
        tuple((m.id, m.status, m.version, len(m.content)) for m in messages),
    )


async def _client_for(conversation: Conversation) -> ChatClient:
    """The conversation's client, with the network stack loaded (and the demo relay
    started) in a thread first, so the event loop does none of it."""
    profile = conversation.profile
    await asyncio.to_thread(_load_network, profile)
    return conversation.pool.client(profile)


def _load_network(profile: Profile) -> None:
    from claude_tui.conversation.endpoint_pool import live_profile
    from claude_tui.wire import ChatClient, shared_ssl_context

    del ChatClient  # imported for its import cost only
    shared_ssl_context()
    live_profile(profile)
