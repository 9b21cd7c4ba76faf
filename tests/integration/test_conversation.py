""":class:`Conversation` in-process against the demo relay: sending, stopping, checkpoints,
continuing a cut reply, regenerating and switching profile, all over real sockets and with
the session reloaded from disk to check what was saved."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.conversation import CONTINUE_PROMPT, Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.demo import DemoRelay, Fault
from claude_tui.demo.scripted_reply import answer_markdown, thinking_text
from claude_tui.profiles import Profile, profile_from_table
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.wire.events import StreamEvent, StreamFailed, TextDelta


def relay_profile(relay: DemoRelay, name: str = "relay", **table: Any) -> Profile:
    """A profile for ``relay`` as ``[profiles.NAME]`` would describe it."""
    settings = {"base_url": relay.base_url, "auth": "none", "model": "claude-demo"}
    settings.update({"max_retries": 0, **table})
    return profile_from_table(name, settings)


def new_conversation(profile: Profile, pool: EndpointPool) -> Conversation:
    session = SessionStore().create(
        SessionSettings(profile=profile.name, model=profile.model, thinking=profile.thinking)
    )
    return Conversation(session, profile, pool)


async def drain(replies: AsyncIterator[tuple[StreamEvent, ChatMessage]]) -> ChatMessage:
    """Consume a reply stream; returns the message it streamed into."""
    message = None
    async for _event, streamed in replies:
        message = streamed
    assert message is not None
    return message


def reloaded(session: Session) -> Session:
    """The session as another process would read it from disk."""
    return SessionStore().open(session.id)


def sent_messages(relay: DemoRelay, index: int = -1) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = relay.requests[index].json["messages"]
    return messages


# --- a whole reply ------------------------------------------------------------------------


async def test_send_saves_the_complete_reply(demo_relay: DemoRelay, pool: EndpointPool) -> None:
    conversation = new_conversation(relay_profile(demo_relay, thinking=2048), pool)
    prompt = "Tell me about usage"

    reply = await drain(conversation.send(prompt))

    assert reply.status is MessageStatus.COMPLETE
    assert reply.text == answer_markdown(prompt)
    assert reply.thinking_text == thinking_text(prompt)
    assert reply.stop_reason == "end_turn"
    assert (reply.model, reply.profile) == ("claude-demo", "relay")
    assert reply.usage is not None and reply.usage.total_input_tokens > 0
    assert reply.usage.output_tokens > 1
    assert reply.ttft_ms is not None and reply.ttft_ms >= 0
    assert reply.duration_ms is not None and reply.duration_ms >= reply.ttft_ms
    assert reply.request_id and reply.request_id.startswith("req_demo_")

    on_disk = reloaded(conversation.session)
    assert on_disk.title == prompt
    assert [m.to_json() for m in on_disk.messages] == [
        m.to_json() for m in conversation.session.messages
    ]
    assert on_disk.messages[-1].content == reply.content


async def test_stopping_mid_stream_saves_the_partial_reply_as_interrupted(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay), pool)
    deltas = 0

    async with contextlib.aclosing(conversation.send("[demo:slow=0.05] Go slowly")) as replies:
        async for event, message in replies:
            reply = message
            deltas += isinstance(event, TextDelta)
            if deltas == 3:
                break  # Esc

    # Closing the stream saves the reply at once, not when garbage collection gets to it.
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.stop_reason == "user_stopped"
    assert reply.text and answer_markdown("[demo:slow=0.05] Go slowly").startswith(reply.text)
    saved = reloaded(conversation.session).messages[-1]
    assert saved.status is MessageStatus.INTERRUPTED
    assert saved.text == reply.text


async def test_a_slow_reply_is_checkpointed_while_it_streams(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay), pool)
    started = time.monotonic()
    seen_on_disk = None

    async with contextlib.aclosing(conversation.send("[demo:slow=0.02] Take your time")) as replies:
        async for _event, reply in replies:
            if time.monotonic() - started > 1.3:
                # Another window (or the next run, after a crash) reads the file now.
                seen_on_disk = reloaded(conversation.session).messages
                text_so_far = reply.text
                break

    assert seen_on_disk is not None, "the reply finished before a checkpoint was due"
    assert [m.role for m in seen_on_disk] == ["user", "assistant"]
    checkpoint = seen_on_disk[-1]
    assert checkpoint.id == reply.id
    assert checkpoint.text and text_so_far.startswith(checkpoint.text)
    assert checkpoint.status in (MessageStatus.STREAMING, MessageStatus.INTERRUPTED)


# --- continuing a cut reply ---------------------------------------------------------------


async def test_continue_a_cut_reply_with_prefill(demo_relay: DemoRelay, pool: EndpointPool) -> None:
    conversation = new_conversation(relay_profile(demo_relay, thinking="off"), pool)
    prompt = "[demo:cut] tell me"
    cut = await drain(conversation.send(prompt))
    assert cut.status is MessageStatus.INTERRUPTED
    partial = cut.text
    assert partial and len(partial) < len(answer_markdown(prompt))
    assert partial != partial.rstrip()  # cut after a space: the case that must not double it
    cut_usage = cut.usage
    assert cut_usage is not None

    continued = await drain(conversation.continue_reply())

    assert continued is cut  # extended in place: the same message
    assert continued.status is MessageStatus.COMPLETE
    assert continued.text == answer_markdown(prompt)  # joined without doubled spaces
    assert [m.role for m in conversation.session.messages] == ["user", "assistant"]
    request = sent_messages(demo_relay)
    assert [m["role"] for m in request] == ["user", "assistant"]
    assert request[-1]["content"] == [{"type": "text", "text": partial.rstrip()}]
    assert continued.usage is not None
    assert continued.usage.output_tokens > cut_usage.output_tokens
    saved = reloaded(conversation.session).messages
    assert len(saved) == 2 and saved[-1].text == answer_markdown(prompt)
    assert saved[-1].status is MessageStatus.COMPLETE


async def test_continue_falls_back_to_a_continue_turn_when_prefill_is_refused(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    profile = relay_profile(demo_relay, thinking="off", prefill="auto")
    conversation = new_conversation(profile, pool)
    prompt = "[demo:cut] [demo:no_prefill] Explain retries"
    cut = await drain(conversation.send(prompt))
    partial, cut_error = cut.text, cut.error

    events: list[StreamEvent] = []
    async for event, _message in conversation.continue_reply():
        events.append(event)

    assert not any(isinstance(e, StreamFailed) for e in events)  # the refusal is not shown
    refused, fallback = demo_relay.requests[-2:]
    assert refused.json["messages"][-1]["role"] == "assistant"  # the prefill that was refused
    assert fallback.json["messages"][-1] == {
        "role": "user",
        "content": [
            {"type": "text", "text": CONTINUE_PROMPT, "cache_control": {"type": "ephemeral"}}
        ],
    }
    messages = conversation.session.messages
    assert [m.role for m in messages] == ["user", "assistant", "user", "assistant"]
    assert messages[1] is cut
    # Put back as it was (less trailing whitespace, trimmed for the prefill attempt).
    assert (cut.status, cut.error) == (MessageStatus.INTERRUPTED, cut_error)
    assert cut.text == partial.rstrip()
    assert messages[3].status is MessageStatus.COMPLETE
    assert cut.text + messages[3].text == answer_markdown(prompt)
    saved = reloaded(conversation.session).messages
    assert [m.to_json() for m in saved] == [m.to_json() for m in messages]


async def test_a_failed_continue_keeps_the_text_and_the_usage(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay, thinking="off"), pool)
    cut = await drain(conversation.send("[demo:cut] Explain timeouts"))
    partial = cut.text
    assert cut.usage is not None
    usage_before = cut.usage.to_json()
    demo_relay.queue_fault(Fault.http_error(529))

    await drain(conversation.continue_reply())

    assert cut.status is MessageStatus.INTERRUPTED
    assert cut.error and "HTTP 529" in cut.error
    assert cut.text == partial.rstrip()
    assert cut.usage.to_json() == usage_before  # nothing new was used: nothing is added
    saved = reloaded(conversation.session).messages[-1]
    assert (saved.status, saved.text) == (MessageStatus.INTERRUPTED, cut.text)


# --- regenerate and switching -------------------------------------------------------------


async def test_regenerate_keeps_the_earlier_reply_as_a_version(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay), pool)
    first = await drain(conversation.send("Say it twice"))
    first_text = first.text

    second = await drain(conversation.regenerate())

    messages = conversation.session.messages
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[-1] is second
    assert second.status is MessageStatus.COMPLETE
    assert second.text == answer_markdown("Say it twice")
    assert (second.version, second.version_count) == (1, 2)
    assert second.versions[0]["content"][-1]["text"] == first_text
    assert [m["role"] for m in sent_messages(demo_relay)] == ["user"]  # the old reply not sent
    saved = reloaded(conversation.session).messages
    assert [m.id for m in saved] == [messages[0].id, second.id]
    assert (saved[-1].version, saved[-1].version_count) == (1, 2)  # versions survive resume


async def test_the_request_after_switching_versions_carries_the_one_shown(
    demo_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay), pool)
    demo_relay.queue_fault(Fault.parse("long=3"))  # version 1: a short answer
    reply = await drain(conversation.send("Answer me"))
    version_one = reply.text
    await drain(conversation.regenerate())  # version 2: the usual answer
    assert reply.text != version_one

    conversation.show_version(reply.id, 0)
    assert reply.text == version_one
    assert (reloaded(conversation.session).messages[-1].text) == version_one  # saved at once
    await drain(conversation.send("And then?"))

    sent = sent_messages(demo_relay)
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    sent_text = "".join(b.get("text", "") for b in sent[1]["content"] if b["type"] == "text")
    assert sent_text == version_one


async def test_regenerate_answers_a_failed_turn(demo_relay: DemoRelay, pool: EndpointPool) -> None:
    conversation = new_conversation(relay_profile(demo_relay), pool)
    demo_relay.queue_fault(Fault.http_error(500))
    failed = await drain(conversation.send("Try again later"))
    assert failed.status is MessageStatus.ERROR

    retried = await drain(conversation.regenerate())

    assert retried.status is MessageStatus.COMPLETE
    assert [m.id for m in reloaded(conversation.session).messages][-1] == retried.id
    assert len(conversation.session.messages) == 2
    assert retried.version_count == 1  # the failed attempt had no text: not kept as a version


async def test_switching_profile_sends_the_history_and_strips_thinking(
    demo_relay: DemoRelay, second_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay, thinking=2048), pool)
    first = await drain(conversation.send("First, on relay one"))
    assert [b["type"] for b in first.content] == ["thinking", "text"]

    other = relay_profile(second_relay, "other", model="claude-demo-fast", thinking="off")
    conversation.switch_profile(other)
    second = await drain(conversation.send("Then on relay two"))

    assert len(demo_relay.requests) == 1
    [request] = second_relay.requests
    assert request.json["model"] == "claude-demo-fast"
    assert "thinking" not in request.json
    history = request.json["messages"]
    assert [m["role"] for m in history] == ["user", "assistant", "user"]
    # Another model cannot verify the first model's thinking signature: text only.
    assert history[1]["content"] == [{"type": "text", "text": first.text}]
    assert (second.profile, second.model) == ("other", "claude-demo-fast")
    saved = reloaded(conversation.session)
    assert (saved.profile, saved.model) == ("other", "claude-demo-fast")
    assert [b["type"] for b in saved.messages[1].content] == ["thinking", "text"]  # kept on disk


async def test_switching_profile_with_the_same_model_keeps_thinking(
    demo_relay: DemoRelay, second_relay: DemoRelay, pool: EndpointPool
) -> None:
    conversation = new_conversation(relay_profile(demo_relay, thinking=2048), pool)
    first = await drain(conversation.send("Think about it"))

    conversation.switch_profile(relay_profile(second_relay, "mirror", thinking=2048))
    await drain(conversation.send("And now?"))

    earlier = second_relay.requests[0].json["messages"][1]["content"]
    assert earlier[0] == {
        "type": "thinking",
        "thinking": first.thinking_text,
        "signature": first.content[0]["signature"],
    }
    assert earlier[1] == {"type": "text", "text": first.text}
