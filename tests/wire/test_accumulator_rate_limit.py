"""A reply held back by the profile's own rate limit: the wait is not the endpoint's latency,
and stopping it says nothing was sent."""

from __future__ import annotations

import pytest

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.wire import accumulator
from claude_tui.wire.accumulator import MessageAccumulator
from claude_tui.wire.events import BlockStarted, MessageStopped, RateLimitWait, TextDelta


class Clock:
    now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(accumulator, "time", fake)
    return fake


def test_time_to_first_token_leaves_out_the_rate_limit_wait(clock: Clock) -> None:
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    for seconds in (3.0, 2.0, 1.0, 0.4):  # the client asks again after min(1, seconds)
        acc.apply(RateLimitWait(seconds, "rpm"))
        clock.now += min(1.0, seconds)
    clock.now += 0.25  # the endpoint takes a quarter of a second to answer
    acc.apply(BlockStarted(0, {"type": "text", "text": ""}))
    acc.apply(TextDelta(0, "Hi"))
    clock.now += 0.5
    acc.apply(MessageStopped())
    assert message.ttft_ms == 250.0
    assert message.duration_ms == 750.0


def test_stopping_during_the_wait_says_nothing_was_sent(clock: Clock) -> None:
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    acc.apply(RateLimitWait(30.0, "tpm"))
    acc.stop()  # Esc, half a second into the one-second pause
    assert message.status is MessageStatus.INTERRUPTED
    assert message.error is not None and "nothing was sent" in message.error
    assert message.duration_ms == 0.0


def test_stopping_after_the_wait_is_an_ordinary_stop(clock: Clock) -> None:
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    acc.apply(RateLimitWait(1.0, "rpm"))
    acc.apply(BlockStarted(0, {"type": "text", "text": ""}))
    acc.apply(TextDelta(0, "Hi"))
    acc.stop()
    assert message.error == "Stopped by you; what arrived is kept"
