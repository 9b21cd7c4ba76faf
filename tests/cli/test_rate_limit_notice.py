"""Print mode's stderr lines for a rate-limit wait: one when it starts, one when it ends."""

from __future__ import annotations

from claude_tui.cli.rate_limit_notice import RateLimitNotice
from claude_tui.wire import MessageStopped, RateLimitWait, TextDelta


def test_a_wait_reported_every_second_makes_two_lines() -> None:
    now = [100.0]
    notice = RateLimitNotice(clock=lambda: now[0])
    lines = []
    for seconds in (12.0, 11.0, 10.0, 2.0, 1.0):
        lines.append(notice.line_for(RateLimitWait(seconds, "tpm")))
        now[0] += 1.0
    now[0] += 7.0
    lines.append(notice.line_for(TextDelta(0, "Hello")))
    lines.append(notice.line_for(MessageStopped()))
    assert [line for line in lines if line is not None] == [
        "rate limit (tpm): sending in 12 s (Ctrl+C cancels)",
        "rate limit: waited 12 s, sending now",
    ]


def test_a_second_wait_in_the_same_reply_is_said_again() -> None:
    notice = RateLimitNotice(clock=lambda: 0.0)
    assert notice.line_for(RateLimitWait(3.0, "rpm")) is not None
    assert notice.line_for(TextDelta(0, "x")) is not None
    assert notice.line_for(RateLimitWait(3.0, "rpm")) is not None
