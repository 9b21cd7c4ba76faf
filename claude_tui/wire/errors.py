"""Typed errors for everything that can go wrong talking to an endpoint.

Each error carries one sentence a user can act on (``str(error)``), plus what support
staff need: HTTP status, the API's error type, and the request-id. Catch :class:`ApiError`
for all of them, or a subclass for one kind.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Base of every wire failure; ``str()`` is the sentence shown to the user."""

    #: Short phrase for status lines ("overloaded", "rate limited").
    short_reason = "request failed"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_type: str | None = None,
        request_id: str | None = None,
        server_message: str | None = None,
        retry_after: float | None = None,
        should_retry: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_type = error_type
        self.request_id = request_id
        self.server_message = server_message
        self.retry_after = retry_after
        #: The server's explicit ``x-should-retry`` verdict, when it sent one.
        self.should_retry = should_retry

    def __str__(self) -> str:
        text = self.message
        if self.request_id:
            text += f" (request-id {self.request_id})"
        return text

    def details(self) -> dict[str, Any]:
        """Fields for an error card or a session record."""
        return {
            "status": self.status,
            "type": self.error_type,
            "request_id": self.request_id,
            "server_message": self.server_message,
        }


class HttpStatusError(ApiError):
    """The endpoint answered with an HTTP error status."""


class BadRequestError(HttpStatusError):
    """400: the request was malformed or not allowed for this model."""

    short_reason = "bad request"


class AuthenticationError(HttpStatusError):
    """401: missing or wrong key."""

    short_reason = "key rejected"


class BillingError(HttpStatusError):
    """402: the account cannot pay for the request."""

    short_reason = "billing problem"


class PermissionDeniedError(HttpStatusError):
    """403: the key may not use this model or endpoint."""

    short_reason = "permission denied"


class NotFoundError(HttpStatusError):
    """404: wrong base URL, path or model."""

    short_reason = "not found"


class ConflictError(HttpStatusError):
    """409: a transient conflict; retried."""

    short_reason = "conflict"


class RequestTooLargeError(HttpStatusError):
    """413: the conversation is too large for the endpoint."""

    short_reason = "request too large"


class RateLimitError(HttpStatusError):
    """429: too many requests or tokens; retried after the server's delay."""

    short_reason = "rate limited"


class ServerError(HttpStatusError):
    """500-range answers other than overloaded."""

    short_reason = "server error"


class OverloadedError(ServerError):
    """529 (or an ``overloaded_error`` event): the API is busy."""

    short_reason = "overloaded"


class RequestTimeoutError(HttpStatusError):
    """408 / 504: the server gave up waiting."""

    short_reason = "timed out"


class ConnectionFailedError(ApiError):
    """No connection could be made, or it broke before the reply began."""

    short_reason = "connection failed"


class StreamInterruptedError(ApiError):
    """The reply stopped mid-way: connection cut, idle timeout, or an error event."""

    short_reason = "interrupted"


class ReplyTimeoutError(StreamInterruptedError):
    """No bytes for longer than the idle timeout, or the whole reply took too long."""

    short_reason = "timed out"


class StreamErrorEvent(StreamInterruptedError):
    """The server sent an ``error`` event inside a 200 stream."""


class RedirectRefusedError(ApiError):
    """The endpoint redirected where the client will not follow (another origin, a loop)."""

    short_reason = "redirect refused"


class CrossOriginRedirectError(RedirectRefusedError):
    """A redirect to another scheme, host or port: following it would hand over the key."""


class UnexpectedResponseError(ApiError):
    """A 200 answer that is not an event stream (an HTML page, plain JSON...)."""

    short_reason = "unexpected answer"


class MalformedStreamError(ApiError):
    """The event stream held data that is not the protocol (bad JSON, wrong shapes)."""

    short_reason = "malformed stream"


class StreamTooLargeError(MalformedStreamError):
    """A line or event passed the reader's size cap (``sse_reader``); not retried."""

    short_reason = "stream too large"


class KeyUnavailableError(ApiError):
    """The profile's key could not be read (missing env var, failing key command)."""

    short_reason = "no key"


class CancelledReply(ApiError):
    """The user stopped the reply (Esc / Ctrl+C): not a failure, but ends the stream."""

    short_reason = "stopped"


_STATUS_CLASSES: dict[int, type[HttpStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: BillingError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: RequestTimeoutError,
    409: ConflictError,
    413: RequestTooLargeError,
    429: RateLimitError,
    504: RequestTimeoutError,
    529: OverloadedError,
}

_TYPE_CLASSES: dict[str, type[HttpStatusError]] = {
    "invalid_request_error": BadRequestError,
    "authentication_error": AuthenticationError,
    "billing_error": BillingError,
    "permission_error": PermissionDeniedError,
    "not_found_error": NotFoundError,
    "conflict_error": ConflictError,
    "request_too_large": RequestTooLargeError,
    "rate_limit_error": RateLimitError,
    "api_error": ServerError,
    "timeout_error": RequestTimeoutError,
    "overloaded_error": OverloadedError,
}

_ADVICE: dict[type[ApiError], str] = {
    BadRequestError: "The endpoint rejected the request",
    AuthenticationError: (
        "The endpoint rejected the API key: check the profile's key source "
        "(api_key_env, api_key_command or api_key) and its auth style"
    ),
    BillingError: "The account behind this key cannot pay for the request: check its billing",
    PermissionDeniedError: "This key is not allowed to use that model or endpoint",
    NotFoundError: "The endpoint answered 404: check the profile's base_url and model name",
    ConflictError: "The endpoint reported a conflict; try again",
    RequestTooLargeError: (
        "The conversation is too large for this endpoint: start a new session or lower "
        "max_messages / context_window in the profile"
    ),
    RateLimitError: "Rate limited: wait a moment and retry, or switch profile",
    ServerError: "The endpoint had an internal error; retry in a moment",
    OverloadedError: "The API is overloaded right now; retry in a moment or switch profile",
    RequestTimeoutError: "The endpoint timed out; retry, or raise the profile's timeout",
}


def error_for_status(
    status: int,
    *,
    body: Any = None,
    request_id: str | None = None,
    retry_after: float | None = None,
    should_retry: bool | None = None,
) -> HttpStatusError:
    """Build the typed error for an HTTP error answer (Anthropic or OpenAI body shape)."""
    error_type, server_message, spend_limit = _parse_error_body(body)
    cls = _STATUS_CLASSES.get(status)
    if cls is None and error_type in _TYPE_CLASSES:
        cls = _TYPE_CLASSES[error_type]
    if cls is None:
        cls = ServerError if status >= 500 else HttpStatusError
    advice = _ADVICE.get(cls, f"The endpoint answered HTTP {status}")
    message = f"{advice} (HTTP {status}"
    message += f", {error_type})" if error_type else ")"
    if server_message:
        message += f": {_clip(server_message)}"
    if spend_limit:
        message += ". The spend limit is reached: retrying will not help until it is raised"
        should_retry = False
    if not request_id and isinstance(body, dict):
        rid = body.get("request_id")
        request_id = rid if isinstance(rid, str) else None
    return cls(
        message,
        status=status,
        error_type=error_type,
        request_id=request_id,
        server_message=server_message,
        retry_after=retry_after,
        should_retry=should_retry,
    )


def error_for_event(payload: Any, *, request_id: str | None = None) -> StreamErrorEvent:
    """Build the error for an ``error`` event that arrived inside a 200 stream."""
    error_type, server_message, _ = _parse_error_body(payload)
    cls = _TYPE_CLASSES.get(error_type or "")
    reason = cls.short_reason if cls else "error"
    message = f"The reply was interrupted by the server ({error_type or 'error'}"
    message += f": {_clip(server_message)})" if server_message else ")"
    message += "; what arrived is kept, and you can continue or retry"
    error = StreamErrorEvent(
        message, error_type=error_type, request_id=request_id, server_message=server_message
    )
    error.short_reason = reason
    return error


def _parse_error_body(body: Any) -> tuple[str | None, str | None, bool]:
    """(error type, server message, spend-limit flag) from either API's error JSON."""
    if not isinstance(body, dict):
        return None, None, False
    inner = body.get("error")
    if isinstance(inner, str):
        return None, inner, False
    if not isinstance(inner, dict):
        return None, None, False
    error_type = inner.get("type") if isinstance(inner.get("type"), str) else None
    code = inner.get("code")
    if error_type is None and isinstance(code, str):
        error_type = code
    message = inner.get("message") if isinstance(inner.get("message"), str) else None
    details = inner.get("details")
    spend = (
        isinstance(details, dict) and details.get("error_code") == "enforced_spend_limit_reached"
    )
    return error_type, message, spend


def _clip(text: str, limit: int = 300) -> str:
    """Keep server messages to a readable length on one line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
