"""The one streaming interface over both API formats: HTTP, retries and key refresh.

``ChatClient(profile).stream(request)`` yields :mod:`~claude_tui.wire.events` and never
raises for API trouble: a failure is the last event (:class:`StreamFailed`), so callers keep
whatever arrived before it. Closing the iterator (Esc in the UI) closes the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

import httpx

from claude_tui.profiles.errors import KeySourceError
from claude_tui.profiles.key_pool import REST_AFTER_RATE_LIMIT, REST_AFTER_REFUSAL, KeyPool
from claude_tui.profiles.key_source import KeySource
from claude_tui.profiles.profile import Profile
from claude_tui.wire.api_format import ApiFormat, api_format_of
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.error_answers import (
    raise_for_answer,
    request_id_of,
    status_error,
    unexpected_answer,
)
from claude_tui.wire.errors import (
    ApiError,
    AuthenticationError,
    ConnectionFailedError,
    KeyUnavailableError,
    ReplyTimeoutError,
    StreamInterruptedError,
    UnexpectedResponseError,
)
from claude_tui.wire.events import (
    KeyRefreshed,
    KeyRested,
    RateLimitWait,
    Retrying,
    StreamEvent,
    StreamFailed,
)
from claude_tui.wire.profile_http import profile_http_client
from claude_tui.wire.redirect_guard import send_same_origin
from claude_tui.wire.reply_deadlines import (
    AttemptProgress,
    ReaderFactory,
    ReplyLimits,
    reply_events,
)
from claude_tui.wire.request_gate import RequestGate
from claude_tui.wire.request_headers import auth_header_name, build_headers
from claude_tui.wire.request_record import RequestObserver, RequestRecord
from claude_tui.wire.request_recording import RecordSlot, masked_headers
from claude_tui.wire.retry_policy import RetryPolicy
from claude_tui.wire.server_tools import explain_rejected_server_tool
from claude_tui.wire.sse_reader import SseReader
from claude_tui.wire.token_estimate import estimate_request_tokens

Sleep = Callable[[float], Awaitable[None]]


class ChatClient:
    """Talks to one profile's endpoint. Reuse it: it holds the connection pool.

    What differs between the API formats (URLs, bodies, headers, the stream parser) is asked
    of :attr:`api_format`, chosen once from the profile. Redirects are followed only within
    the profile's origin (``redirect_guard``), so the key never reaches another host.

    Every attempt is a request of its own: it waits for the ``gate`` (the profile's
    ``rpm``/``tpm``), takes the next key of the profile's pool, and ends as one
    :class:`RequestRecord` handed to the caller's observer.
    """

    #: Builds the SSE reader of each reply (tests replace it to watch the reader's buffer).
    reader_factory: ReaderFactory = SseReader

    def __init__(
        self,
        profile: Profile,
        *,
        key_source: KeySource | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry_policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        gate: RequestGate | None = None,
    ) -> None:
        self.profile = profile
        self.api_format: ApiFormat = api_format_of(profile)
        self.keys = KeyPool(profile, first=key_source)
        self.key_source = self.keys.source(1)
        """The first (for most profiles the only) key's source."""
        self.retry_policy = retry_policy or RetryPolicy(max_retries=profile.max_retries)
        self.gate = gate
        self._sleep = sleep
        # Per key position, so a 401 refreshes only the key that failed.
        self._last_key: dict[int, str] = {}
        self._http = profile_http_client(profile, transport=transport)

    async def aclose(self) -> None:
        """Close pooled connections."""
        await self._http.aclose()

    async def __aenter__(self) -> ChatClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- streaming -------------------------------------------------------------------------

    async def stream(
        self, request: ChatRequest, *, observer: RequestObserver | None = None
    ) -> AsyncGenerator[StreamEvent, None]:
        """Events of one reply, with retries reported as :class:`Retrying` events, key
        switches as :class:`KeyRested` and waits for the rate limit as
        :class:`RateLimitWait`. ``observer`` gets each attempt's record when it ends."""
        retries_done = 0
        attempts = 0
        key_refreshed = False
        key_switches = 0
        waited = 0.0
        started = time.monotonic()
        while True:
            async for wait in self._wait_for_gate(request):
                yield wait
                waited += min(1.0, wait.seconds)
            # Waiting for the client's own rate limit is not the endpoint being slow.
            deadline = started + waited + self.profile.timeout
            attempts += 1
            position = self.keys.take()
            attempt = AttemptProgress()
            record = RecordSlot()
            try:
                # aclosing: when our caller stops early (Esc), the connection closes now,
                # not whenever the inner generator is garbage-collected.
                async with contextlib.aclosing(
                    self._attempt(request, attempt, deadline, position, attempts, record)
                ) as events:
                    async for event in events:
                        record.note(event)
                        yield event
                self._charge_output(record)
                return
            except ApiError as exc:
                error = self._scrubbed(exc)
                record.failed(str(error))
            finally:
                record.finish(observer)
            status = error.status
            if (
                self.keys.is_pool
                and status in (401, 403, 429)
                and not attempt.content_arrived
                and key_switches < self.keys.size - 1
            ):
                rest = (error.retry_after or REST_AFTER_RATE_LIMIT) if status == 429 else None
                self.keys.rest(position, rest or REST_AFTER_REFUSAL)
                if self.keys.any_awake():
                    key_switches += 1
                    yield KeyRested(position, self.keys.peek(), status, rest or REST_AFTER_REFUSAL)
                    continue
            source = self.keys.source(position)
            if (
                isinstance(error, AuthenticationError)
                and source.profile.api_key_command is not None
                and not key_refreshed
                and not attempt.content_arrived
            ):
                key_refreshed = True
                source.invalidate(self._last_key.get(position))
                yield KeyRefreshed()
                continue
            if self.retry_policy.should_retry(
                error, retries_done=retries_done, content_arrived=attempt.content_arrived
            ):
                delay = self.retry_policy.delay(error, retries_done=retries_done)
                if time.monotonic() + delay > deadline:
                    yield StreamFailed(error, partial=False)  # no time left for another try
                    return
                retries_done += 1
                yield Retrying(retries_done, self.retry_policy.max_retries, delay, error)
                await self._sleep(delay)
                continue
            yield StreamFailed(error, partial=attempt.content_arrived)
            return

    async def _wait_for_gate(self, request: ChatRequest) -> AsyncGenerator[RateLimitWait, None]:
        """Wait, a second at a time, until the profile's rate limit lets a request go."""
        gate = self.gate
        profile = self.profile
        if gate is None or not (profile.rpm or profile.tpm):
            return
        tokens = estimate_request_tokens([m.to_api() for m in request.history], request.system)
        while True:
            seconds, limit = gate.reserve(profile, tokens)
            if seconds <= 0:
                return
            yield RateLimitWait(seconds, limit or "rpm")
            await self._sleep(min(1.0, seconds))

    def _charge_output(self, record: RecordSlot) -> None:
        """Count a finished reply's output against the profile's ``tpm``."""
        usage = record.record.usage if record.record is not None else None
        if self.gate is not None and self.profile.tpm and usage is not None:
            self.gate.charge(self.profile, usage.output_tokens)

    def _scrubbed(self, error: ApiError) -> ApiError:
        """``error`` with any key the server quoted back masked: its text is shown and saved."""
        error.message = self.keys.redact(error.message)
        if error.server_message:
            error.server_message = self.keys.redact(error.server_message)
        return error

    async def _attempt(
        self,
        request: ChatRequest,
        attempt: AttemptProgress,
        deadline: float,
        position: int,
        number: int,
        record: RecordSlot,
    ) -> AsyncGenerator[StreamEvent, None]:
        profile = self.profile
        url = self.api_format.stream_url(profile.base_url)
        body = self.api_format.body(request)
        headers = await self._headers(accept_stream=True, position=position)
        outgoing = self._http.build_request("POST", url, json=body, headers=headers)
        record.start(
            RequestRecord(
                profile=profile.name,
                method="POST",
                url=url,
                started=time.time(),
                request_headers=masked_headers(headers, self.keys.known_secrets()),
                body_bytes=len(outgoing.content),
                attempt=number,
                key_position=position if profile.needs_key else None,
                key_variable=self.keys.variable_for(position),
                auth_header=auth_header_name(profile),
                body=outgoing.content.decode("utf-8", "replace"),
            )
        )
        limits = ReplyLimits(deadline, profile.timeout, profile.idle_timeout)
        started = False
        response: httpx.Response | None = None
        try:
            try:
                # The whole-reply deadline holds while waiting for the answer too: a relay
                # trickling its headers resets httpx's read timeout at every byte.
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    response = await send_same_origin(
                        self._http, outgoing, stream=True, base_url=profile.base_url
                    )
                    request_id = request_id_of(response)
                    record.answered(response.status_code, request_id)
                    try:
                        await raise_for_answer(response, request_id)
                    except ApiError as error:
                        if request.server_tools:
                            explain_rejected_server_tool(error, request.server_tools, profile.name)
                        raise
            except TimeoutError:
                raise ReplyTimeoutError(
                    f"The endpoint did not answer within the profile's timeout "
                    f"({profile.timeout:g} s); retry, or raise the timeout"
                ) from None
            started = True
            parser = self.api_format.new_parser(request_id)
            events = reply_events(
                response, parser, limits, attempt, reader_factory=self.reader_factory
            )
            async with contextlib.aclosing(events):
                async for event in events:
                    yield event
        except httpx.TimeoutException as exc:
            raise self._timeout_error(exc, started) from exc
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, started, url) from exc
        finally:
            if response is not None:
                await response.aclose()

    def _timeout_error(self, exc: httpx.TimeoutException, started: bool) -> ApiError:
        if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
            return ConnectionFailedError(
                f"Could not connect to {self.profile.base_url} within "
                f"{self.profile.connect_timeout:g} s: check the URL, your network or proxy"
            )
        if started:
            return ReplyTimeoutError(
                f"No data for {self.profile.idle_timeout:g} s, so the reply was cut off; "
                "what arrived is kept, and you can continue or retry"
            )
        return ReplyTimeoutError(
            f"The endpoint did not answer within {self.profile.idle_timeout:g} s; "
            "retry, or raise the profile's idle_timeout"
        )

    def _transport_error(self, exc: httpx.HTTPError, started: bool, url: str) -> ApiError:
        if started:
            return StreamInterruptedError(
                "The connection broke before the reply finished; what arrived is kept, "
                "and you can continue or retry"
            )
        reason = exc.__class__.__name__
        return ConnectionFailedError(
            f"Could not reach {url} ({reason}): check the profile's base_url, your network or proxy"
        )

    async def _headers(self, *, accept_stream: bool, position: int | None = None) -> dict[str, str]:
        """The request's headers with the key at ``position`` of the pool (default: the key
        whose turn it is, without taking the turn)."""
        position = position if position is not None else self.keys.peek()
        try:
            key = await self.keys.source(position).aget()
        except KeySourceError as exc:
            raise KeyUnavailableError(str(exc)) from exc
        if key:
            self._last_key[position] = key
        return build_headers(
            self.profile,
            key,
            format_headers=self.api_format.headers(self.profile),
            accept_stream=accept_stream,
        )

    # -- other endpoints -------------------------------------------------------------------

    async def list_models(self) -> list[dict[str, Any]]:
        """The endpoint's model list (``id`` and ``display_name`` at least), all pages."""
        url = self.api_format.models_url(self.profile.base_url)
        models: list[dict[str, Any]] = []
        params = self.api_format.models_query(None)
        for _page in range(50):
            if params is None:
                break
            payload = await self._get_json(url, params)
            data = payload.get("data") if isinstance(payload, dict) else None
            if not isinstance(data, list):
                raise UnexpectedResponseError(
                    "The endpoint's model list is not in the expected shape (no 'data' list)"
                )
            for item in data:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    models.append({"display_name": item["id"], **item})
            params = self.api_format.models_query(payload)
        return models

    async def count_tokens(self, request: ChatRequest) -> int | None:
        """Exact input tokens from ``/v1/messages/count_tokens``; None where unsupported."""
        call = self.api_format.count_tokens_call(self.profile.base_url, request)
        if call is None:
            return None
        url, body = call
        try:
            outgoing = self._http.build_request(
                "POST",
                url,
                json=body,
                headers=await self._headers(accept_stream=False),
            )
            response = await send_same_origin(
                self._http, outgoing, stream=False, base_url=self.profile.base_url
            )
        except (httpx.HTTPError, ApiError):
            return None  # the caller falls back to an estimate
        if response.status_code != 200:
            return None
        try:
            count = response.json().get("input_tokens")
        except (ValueError, AttributeError):
            return None
        return count if isinstance(count, int) else None

    async def _get_json(self, url: str, params: dict[str, str]) -> Any:
        headers = await self._headers(accept_stream=False)
        outgoing = self._http.build_request("GET", url, params=params, headers=headers)
        try:
            response = await send_same_origin(
                self._http, outgoing, stream=False, base_url=self.profile.base_url
            )
        except httpx.TimeoutException as exc:
            raise self._timeout_error(exc, False) from exc
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, False, url) from exc
        except ApiError as exc:  # a refused redirect quotes addresses the relay chose
            raise self._scrubbed(exc) from None
        request_id = request_id_of(response)
        if response.status_code >= 400:
            raise self._scrubbed(status_error(response, response.content, request_id))
        try:
            return response.json()
        except ValueError:
            raise unexpected_answer(response, response.content[:200], request_id) from None
