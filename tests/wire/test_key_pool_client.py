"""Key pools through ChatClient (httpx.MockTransport): round-robin, a refused key rests and
the next one goes at once, and each attempt's record names the key by position only."""

from __future__ import annotations

from claude_tui.profiles.key_pool import KeyPool
from claude_tui.wire.events import KeyRested, StreamFailed
from claude_tui.wire.request_record import RequestRecord
from tests.wire.test_chat_client import (
    Server,
    chat_request,
    error_response,
    make_client,
    make_profile,
    reply_stream,
    stream_response,
)

KEYS = ["sk-pool-first-000000000001", "sk-pool-second-00000000002", "sk-pool-third-000000000003"]


def sent_keys(server: Server) -> list[str]:
    return [request.headers["x-api-key"] for request in server.requests]


async def test_requests_take_the_keys_in_turn() -> None:
    server = Server(stream_response(reply_stream()))
    client = make_client(server, make_profile(api_key=None, api_keys=KEYS))
    for _ in range(4):
        events = [event async for event in client.stream(chat_request())]
        assert not any(isinstance(event, StreamFailed) for event in events)
    await client.aclose()
    assert sent_keys(server) == [KEYS[0], KEYS[1], KEYS[2], KEYS[0]]


async def test_a_refused_key_rests_and_the_next_key_answers_at_once() -> None:
    server = Server(
        error_response(401, "authentication_error", "invalid x-api-key"),
        stream_response(reply_stream("from the second key")),
    )
    records: list[RequestRecord] = []
    client = make_client(server, make_profile(api_key=None, api_keys=KEYS))

    events = [event async for event in client.stream(chat_request(), observer=records.append)]
    # The next turn skips the resting first key.
    later = [event async for event in client.stream(chat_request(), observer=records.append)]
    await client.aclose()

    rested = [event for event in events if isinstance(event, KeyRested)]
    assert [(e.position, e.next_position, e.status) for e in rested] == [(1, 2, 401)]
    assert rested[0].description == "key 1 refused (401): trying key 2"
    assert not any(isinstance(event, StreamFailed) for event in events + later)
    assert sent_keys(server) == [KEYS[0], KEYS[1], KEYS[2]]
    assert [(r.key_position, r.status) for r in records] == [(1, 401), (2, 200), (3, 200)]
    assert records[1].key_variable == "$API_KEY_2"
    # No record holds a key, in its headers or its error.
    for record in records:
        shown = str(record.to_json())
        assert not any(key in shown for key in KEYS)


async def test_a_429_rests_the_key_for_its_retry_after() -> None:
    server = Server(
        error_response(429, "rate_limit_error", "slow down", **{"retry-after": "30"}),
        stream_response(reply_stream()),
    )
    client = make_client(server, make_profile(api_key=None, api_keys=KEYS[:2]))
    events = [event async for event in client.stream(chat_request())]
    await client.aclose()
    rested = [event for event in events if isinstance(event, KeyRested)]
    assert [(e.position, e.rest_seconds) for e in rested] == [(1, 30.0)]


async def test_when_every_key_is_refused_the_failure_is_reported() -> None:
    server = Server(error_response(401, "authentication_error", "invalid x-api-key"))
    client = make_client(server, make_profile(api_key=None, api_keys=KEYS[:2]))
    events = [event async for event in client.stream(chat_request())]
    await client.aclose()
    assert [type(event).__name__ for event in events] == ["KeyRested", "StreamFailed"]
    assert len(server.requests) == 2


async def test_a_single_key_never_rests() -> None:
    server = Server(error_response(401, "authentication_error", "invalid x-api-key"))
    client = make_client(server)
    events = [event async for event in client.stream(chat_request())]
    await client.aclose()
    assert not any(isinstance(event, KeyRested) for event in events)
    assert len(server.requests) == 1


def test_pool_turns_skip_resting_keys_and_wake_them() -> None:
    now = [0.0]
    pool = KeyPool(make_profile(api_key=None, api_keys=KEYS), clock=lambda: now[0])
    assert [pool.take() for _ in range(3)] == [1, 2, 3]
    pool.rest(2, 10)
    assert [pool.take() for _ in range(3)] == [1, 3, 1]
    now[0] = 11.0
    assert [pool.take() for _ in range(3)] == [2, 3, 1]
    for position in (1, 2, 3):
        pool.rest(position, 5 * position)
    assert pool.take() == 1  # all resting: the one that wakes first


async def test_a_cancelled_attempt_is_recorded_as_stopped() -> None:
    server = Server(stream_response(reply_stream()))
    records: list[RequestRecord] = []
    client = make_client(server)
    stream = client.stream(chat_request(), observer=records.append)
    async for _event in stream:
        break
    await stream.aclose()
    await client.aclose()
    assert len(records) == 1
    assert records[0].status == 200
    assert records[0].error == "stopped before the reply ended"
    assert records[0].request_headers["x-api-key"] != "sk-test"


async def test_a_completed_attempt_records_its_answer() -> None:
    server = Server(stream_response(reply_stream(), **{"request-id": "req_42"}))
    records: list[RequestRecord] = []
    client = make_client(server)
    [event async for event in client.stream(chat_request(), observer=records.append)]
    await client.aclose()
    (record,) = records
    assert (record.method, record.status, record.request_id, record.error) == (
        "POST",
        200,
        "req_42",
        None,
    )
    assert record.url.endswith("/v1/messages")
    assert record.body_bytes == len(server.requests[0].content)
    assert record.usage is not None and record.usage.output_tokens == 3
    assert record.ttft_ms is not None and record.latency_ms is not None
    assert record.key_variable == "$API_KEY" and record.key_position == 1
    assert "sk-test" not in str(record.to_json())
