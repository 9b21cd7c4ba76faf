"""error_for_status / error_for_event: typed errors with a message a user can act on."""

from __future__ import annotations

from typing import Any

import pytest

from claude_tui.wire.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    BillingError,
    ConflictError,
    HttpStatusError,
    NotFoundError,
    OverloadedError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    RequestTooLargeError,
    ServerError,
    StreamErrorEvent,
    StreamInterruptedError,
    error_for_event,
    error_for_status,
)


def anthropic_body(error_type: str, message: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"type": error_type, "message": message, **extra},
        "request_id": "req_body",
    }


WIRE_STATUSES = [
    (400, "invalid_request_error", BadRequestError),
    (401, "authentication_error", AuthenticationError),
    (402, "billing_error", BillingError),
    (403, "permission_error", PermissionDeniedError),
    (404, "not_found_error", NotFoundError),
    (409, "conflict_error", ConflictError),
    (413, "request_too_large", RequestTooLargeError),
    (429, "rate_limit_error", RateLimitError),
    (500, "api_error", ServerError),
    (504, "timeout_error", RequestTimeoutError),
    (529, "overloaded_error", OverloadedError),
]


@pytest.mark.parametrize(("status", "error_type", "cls"), WIRE_STATUSES)
def test_every_documented_status_maps_to_its_class(
    status: int, error_type: str, cls: type[HttpStatusError]
) -> None:
    error = error_for_status(
        status,
        body=anthropic_body(error_type, "Server says no."),
        request_id="req_hdr",
        retry_after=1.5,
    )
    assert type(error) is cls
    assert isinstance(error, HttpStatusError) and isinstance(error, ApiError)
    assert error.status == status
    assert error.error_type == error_type
    assert error.server_message == "Server says no."
    assert error.request_id == "req_hdr"  # the header wins over the body
    assert error.retry_after == 1.5
    text = str(error)
    for part in (f"HTTP {status}", error_type, "Server says no.", "req_hdr"):
        assert part in text
    assert "\n" not in text
    assert error.details() == {
        "status": status,
        "type": error_type,
        "request_id": "req_hdr",
        "server_message": "Server says no.",
    }


@pytest.mark.parametrize(("status", "error_type", "cls"), WIRE_STATUSES)
def test_status_alone_picks_the_class(
    status: int, error_type: str, cls: type[HttpStatusError]
) -> None:
    error = error_for_status(status)
    assert type(error) is cls
    assert error.error_type is None
    assert f"HTTP {status})" in str(error)


def test_408_is_a_timeout() -> None:
    assert type(error_for_status(408)) is RequestTimeoutError


@pytest.mark.parametrize("status", [501, 502, 503, 520, 599])
def test_other_5xx_are_server_errors(status: int) -> None:
    assert type(error_for_status(status)) is ServerError


def test_unmapped_status_uses_body_type() -> None:
    error = error_for_status(422, body=anthropic_body("invalid_request_error", "bad"))
    assert type(error) is BadRequestError
    assert error.status == 422


def test_unknown_status_and_type_is_a_plain_status_error() -> None:
    error = error_for_status(418, body=anthropic_body("teapot_error", "short and stout"))
    assert type(error) is HttpStatusError
    assert "HTTP 418" in str(error) and "teapot_error" in str(error)
    assert "short and stout" in str(error)


def test_status_wins_over_a_contradicting_body_type() -> None:
    error = error_for_status(529, body=anthropic_body("api_error", "busy"))
    assert type(error) is OverloadedError


def test_request_id_from_body_when_no_header() -> None:
    error = error_for_status(500, body=anthropic_body("api_error", "oops"))
    assert error.request_id == "req_body"
    assert "(request-id req_body)" in str(error)


def test_no_request_id_means_no_mention() -> None:
    assert "request-id" not in str(error_for_status(400))


def test_messages_say_what_to_do() -> None:
    assert "key" in str(error_for_status(401))
    assert "base_url" in str(error_for_status(404))
    assert "overloaded" in str(error_for_status(529)).lower()


def test_spend_limit_429_should_not_retry() -> None:
    body = anthropic_body(
        "rate_limit_error",
        "You have reached your spend limit",
        details={"error_code": "enforced_spend_limit_reached"},
    )
    error = error_for_status(429, body=body, should_retry=True)
    assert isinstance(error, RateLimitError)
    assert error.should_retry is False
    assert "spend limit" in str(error)


def test_plain_429_keeps_the_header_verdict() -> None:
    assert error_for_status(429, should_retry=None).should_retry is None
    assert error_for_status(429, should_retry=True).should_retry is True


def test_openai_error_body_shape() -> None:
    body = {
        "error": {
            "message": "Incorrect API key provided",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    error = error_for_status(401, body=body, request_id="req_oa")
    assert isinstance(error, AuthenticationError)
    assert error.error_type == "invalid_request_error"
    assert error.server_message == "Incorrect API key provided"
    assert "Incorrect API key provided" in str(error) and "req_oa" in str(error)


def test_openai_error_with_code_but_no_type() -> None:
    error = error_for_status(429, body={"error": {"message": "slow down", "code": "rate_limit"}})
    assert error.error_type == "rate_limit"
    assert error.server_message == "slow down"


def test_error_as_plain_string() -> None:
    error = error_for_status(502, body={"error": "Bad gateway from upstream"})
    assert error.server_message == "Bad gateway from upstream"
    assert "Bad gateway from upstream" in str(error)


@pytest.mark.parametrize(
    "body",
    [
        None,
        "text",
        [1, 2],
        {},
        {"error": None},
        {"error": 5},
        {"error": {"type": 1, "message": []}},
    ],
    ids=["none", "str", "list", "empty", "null", "int", "wrong-types"],
)
def test_odd_bodies_do_not_break(body: Any) -> None:
    error = error_for_status(503, body=body)
    assert type(error) is ServerError
    assert error.error_type is None and error.server_message is None
    assert "HTTP 503" in str(error)


def test_long_multiline_server_message_is_clipped_to_one_line() -> None:
    message = "line one\nline two\n" + "x" * 2000
    error = error_for_status(400, body=anthropic_body("invalid_request_error", message))
    text = str(error)
    assert "\n" not in text
    assert "line one line two" in text
    assert len(text) < 600
    assert text.endswith("… (request-id req_body)")
    assert error.server_message == message  # details keep the whole thing


def test_error_event() -> None:
    error = error_for_event(
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
        request_id="req_ev",
    )
    assert isinstance(error, StreamErrorEvent)
    assert isinstance(error, StreamInterruptedError)
    assert error.error_type == "overloaded_error"
    assert error.short_reason == "overloaded"
    assert error.status is None
    text = str(error)
    assert "overloaded_error" in text and "Overloaded" in text and "req_ev" in text
    assert "kept" in text


def test_error_event_short_reason_is_per_instance() -> None:
    api = error_for_event({"error": {"type": "api_error", "message": "x"}})
    unknown = error_for_event({"error": {"type": "weird_error"}})
    assert api.short_reason == "server error"
    assert unknown.short_reason == "error"
    assert StreamErrorEvent.short_reason == StreamInterruptedError.short_reason


@pytest.mark.parametrize("payload", [None, [], "x", {}, {"error": "boom"}])
def test_error_event_with_odd_payload(payload: Any) -> None:
    error = error_for_event(payload)
    assert isinstance(error, StreamErrorEvent)
    assert str(error)
