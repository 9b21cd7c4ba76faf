"""Reading what an endpoint answered before any stream: error statuses and non-streams.

A relay answers errors in many shapes (the API's JSON, an nginx page, a reseller's JSON 200);
these helpers turn each into a typed :class:`ApiError` that quotes what arrived, reading at most
:data:`ERROR_BODY_LIMIT` bytes of it.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from claude_tui.wire.errors import ApiError, UnexpectedResponseError, error_for_status
from claude_tui.wire.retry_policy import parse_retry_after, parse_should_retry

ERROR_BODY_LIMIT = 64 * 1024
"""The most of an error answer's body that is read."""


def request_id_of(response: httpx.Response) -> str | None:
    """The ``request-id`` (or ``x-request-id``) the endpoint gave this answer."""
    value = response.headers.get("request-id") or response.headers.get("x-request-id")
    return str(value) if value else None


async def raise_for_answer(response: httpx.Response, request_id: str | None) -> None:
    """Turn an error status or a non-stream 200 into a typed error with what arrived."""
    if response.status_code >= 400:
        raw = await _read_some(response, ERROR_BODY_LIMIT)
        raise status_error(response, raw, request_id)
    content_type = response.headers.get("content-type", "")
    if "text/event-stream" not in content_type:
        raw = await _read_some(response, 200)
        raise unexpected_answer(response, raw, request_id)


def status_error(response: httpx.Response, raw: bytes, request_id: str | None) -> ApiError:
    """The typed error for an error status, with the body's message when it has one."""
    try:
        body: Any = json.loads(raw.decode("utf-8", "replace"))
    except ValueError:
        body = None
    error = error_for_status(
        response.status_code,
        body=body,
        request_id=request_id,
        retry_after=parse_retry_after(response.headers),
        should_retry=parse_should_retry(response.headers),
    )
    if body is None and raw:
        error.message += f"; the answer was not JSON: {_preview(raw)}"
    return error


def unexpected_answer(response: httpx.Response, raw: bytes, request_id: str | None) -> ApiError:
    """The error for a success status that is not an event stream."""
    content_type = response.headers.get("content-type", "") or "no content type"
    return UnexpectedResponseError(
        f"The endpoint answered {response.status_code} with {content_type} instead of an "
        f"event stream, beginning {_preview(raw)}: check the profile's base_url and api_format",
        status=response.status_code,
        request_id=request_id,
    )


async def _read_some(response: httpx.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def _preview(raw: bytes, limit: int = 120) -> str:
    text = " ".join(raw.decode("utf-8", "replace").split())
    return repr(text[:limit] + ("…" if len(text) > limit else ""))
