"""RetryPolicy and the header parsers: which failures are retried, and after how long."""

from __future__ import annotations

import email.utils

import pytest

from claude_tui.wire.errors import (
    ApiError,
    AuthenticationError,
    CancelledReply,
    ConnectionFailedError,
    KeyUnavailableError,
    MalformedStreamError,
    ReplyTimeoutError,
    StreamInterruptedError,
    UnexpectedResponseError,
    error_for_event,
    error_for_status,
)
from claude_tui.wire.retry_policy import RetryPolicy, parse_retry_after, parse_should_retry


def status_error(
    status: int, *, retry_after: float | None = None, should_retry: bool | None = None
) -> ApiError:
    return error_for_status(status, retry_after=retry_after, should_retry=should_retry)


def decide(error: ApiError, *, retries_done: int = 0, content_arrived: bool = False) -> bool:
    return RetryPolicy(max_retries=2).should_retry(
        error, retries_done=retries_done, content_arrived=content_arrived
    )


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 520, 529])
def test_retryable_statuses(status: int) -> None:
    assert decide(status_error(status))


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 413, 422])
def test_non_retryable_statuses(status: int) -> None:
    assert not decide(status_error(status))


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_should_retry_header_true_wins(status: int) -> None:
    assert decide(status_error(status, should_retry=True))


@pytest.mark.parametrize("status", [408, 429, 500, 529])
def test_should_retry_header_false_wins(status: int) -> None:
    assert not decide(status_error(status, should_retry=False))


@pytest.mark.parametrize(
    "error",
    [
        ConnectionFailedError("no route"),
        ReplyTimeoutError("idle"),
        StreamInterruptedError("cut before content"),
        error_for_event({"error": {"type": "overloaded_error", "message": "Overloaded"}}),
    ],
    ids=["connect", "timeout", "interrupted", "error-event"],
)
def test_connection_problems_before_content_are_retried(error: ApiError) -> None:
    assert decide(error)


@pytest.mark.parametrize(
    "error",
    [
        MalformedStreamError("bad json"),
        UnexpectedResponseError("html page"),
        KeyUnavailableError("no key"),
        CancelledReply("stopped"),
        AuthenticationError("401 without a status"),
        ApiError("something else"),
    ],
    ids=["malformed", "unexpected", "no-key", "cancelled", "auth", "base"],
)
def test_protocol_and_user_problems_are_not_retried(error: ApiError) -> None:
    assert not decide(error)


@pytest.mark.parametrize(
    "error",
    [status_error(529), status_error(500, should_retry=True), ConnectionFailedError("x")],
    ids=["529", "forced", "connect"],
)
def test_never_after_content_arrived(error: ApiError) -> None:
    assert decide(error, content_arrived=False)
    assert not decide(error, content_arrived=True)


def test_max_retries_respected() -> None:
    policy = RetryPolicy(max_retries=3)
    error = status_error(529)
    verdicts = [policy.should_retry(error, retries_done=n, content_arrived=False) for n in range(6)]
    assert verdicts == [True, True, True, False, False, False]
    assert not RetryPolicy(max_retries=0).should_retry(error, retries_done=0, content_arrived=False)
    # an explicit x-should-retry: true does not lift the limit
    forced = status_error(400, should_retry=True)
    assert not policy.should_retry(forced, retries_done=3, content_arrived=False)


def test_spend_limit_429_is_not_retried() -> None:
    body = {
        "type": "error",
        "error": {
            "type": "rate_limit_error",
            "message": "spend limit",
            "details": {"error_code": "enforced_spend_limit_reached"},
        },
    }
    assert not decide(error_for_status(429, body=body))


# -- delay ------------------------------------------------------------------------------------


def fixed(value: float) -> RetryPolicy:
    return RetryPolicy(random_source=lambda: value)


@pytest.mark.parametrize("hint", [0.001, 0.25, 1.0, 59.9, 60.0])
def test_delay_uses_server_hint_in_range(hint: float) -> None:
    assert fixed(0.5).delay(status_error(429, retry_after=hint), retries_done=1) == hint


@pytest.mark.parametrize("hint", [0.0, -3.0, 60.5, 3600.0, float("nan"), float("inf")])
def test_delay_ignores_hint_out_of_range(hint: float) -> None:
    assert fixed(0.0).delay(status_error(429, retry_after=hint), retries_done=0) == 0.5


@pytest.mark.parametrize(
    ("retries_done", "base"),
    [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0), (10, 8.0)],
)
def test_backoff_doubles_and_caps_at_eight(retries_done: int, base: float) -> None:
    error = status_error(529)
    assert fixed(0.0).delay(error, retries_done=retries_done) == pytest.approx(base)
    assert fixed(1.0).delay(error, retries_done=retries_done) == pytest.approx(base * 0.75)
    assert fixed(0.5).delay(error, retries_done=retries_done) == pytest.approx(base * 0.875)


def test_jitter_stays_in_range_with_the_real_random() -> None:
    policy = RetryPolicy()
    error = ConnectionFailedError("x")
    for n in range(5):
        base = min(0.5 * 2**n, 8.0)
        for _ in range(50):
            assert base * 0.75 <= policy.delay(error, retries_done=n) <= base


# -- headers ----------------------------------------------------------------------------------


def test_retry_after_ms_first() -> None:
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "30"}) == 1.5


def test_retry_after_header_names_are_case_insensitive() -> None:
    assert parse_retry_after({"Retry-After-Ms": "250"}) == 0.25
    assert parse_retry_after({"Retry-After": "7"}) == 7.0


def test_retry_after_seconds() -> None:
    assert parse_retry_after({"retry-after": "2"}) == 2.0
    assert parse_retry_after({"retry-after": "0.5"}) == 0.5


def test_bad_retry_after_ms_falls_back_to_retry_after() -> None:
    assert parse_retry_after({"retry-after-ms": "soon", "retry-after": "3"}) == 3.0


def test_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 12, usegmt=True)
    assert parse_retry_after({"retry-after": date}, now=now) == pytest.approx(12.0)


def test_retry_after_http_date_in_the_past_is_negative_so_ignored() -> None:
    now = 1_700_000_000.0
    date = email.utils.formatdate(now - 100, usegmt=True)
    hint = parse_retry_after({"retry-after": date}, now=now)
    assert hint is not None and hint < 0
    assert fixed(0.0).delay(status_error(503, retry_after=hint), retries_done=0) == 0.5


@pytest.mark.parametrize("value", ["", "soon", "Wed, 99 Foo", "1,5"])
def test_unreadable_retry_after_is_none(value: str) -> None:
    assert parse_retry_after({"retry-after": value}) is None


def test_no_retry_headers() -> None:
    assert parse_retry_after({}) is None
    assert parse_retry_after({"content-type": "application/json"}) is None


@pytest.mark.parametrize(
    ("value", "verdict"),
    [("true", True), ("false", False), ("maybe", None), ("", None), ("TRUE", None)],
)
def test_parse_should_retry(value: str, verdict: bool | None) -> None:
    assert parse_should_retry({"X-Should-Retry": value}) is verdict


def test_parse_should_retry_absent() -> None:
    assert parse_should_retry({}) is None
