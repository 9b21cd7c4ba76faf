"""JSON GETs beside the chat API (a relay's billing pages), sent as the profile's chat is.

A relay's balance lives at its own paths, but the request must carry the key exactly as
``ChatClient`` sends it (the profile's ``auth_header`` or auth style, its extra ``headers``
and user agent, its proxy and TLS settings), and the key must never reach another host: a URL
off the profile's origin is refused before anything is sent, and redirects are followed only
within the origin (``redirect_guard``). Failures are the wire layer's typed ``ApiError``\\ s
with any key the server quoted back masked.
"""

from __future__ import annotations

from typing import Any

import httpx

from claude_tui.profiles.errors import KeySourceError
from claude_tui.profiles.key_source import KeySource
from claude_tui.profiles.profile import Profile
from claude_tui.wire.error_answers import request_id_of, status_error
from claude_tui.wire.errors import (
    ApiError,
    ConnectionFailedError,
    KeyUnavailableError,
    RequestTimeoutError,
    UnexpectedResponseError,
)
from claude_tui.wire.profile_http import profile_http_client
from claude_tui.wire.redirect_guard import origin_of, origin_text, send_same_origin
from claude_tui.wire.request_headers import build_headers

READ_TIMEOUT = 20.0
"""Seconds a billing page may take to answer: it is a small JSON document, not a reply."""


class ProfileGet:
    """GETs JSON documents from one profile's origin with its key. Reuse it for a few calls,
    then :meth:`aclose` it (or use ``async with``)."""

    def __init__(
        self,
        profile: Profile,
        *,
        key_source: KeySource | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.profile = profile
        self.key_source = key_source or KeySource(profile)
        self._origin = origin_of(httpx.URL(profile.base_url))
        self._http = profile_http_client(
            profile, transport=transport, read_timeout=min(READ_TIMEOUT, profile.idle_timeout)
        )

    async def aclose(self) -> None:
        """Close pooled connections."""
        await self._http.aclose()

    async def __aenter__(self) -> ProfileGet:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def json(self, url: str) -> Any:
        """The JSON document at ``url`` (on the profile's origin).

        Raises ``NotFoundError`` for a 404 (and the other status errors for theirs),
        ``UnexpectedResponseError`` for a success that is not JSON, ``ConnectionFailedError``,
        ``RequestTimeoutError``, ``KeyUnavailableError`` or a refused redirect.
        """
        target = httpx.URL(url)
        if origin_of(target) != self._origin:
            raise ApiError(
                f"{origin_text(target)} is not the origin of profile "
                f'"{self.profile.name}" ({self.profile.base_url}); its key was not sent there'
            )
        headers = {"accept": "application/json", **await self._auth_headers()}
        outgoing = self._http.build_request("GET", target, headers=headers)
        try:
            response = await send_same_origin(
                self._http, outgoing, stream=False, base_url=self.profile.base_url
            )
        except httpx.TimeoutException:
            raise RequestTimeoutError(
                f"{url} did not answer within {READ_TIMEOUT:g} s; try again later"
            ) from None
        except httpx.HTTPError as exc:
            raise ConnectionFailedError(
                f"Could not reach {url} ({exc.__class__.__name__}): check the profile's "
                "base_url, your network or proxy"
            ) from None
        except ApiError as exc:  # a refused redirect quotes addresses the relay chose
            raise self._scrubbed(exc) from None
        request_id = request_id_of(response)
        if response.status_code >= 400:
            raise self._scrubbed(status_error(response, response.content, request_id))
        try:
            return response.json()
        except ValueError:
            content_type = response.headers.get("content-type", "") or "no content type"
            raise UnexpectedResponseError(
                f"{url} answered {response.status_code} with {content_type}, not JSON",
                status=response.status_code,
                request_id=request_id,
            ) from None

    async def _auth_headers(self) -> dict[str, str]:
        try:
            key = await self.key_source.aget()
        except KeySourceError as exc:
            raise KeyUnavailableError(str(exc)) from exc
        # The one header builder chat requests use: the key travels the same way.
        headers = build_headers(self.profile, key)
        headers.pop("content-type", None)  # a GET carries no body
        return headers

    def _scrubbed(self, error: ApiError) -> ApiError:
        error.message = self.key_source.redact(error.message)
        if error.server_message:
            error.server_message = self.key_source.redact(error.server_message)
        return error
