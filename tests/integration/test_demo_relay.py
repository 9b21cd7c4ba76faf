"""The demo relay over real loopback sockets, driven by plain httpx and httpx-sse.

These tests pin the relay's wire behaviour so the wire clients can be tested against it
with confidence: if the relay is faithful, a client that passes against it speaks the protocol.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import httpx_sse
import pytest

from claude_tui.demo import DemoRelay, Fault, NonLoopbackHostError
from claude_tui.demo.__main__ import main as demo_main
from claude_tui.demo.fault_modes import ERROR_TYPES, parse_keywords, plan_from_faults
from claude_tui.demo.reply_steps import DeltaPacer
from claude_tui.demo.scripted_reply import planned_answer, planned_deltas

HEADERS = {"anthropic-version": "2023-06-01"}


@pytest.fixture
def client(demo_relay: DemoRelay) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_relay.base_url, headers=HEADERS, timeout=10) as c:
        yield c


def message_body(prompt: str = "How do SSE streams work?", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "claude-demo",
        "max_tokens": 4096,
        "stream": True,
        "messages": [{"role": "user", "content": prompt}],
    }
    body.update(extra)
    return body


def chat_body(prompt: str = "How do SSE streams work?", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "demo-gpt",
        "stream": True,
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": prompt},
        ],
    }
    body.update(extra)
    return body


def sse(
    client: httpx.Client, body: dict[str, Any], path: str = "/v1/messages"
) -> tuple[httpx.Response, list[httpx_sse.ServerSentEvent]]:
    with httpx_sse.connect_sse(client, "POST", path, json=body) as source:
        events = list(source.iter_sse())
    return source.response, events


def payloads(events: list[httpx_sse.ServerSentEvent]) -> list[dict[str, Any]]:
    return [json.loads(e.data) for e in events if e.event not in ("ping", "demo_unknown")]


def text_of(events: list[httpx_sse.ServerSentEvent]) -> str:
    return "".join(
        p["delta"].get("text", "") for p in payloads(events) if p["type"] == "content_block_delta"
    )


def chat_chunks(events: list[httpx_sse.ServerSentEvent]) -> list[dict[str, Any]]:
    return [json.loads(e.data) for e in events if e.data != "[DONE]"]


def chat_text(chunks: list[dict[str, Any]], field: str = "content") -> str:
    return "".join(c["choices"][0]["delta"].get(field) or "" for c in chunks if c.get("choices"))


# -- Anthropic streaming --------------------------------------------------------------------


def test_stream_with_thinking_follows_the_documented_event_order(
    client: httpx.Client, demo_relay: DemoRelay
) -> None:
    body = message_body(thinking={"type": "enabled", "budget_tokens": 2048})
    response, events = sse(client, body)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["request-id"].startswith("req_demo_")
    names = [e.event for e in events]
    assert names[0] == "message_start"
    assert "demo_unknown" in names
    assert names.count("ping") >= 3  # one at the start, then every 20 events
    for event in events:
        assert json.loads(event.data)["type"] == event.event

    kinds = []
    for p in payloads(events):
        if p["type"] == "content_block_delta":
            kind = p["delta"]["type"]
            if not kinds or kinds[-1] != kind:
                kinds.append(kind)
        elif p["type"] == "content_block_start":
            kinds.append(f"start:{p['content_block']['type']}:{p['index']}")
        else:
            kinds.append(p["type"])
    assert kinds == [
        "message_start",
        "start:thinking:0",
        "thinking_delta",
        "signature_delta",
        "content_block_stop",
        "start:text:1",
        "text_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]

    all_payloads = payloads(events)
    start = all_payloads[0]["message"]
    assert start["model"] == "claude-demo"
    assert start["id"].startswith("msg_")
    assert start["usage"]["output_tokens"] == 1
    assert start["usage"]["input_tokens"] == len("How do SSE streams work?") // 4

    block_start = all_payloads[1]["content_block"]
    assert block_start == {"type": "thinking", "thinking": "", "signature": ""}
    signatures = [
        p["delta"]["signature"]
        for p in all_payloads
        if p["type"] == "content_block_delta" and p["delta"]["type"] == "signature_delta"
    ]
    assert len(signatures) == 1
    assert len(base64.b64decode(signatures[0], validate=True)) > 100

    thinking = "".join(
        p["delta"].get("thinking", "") for p in all_payloads if p["type"] == "content_block_delta"
    )
    assert thinking.count(". ") >= 3
    text = text_of(events)
    assert "How do SSE streams work?" in text
    for construct in ("## ", "**", "\n- ", "| Part |", "\n> ", "](https://", "```python"):
        assert construct in text

    deltas = [
        p["delta"]["text"]
        for p in all_payloads
        if p["type"] == "content_block_delta" and p["delta"]["type"] == "text_delta"
    ]
    assert len(deltas) > 50
    assert max(len(d) for d in deltas) <= 40

    final = all_payloads[-2]
    assert final["delta"] == {"stop_reason": "end_turn", "stop_sequence": None}
    output_tokens = final["usage"]["output_tokens"]
    assert abs(output_tokens - len(thinking + text) / 4) < 0.15 * output_tokens
    assert final["usage"]["output_tokens_details"]["thinking_tokens"] > 0


def test_stream_without_thinking_has_one_text_block(client: httpx.Client) -> None:
    _, events = sse(client, message_body())
    starts = [p for p in payloads(events) if p["type"] == "content_block_start"]
    assert [(s["index"], s["content_block"]["type"]) for s in starts] == [(0, "text")]
    assert not any(
        p["delta"]["type"] != "text_delta"
        for p in payloads(events)
        if p["type"] == "content_block_delta"
    )


def test_adaptive_thinking_also_streams_a_thinking_block(client: httpx.Client) -> None:
    _, events = sse(client, message_body(thinking={"type": "adaptive"}))
    starts = [p for p in payloads(events) if p["type"] == "content_block_start"]
    assert starts[0]["content_block"]["type"] == "thinking"


def test_max_tokens_cuts_the_reply(client: httpx.Client) -> None:
    _, events = sse(client, message_body(max_tokens=30))
    final = [p for p in payloads(events) if p["type"] == "message_delta"][-1]
    assert final["delta"]["stop_reason"] == "max_tokens"
    assert final["usage"]["output_tokens"] <= 30
    assert 0 < len(text_of(events)) <= 30 * 4 + 16


def test_stop_sequence_ends_the_reply_early(client: httpx.Client) -> None:
    _, events = sse(client, message_body(stop_sequences=["| Part |"]))
    final = [p for p in payloads(events) if p["type"] == "message_delta"][-1]
    assert final["delta"] == {"stop_reason": "stop_sequence", "stop_sequence": "| Part |"}
    assert "| Part |" not in text_of(events)


def test_non_stream_returns_a_message_object(client: httpx.Client) -> None:
    body = message_body(stream=False, thinking={"type": "enabled", "budget_tokens": 1024})
    response = client.post("/v1/messages", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    message = response.json()
    assert message["type"] == "message"
    assert message["role"] == "assistant"
    assert [block["type"] for block in message["content"]] == ["thinking", "text"]
    assert message["content"][0]["signature"]
    assert "```python" in message["content"][1]["text"]
    assert message["stop_reason"] == "end_turn"
    assert message["usage"]["output_tokens"] > 100


def test_temperature_with_thinking_is_rejected(client: httpx.Client) -> None:
    thinking = {"type": "enabled", "budget_tokens": 1024}
    response = client.post(
        "/v1/messages", json=message_body(thinking=thinking, temperature=0.5, stream=False)
    )
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert "temperature" in response.json()["error"]["message"]
    ok = client.post(
        "/v1/messages", json=message_body(thinking=thinking, temperature=1, stream=False)
    )
    assert ok.status_code == 200


def test_requests_are_recorded(client: httpx.Client, demo_relay: DemoRelay) -> None:
    client.post("/v1/messages", json=message_body(stream=False), headers={"X-Custom": "yes"})
    recorded = demo_relay.requests[-1]
    assert recorded.method == "POST"
    assert recorded.path == "/v1/messages"
    assert recorded.headers["x-custom"] == "yes"
    assert recorded.headers["anthropic-version"] == "2023-06-01"
    assert recorded.json["model"] == "claude-demo"


# -- OpenAI -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/chat/completions"])
def test_openai_stream_with_usage_and_done(client: httpx.Client, path: str) -> None:
    body = chat_body(stream_options={"include_usage": True})
    response, events = sse(client, body, path)
    assert response.status_code == 200
    assert events[-1].data == "[DONE]"
    assert all(e.event == "message" for e in events)  # no ``event:`` lines
    chunks = chat_chunks(events)
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert all(c["model"] == "demo-gpt" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chat_text(chunks, "reasoning_content").count(". ") >= 3
    assert "```python" in chat_text(chunks)
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == []
    usage = chunks[-1]["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert usage["completion_tokens"] > 100


def test_openai_stream_without_include_usage_has_no_usage_chunk(client: httpx.Client) -> None:
    _, events = sse(client, chat_body(max_tokens=20), "/v1/chat/completions")
    chunks = chat_chunks(events)
    assert all(c["choices"] for c in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "length"


def test_openai_think_tags_put_reasoning_in_content(client: httpx.Client) -> None:
    _, events = sse(client, chat_body("[demo:think_tags] hi"), "/v1/chat/completions")
    chunks = chat_chunks(events)
    content = chat_text(chunks)
    assert content.startswith("<think>\n")
    assert "\n</think>\n\n## A demo answer" in content
    assert chat_text(chunks, "reasoning_content") == ""


def test_openai_reasoning_field(client: httpx.Client) -> None:
    _, events = sse(client, chat_body("[demo:reasoning_field] hi"), "/v1/chat/completions")
    chunks = chat_chunks(events)
    assert chat_text(chunks, "reasoning")
    assert not chat_text(chunks, "reasoning_content")
    assert not chat_text(chunks).startswith("<think>")


def test_openai_non_stream(client: httpx.Client) -> None:
    response = client.post("/v1/chat/completions", json=chat_body(stream=False))
    completion = response.json()
    assert completion["object"] == "chat.completion"
    message = completion["choices"][0]["message"]
    assert message["role"] == "assistant"
    assert message["reasoning_content"]
    assert "## A demo answer" in message["content"]
    assert completion["usage"]["completion_tokens"] > 0


# -- other endpoints and HTTP behaviour -------------------------------------------------


def test_models_list(client: httpx.Client) -> None:
    listing = client.get("/v1/models").json()
    ids = [m["id"] for m in listing["data"]]
    assert ids[0] == "claude-demo"
    assert len(ids) >= 3
    assert listing["has_more"] is False
    assert (listing["first_id"], listing["last_id"]) == (ids[0], ids[-1])
    first = listing["data"][0]
    assert first["type"] == "model"
    assert first["display_name"] == "Claude Demo"
    assert first["created_at"] == "2026-01-01T00:00:00Z"

    page = client.get("/v1/models", params={"limit": 1, "after_id": "claude-demo"}).json()
    assert [m["id"] for m in page["data"]] == [ids[1]]
    assert page["has_more"] is True
    assert client.get("/v1/models/claude-demo-fast").json()["id"] == "claude-demo-fast"
    assert client.get("/v1/models/nope").status_code == 404


def test_count_tokens_matches_message_start(client: httpx.Client) -> None:
    body = message_body("x" * 400, system="You are terse.")
    counted = client.post(
        "/v1/messages/count_tokens", json={k: body[k] for k in ("model", "messages", "system")}
    )
    assert counted.json() == {"input_tokens": (400 + len("You are terse.")) // 4}
    _, events = sse(client, body)
    start = payloads(events)[0]["message"]
    assert start["usage"]["input_tokens"] == counted.json()["input_tokens"]


def test_keep_alive_reuses_one_connection(client: httpx.Client, demo_relay: DemoRelay) -> None:
    sse(client, message_body())
    client.post("/v1/messages", json=message_body(stream=False))
    client.get("/v1/models")
    assert len(demo_relay.requests) == 3
    assert demo_relay.connection_count == 1


def test_doubled_v1_prefix_is_tolerated(client: httpx.Client) -> None:
    response = client.post("/v1/v1/messages", json=message_body(stream=False))
    assert response.status_code == 200
    assert client.get("/v1/v1/models").status_code == 200


def test_unknown_path_is_a_404_with_an_anthropic_error(client: httpx.Client) -> None:
    response = client.post("/v2/elsewhere", json={})
    assert response.status_code == 404
    error = response.json()
    assert error["type"] == "error"
    assert error["error"]["type"] == "not_found_error"
    assert error["request_id"] == response.headers["request-id"]


def test_bad_json_is_a_400(client: httpx.Client) -> None:
    response = client.post("/v1/messages", content=b"{not json")
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_required_key(demo_relay: DemoRelay) -> None:
    demo_relay.required_key = "sk-demo"
    with httpx.Client(base_url=demo_relay.base_url) as c:
        missing = c.post("/v1/messages", json=message_body(stream=False))
        assert missing.status_code == 401
        assert missing.json()["error"]["type"] == "authentication_error"
        wrong = c.post(
            "/v1/messages", json=message_body(stream=False), headers={"x-api-key": "nope"}
        )
        assert wrong.status_code == 401
        openai = c.post("/v1/chat/completions", json=chat_body())
        assert openai.status_code == 401
        assert openai.json()["error"]["type"] == "authentication_error"
        for headers in ({"x-api-key": "sk-demo"}, {"Authorization": "Bearer sk-demo"}):
            ok = c.post("/v1/messages", json=message_body(stream=False), headers=headers)
            assert ok.status_code == 200


async def test_async_client_streams(demo_relay: DemoRelay) -> None:
    async with (
        httpx.AsyncClient(base_url=demo_relay.base_url) as c,
        httpx_sse.aconnect_sse(c, "POST", "/v1/messages", json=message_body()) as source,
    ):
        names = [event.event async for event in source.aiter_sse()]
    assert names[-1] == "message_stop"


def test_non_loopback_hosts_are_refused() -> None:
    with pytest.raises(NonLoopbackHostError, match="loopback"):
        DemoRelay(host="0.0.0.0")
    with pytest.raises(SystemExit) as exit_info:
        demo_main(["--host", "192.168.1.10"])
    assert exit_info.value.code == 2


def test_ipv6_loopback_and_context_manager() -> None:
    relay = DemoRelay(host="::1")
    try:
        url = relay.start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    assert url.startswith("http://[::1]:")
    assert httpx.get(f"{url}/v1/models").status_code == 200
    relay.stop()
    relay.stop()  # stopping twice is harmless
    with DemoRelay(host="localhost") as local:
        assert local.base_url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{local.base_url}/v1/models").status_code == 200


# -- faults -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(ERROR_TYPES))
def test_status_fault_uses_the_right_error_type(
    client: httpx.Client, demo_relay: DemoRelay, status: int
) -> None:
    demo_relay.queue_fault(Fault.http_error(status))
    response = client.post("/v1/messages", json=message_body())
    assert response.status_code == status
    error = response.json()
    assert error["type"] == "error"
    assert error["error"]["type"] == ERROR_TYPES[status]
    assert error["error"]["message"]
    assert error["request_id"] == response.headers["request-id"]


def test_status_fault_by_keyword_and_in_openai_dialect(client: httpx.Client) -> None:
    response = client.post("/v1/messages", json=message_body("[demo:status=429] hi"))
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"]["type"] == "rate_limit_error"
    openai = client.post("/v1/chat/completions", json=chat_body("[demo:status=503] hi"))
    assert openai.status_code == 503
    assert set(openai.json()["error"]) == {"message", "type", "code"}


def test_status_fault_with_custom_headers_and_body(
    client: httpx.Client, demo_relay: DemoRelay
) -> None:
    demo_relay.queue_faults(
        [
            Fault.http_error(529, headers={"retry-after-ms": "10", "x-should-retry": "true"}),
            Fault.http_error(
                429,
                body={
                    "type": "error",
                    "error": {
                        "type": "rate_limit_error",
                        "message": "spend",
                        "details": {"error_code": "x"},
                    },
                },
            ),
            Fault.http_error(500, message="custom words"),
        ]
    )
    first = client.post("/v1/messages", json=message_body())
    assert first.status_code == 529
    assert first.headers["retry-after-ms"] == "10"
    assert first.headers["x-should-retry"] == "true"
    assert first.json()["error"]["type"] == "overloaded_error"
    second = client.post("/v1/messages", json=message_body())
    assert second.json()["error"]["details"] == {"error_code": "x"}
    third = client.post("/v1/messages", json=message_body())
    assert third.json()["error"]["message"] == "custom words"


def test_queued_faults_are_consumed_in_order(client: httpx.Client, demo_relay: DemoRelay) -> None:
    demo_relay.queue_faults([Fault.http_error(529), Fault.parse("status=500")])
    statuses = [client.post("/v1/messages", json=message_body()).status_code for _ in range(3)]
    assert statuses == [529, 500, 200]


def test_cut_drops_the_connection_mid_stream(client: httpx.Client, demo_relay: DemoRelay) -> None:
    demo_relay.queue_fault(Fault("cut"))
    received: list[httpx_sse.ServerSentEvent] = []
    with (
        pytest.raises(httpx.RemoteProtocolError),
        httpx_sse.connect_sse(client, "POST", "/v1/messages", json=message_body()) as source,
    ):
        for event in source.iter_sse():
            received.append(event)
    names = [e.event for e in received]
    assert "content_block_delta" in names
    assert "message_stop" not in names
    assert "message_delta" not in names
    # The client recovers on a fresh connection.
    assert client.post("/v1/messages", json=message_body(stream=False)).status_code == 200


def test_cut_reply_can_be_resumed_with_a_prefill(client: httpx.Client) -> None:
    prompt = "[demo:cut] Tell me about streams"
    partial: list[httpx_sse.ServerSentEvent] = []
    with (
        pytest.raises(httpx.RemoteProtocolError),
        httpx_sse.connect_sse(client, "POST", "/v1/messages", json=message_body(prompt)) as s,
    ):
        partial.extend(s.iter_sse())
    head = text_of(partial).rstrip()
    resume = message_body(
        prompt,
        messages=[
            {"role": "user", "content": prompt},
            {"role": "assistant", "content": head},
        ],
    )
    _, events = sse(client, resume)
    assert events[-1].event == "message_stop"
    _, full = sse(client, message_body("Tell me about streams"))
    assert head + text_of(events) == text_of(full)


def test_continue_turn_resumes_an_interrupted_reply(client: httpx.Client) -> None:
    _, full_events = sse(client, message_body("Explain chunked encoding"))
    full = text_of(full_events)
    head = full[:200].rstrip()
    body = message_body(
        messages=[
            {"role": "user", "content": "Explain chunked encoding"},
            {"role": "assistant", "content": head},
            {"role": "user", "content": "Please continue from where the text ended."},
        ]
    )
    _, events = sse(client, body)
    assert head + text_of(events) == full


def test_no_prefill_rejects_a_trailing_assistant_message(client: httpx.Client) -> None:
    prompt = "[demo:no_prefill] hi"
    body = message_body(
        prompt,
        messages=[{"role": "user", "content": prompt}, {"role": "assistant", "content": "So"}],
    )
    response = client.post("/v1/messages", json=body)
    assert response.status_code == 400
    assert "prefill" in response.json()["error"]["message"]
    assert client.post("/v1/messages", json=message_body(prompt)).status_code == 200


def test_error_event_after_partial_text(client: httpx.Client) -> None:
    response, events = sse(client, message_body("[demo:error_event] hi"))
    assert response.status_code == 200
    assert events[-1].event == "error"
    assert json.loads(events[-1].data) == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"},
    }
    assert text_of(events[:-1])
    assert "message_stop" not in [e.event for e in events]


def test_error_event_in_openai_dialect(client: httpx.Client) -> None:
    _, events = sse(client, chat_body("[demo:error_event] hi"), "/v1/chat/completions")
    last = json.loads(events[-1].data)
    assert last["error"]["type"] == "overloaded_error"
    assert chat_text(chat_chunks(events[:-1]))
    assert "[DONE]" not in [e.data for e in events]


def test_html_fault(client: httpx.Client, demo_relay: DemoRelay) -> None:
    response = client.post("/v1/messages", json=message_body("[demo:html] hi"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html"
    assert "<center><h1>502 Bad Gateway</h1></center>" in response.text
    assert "nginx" in response.text
    demo_relay.queue_fault(Fault.parse("html=502"))
    assert client.post("/v1/messages", json=message_body()).status_code == 502


def test_json200_fault_is_not_an_event_stream(client: httpx.Client) -> None:
    with (
        pytest.raises(httpx_sse.SSEError),
        httpx_sse.connect_sse(
            client, "POST", "/v1/messages", json=message_body("[demo:json200]")
        ) as source,
    ):
        assert source.response.status_code == 200
        list(source.iter_sse())
    response = client.post("/v1/messages", json=message_body("[demo:json200]"))
    assert response.headers["content-type"] == "application/json"
    assert "upstream" in response.json()["msg"]


def test_slow_fault_spaces_out_deltas(demo_relay: DemoRelay) -> None:
    with httpx.Client(base_url=demo_relay.base_url) as c:
        started = time.monotonic()
        _, events = sse(c, message_body("[demo:slow=0.02]", max_tokens=40))
        elapsed = time.monotonic() - started
    deltas = [e for e in events if e.event == "content_block_delta"]
    assert elapsed >= 0.02 * (len(deltas) - 1)


def test_stall_goes_silent_then_finishes(client: httpx.Client) -> None:
    arrivals: list[tuple[float, str]] = []
    with httpx_sse.connect_sse(
        client, "POST", "/v1/messages", json=message_body("[demo:stall=0.4] hi")
    ) as source:
        for event in source.iter_sse():
            arrivals.append((time.monotonic(), event.event))
    gaps = [later[0] - earlier[0] for earlier, later in itertools.pairwise(arrivals)]
    assert max(gaps) >= 0.35
    assert arrivals[-1][1] == "message_stop"


def test_stall_trips_a_read_timeout(demo_relay: DemoRelay) -> None:
    demo_relay.queue_fault(Fault("stall", seconds=2.0))
    timeout = httpx.Timeout(5.0, read=0.2)
    with (
        httpx.Client(base_url=demo_relay.base_url, timeout=timeout) as c,
        pytest.raises(httpx.ReadTimeout),
        httpx_sse.connect_sse(c, "POST", "/v1/messages", json=message_body()) as source,
    ):
        list(source.iter_sse())


def test_long_reply_streams_twenty_thousand_tokens_quickly(demo_relay: DemoRelay) -> None:
    demo_relay.chunk_delay = 0.05  # ``long`` ignores the relay's delay
    with httpx.Client(base_url=demo_relay.base_url) as c:
        started = time.monotonic()
        _, events = sse(c, message_body("[demo:long=20000]", max_tokens=1024))
        elapsed = time.monotonic() - started
    text = text_of(events)
    final = [p for p in payloads(events) if p["type"] == "message_delta"][-1]
    assert final["delta"]["stop_reason"] == "end_turn"
    assert 19_000 <= final["usage"]["output_tokens"] <= 21_500
    assert 19_000 <= len(text) / 4 <= 21_000
    assert text.count("```") % 2 == 0
    assert text.count("```python") > 10
    assert "\n- " in text and "| Item |" in text
    assert elapsed < 3.0


def test_markdown_reply_has_the_shape_issue_14_measured() -> None:
    text = planned_answer("[demo:markdown=20000] render this", None)
    assert 19_000 <= len(text) / 4 <= 21_000
    lines = text.splitlines()
    headings = [line for line in lines if line.startswith("## ")]
    assert 44 <= len(headings) <= 50
    rows = [line for line in lines if re.match(r"\d+\. Row \d+:", line)]
    assert len(rows) == 300
    assert [int(r.split(".")[0]) for r in rows] == list(range(1, 301))  # one unbroken list
    assert any(line.startswith("  - ") for line in lines)  # nested points under bullets
    assert text.count("```python") > 20 and text.count("```") % 2 == 0
    assert sum(line.startswith("> ") for line in lines) > 20
    tables = re.findall(r"^\| Part \|.*\n\|[-:|]+\|\n((?:\|.*\|\n)+)", text, re.MULTILINE)
    assert len(tables) > 20 and all(table.count("\n") == 6 for table in tables)
    # Deterministic (a cut reply resumes), and the long list scales with N.
    assert text == planned_answer("[demo:markdown=20000] render this", None)
    half = planned_answer("[demo:markdown=10000] render this", None)
    assert len(re.findall(r"^\d+\. Row", half, re.MULTILINE)) == 150


def test_markdown_reply_streams_in_deltas_of_at_most_six_characters(
    client: httpx.Client,
) -> None:
    prompt = "[demo:markdown=2000] render this"
    _, events = sse(client, message_body(prompt, max_tokens=50))  # N wins over max_tokens
    deltas = [p["delta"]["text"] for p in payloads(events) if p["type"] == "content_block_delta"]
    assert max(len(d) for d in deltas) <= 6
    assert len(deltas) > 1000
    assert "".join(deltas) == planned_answer(prompt, None)
    assert deltas == planned_deltas(prompt)
    final = [p for p in payloads(events) if p["type"] == "message_delta"][-1]
    assert final["delta"]["stop_reason"] == "end_turn"


def test_markdown_reply_is_sent_at_full_speed_unless_slowed() -> None:
    fast = plan_from_faults(parse_keywords("[demo:markdown=500]"))
    assert fast.markdown_tokens == 500
    assert DeltaPacer(fast, 0.05, 100).delay == 0.0
    slowed = plan_from_faults(parse_keywords("[demo:markdown][demo:slow=0.2]"))
    assert slowed.markdown_tokens == 20_000
    assert DeltaPacer(slowed, 0.05, 100).delay == 0.2


# -- hostile relay modes -------------------------------------------------------------------------


def raw_stream(
    client: httpx.Client, body: dict[str, Any], limit: int, path: str = "/v1/messages"
) -> bytes:
    """The first ``limit`` bytes of a streamed body (then the connection is closed)."""
    received = b""
    with client.stream("POST", path, json=body) as response:
        for chunk in response.iter_raw():
            received += chunk
            if len(received) >= limit:
                break
    return received


def test_redirect_fault_points_at_another_origin_keeping_the_path(
    client: httpx.Client, demo_relay: DemoRelay
) -> None:
    demo_relay.queue_fault(Fault.redirect("http://127.0.0.1:9"))
    response = client.post("/v1/messages?beta=true", json=message_body())
    assert response.status_code == 307
    assert response.headers["location"] == "http://127.0.0.1:9/v1/messages?beta=true"
    demo_relay.queue_fault(Fault.redirect("http://127.0.0.1:9/elsewhere", status=308))
    response = client.get("/v1/models")
    assert (response.status_code, response.headers["location"]) == (
        308,
        "http://127.0.0.1:9/elsewhere",
    )
    keyword = message_body("[demo:redirect=/v1/other] hi")
    assert client.post("/v1/messages", json=keyword).headers["location"] == "/v1/other"


def test_new_fault_keywords_parse() -> None:
    assert Fault.parse("keepalive") == Fault("keepalive", seconds=1.0)
    assert Fault.parse("trickle=0.05") == Fault("trickle", seconds=0.05)
    assert Fault.parse("trickle=0").seconds == 0.01  # never a busy loop
    assert Fault.parse("endless_line") == Fault("endless_line")
    assert Fault.parse("split_surrogate").kind == "split_surrogate"
    assert Fault.parse("escapes").kind == "escapes"
    with pytest.raises(ValueError):
        Fault.parse("redirect=http://example.com")
    with pytest.raises(ValueError):
        Fault.redirect("http://127.0.0.1:9", status=200)


def test_split_surrogate_sends_each_half_as_a_json_escape(client: httpx.Client) -> None:
    _, events = sse(client, message_body("[demo:split_surrogate] hi"))
    raw = [e.data for e in events if e.event == "content_block_delta"]
    assert any(data.endswith('smile \\ud83d"}}') for data in raw)
    assert any('"\\ude00 and party \\ud83c"' in data for data in raw)
    _, chunks = sse(client, chat_body("[demo:split_surrogate] hi"), "/v1/chat/completions")
    assert any('\\ud83d"' in e.data for e in chunks)
    whole = client.post(
        "/v1/messages", json=message_body("[demo:split_surrogate] hi", stream=False)
    )
    assert "smile 😀 and party 🎉" in whole.json()["content"][0]["text"]


def test_escapes_put_terminal_control_sequences_in_the_text(client: httpx.Client) -> None:
    _, events = sse(client, message_body("[demo:escapes] hi"))
    text = text_of(events)
    for sequence in ("\x1b[2J", "\x1b]0;pwned\x07", "\x1b]52;c;aGk=\x07", "\x9b31m", "\x08\x08"):
        assert sequence in text


def test_keepalive_sends_only_comments_and_pings_after_some_text(client: httpx.Client) -> None:
    received = b""
    with client.stream("POST", "/v1/messages", json=message_body("[demo:keepalive=0.01]")) as r:
        for chunk in r.iter_raw():
            received += chunk
            if received.count(b": keep-alive\n\n") >= 2 and b"event: ping" in received:
                break
    head, _, tail = received.partition(b": keep-alive")
    assert b"text_delta" in head and b"message_stop" not in received
    assert b"content_block_delta" not in tail


@pytest.mark.parametrize(
    ("path", "body"),
    [("/v1/messages", message_body), ("/v1/chat/completions", chat_body)],
    ids=["anthropic", "openai"],
)
def test_trickle_sends_single_bytes_of_a_line_that_never_ends(
    client: httpx.Client, path: str, body: Any
) -> None:
    received = b""
    with client.stream("POST", path, json=body("[demo:trickle=0.01] hi")) as response:
        for chunk in response.iter_raw():
            received += chunk
            if received.endswith(b"..."):
                break
    last_line = received.rsplit(b"\n", 1)[-1]
    assert last_line.startswith(b"data: {") and last_line.endswith(b"...")


def test_endless_line_streams_one_line_without_a_newline(client: httpx.Client) -> None:
    received = raw_stream(client, message_body("[demo:endless_line] hi"), 3 * 1024 * 1024)
    last_line = received.rsplit(b"\n", 1)[-1]
    assert len(last_line) > 2 * 1024 * 1024
    assert set(last_line[-1000:]) == {ord("x")}
