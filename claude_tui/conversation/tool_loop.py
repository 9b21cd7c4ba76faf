"""A turn with tools: rounds of (the model asks for calls, they are approved and run, the
results go back) until the model ends its turn.

Each round is an ordinary request (:meth:`Conversation.stream_round`: failover, the rate-limit
gate, the request log and the saving promises all apply), so the budget is asked again
between rounds. What is saved is what the API sees, round by round: the reply ending in
``tool_use`` blocks, a user message of ``tool_result`` blocks answering them in order
(``reply_to`` the reply), then the next round's reply (``reply_to`` the results). Every call
is answered, whatever happens: declined, failed, cancelled by Esc, left over when the reply
was cut or the round limit was reached; the history stays paired, so it can always be sent
again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from typing import TYPE_CHECKING, Any

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.tool_events import ToolCallChanged, ToolCallState
from claude_tui.conversation.tool_host import ToolCall, ToolHost, ToolOutcome
from claude_tui.conversation.turn_services import SendRefusedError
from claude_tui.profiles.profile import Profile
from claude_tui.sessions.session_errors import SessionSaveError

if TYPE_CHECKING:
    from claude_tui.conversation.conversation import Conversation, Replies

DECLINED = "The user declined this call."
"""The result of a call the user denied (the model can go on without it)."""
CANCELLED = "The call was cancelled by the user."
"""The result of a call not done when the user stopped the turn (Esc)."""
CUT_OFF = "The call did not run: the reply was cut off before it ended."
"""The result of a call in a reply that did not end normally."""
STOPPED_BY_USER = "Stopped by you during a tool call; the calls not done were cancelled"


def rounds_limit_note(limit: int) -> str:
    """What the last reply says when the turn reached ``max_tool_rounds``."""
    return f"stopped after {limit} tool rounds (max_tool_rounds)"


async def tool_turn(
    conversation: Conversation,
    host: ToolHost,
    *,
    continue_message: ChatMessage | None = None,
    new_version: ChatMessage | None = None,
) -> Replies:
    """Stream a turn's rounds, yielding the stream's events and each call's
    :class:`ToolCallChanged` with the reply of its round."""
    profile = conversation.profile
    await host.prepare(profile)
    limit = profile.max_tool_rounds
    rounds = 0
    first = {"continue_message": continue_message, "new_version": new_version}
    current: _Round | None = None
    streaming: ChatMessage | None = None  # the reply of the round being streamed
    try:
        while True:
            stream = conversation.stream_round(**first, tools=host.offered(profile))
            first = {}
            async with contextlib.aclosing(stream) as events:
                async for event, streaming in events:
                    yield event, streaming
            message = streaming or _last_reply(conversation)
            streaming = None
            if message is None:
                return
            current = _Round(conversation, host, message)
            if not current.calls:
                current = None
                return
            if message.status != MessageStatus.COMPLETE or message.stop_reason != "tool_use":
                current.close(CUT_OFF)
                return
            if rounds >= limit:
                note = rounds_limit_note(limit)
                current.close(f"The call did not run: the turn {note}.")
                _note_on(conversation, message, note)
                return
            rounds += 1
            for call in current.calls:
                yield ToolCallChanged(call, "waiting"), message
                approval = await host.approve(call, profile)
                if approval == "deny":
                    outcome = ToolOutcome(DECLINED, is_error=True)
                    current.answer(call, outcome)
                    yield ToolCallChanged(call, "denied", outcome=outcome), message
                    continue
                started = time.monotonic()
                yield ToolCallChanged(call, "running", started=started), message
                outcome = await _run(host, call, profile)
                current.answer(call, outcome)
                state: ToolCallState = "failed" if outcome.is_error else "done"
                yield ToolCallChanged(call, state, started=started, outcome=outcome), message
            current.save()
            current = None
            try:
                conversation.check_budget()
            except SendRefusedError as refusal:  # the next round is a request like any other
                _note_on(conversation, message, str(refusal))
                return
    finally:
        if current is None and streaming is not None:
            current = _Round(conversation, host, streaming)  # stopped while the reply streamed
        if current is not None and current.calls and not current.saved:
            # Esc (the generator closed, or the task cancelled) during approval, a run or
            # the stream: answer what was not done, so the saved history stays paired.
            current.close(CANCELLED)
            if current.message.status == MessageStatus.COMPLETE:
                _note_on(conversation, current.message, STOPPED_BY_USER)


class _Round:
    """The calls of one reply and the results gathered for them."""

    def __init__(self, conversation: Conversation, host: ToolHost, message: ChatMessage) -> None:
        self.conversation = conversation
        self.message = message
        self.calls = [
            _described(host, block)
            for block in message.content
            if block.get("type") == "tool_use" and isinstance(block.get("id"), str)
        ]
        self.results: dict[str, dict[str, Any]] = {}
        self.saved = False

    def answer(self, call: ToolCall, outcome: ToolOutcome) -> None:
        """Keep ``outcome`` as ``call``'s result."""
        block: dict[str, Any] = {
            "type": "tool_result",
            "tool_use_id": call.id,
            "content": outcome.content
            if isinstance(outcome.content, str)
            else [dict(part) for part in outcome.content],
        }
        if outcome.is_error:
            block["is_error"] = True
        if outcome.note:
            block["note"] = outcome.note  # for the view; the request builders leave it out
        self.results[call.id] = block

    def close(self, reason: str) -> None:
        """Answer every call not answered yet with the error ``reason``, and save."""
        for call in self.calls:
            if call.id not in self.results:
                self.answer(call, ToolOutcome(reason, is_error=True))
        self.save()

    def save(self) -> None:
        """Save the results message (one result per call, in call order) after the reply."""
        self.saved = True
        blocks = [self.results[call.id] for call in self.calls if call.id in self.results]
        results = ChatMessage(role="user", content=blocks, reply_to=self.message.id)
        self.conversation.session.append_message(results)


def _described(host: ToolHost, block: dict[str, Any]) -> ToolCall:
    """The host's description of a ``tool_use`` block's call, with the block's id (a name the
    host cannot place is still a call: running it gives the model the host's error)."""
    tool_input = block.get("input")
    name = str(block.get("name", ""))
    arguments = tool_input if isinstance(tool_input, dict) else {}
    try:
        call = host.describe(name, arguments)
    except Exception:  # a host that cannot describe the call must not end the turn unanswered
        call = ToolCall(block["id"], name, arguments)
    return call if call.id == block["id"] else dataclasses.replace(call, id=block["id"])


async def _run(host: ToolHost, call: ToolCall, profile: Profile) -> ToolOutcome:
    """``host.run``, with a host's unexpected exception made an error result (the turn
    goes on; cancellation still propagates)."""
    try:
        return await host.run(call, profile)
    except Exception as error:  # any failure of a tool is the model's to read
        return ToolOutcome(f"The tool failed: {error}", is_error=True)


def _last_reply(conversation: Conversation) -> ChatMessage | None:
    for message in reversed(conversation.session.messages):
        if message.role == "assistant":
            return message
    return None


def _note_on(conversation: Conversation, message: ChatMessage, note: str) -> None:
    """Say on the reply why the turn ended there (it stays complete: its calls are sent)."""
    message.error = note
    with contextlib.suppress(SessionSaveError):  # a later save writes it whole
        conversation.session.finish_reply(message)
