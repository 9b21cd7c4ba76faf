"""``/compact``: a summary of the earlier turns stands in for them in later requests.

The summary is asked of the session's profile (its ``compact_model`` if set, else the
session's model) over the same client and stream as a reply, with a summarising system
prompt: the old turns are sent as they would be for a reply, followed by one user turn
asking for the summary; so it works over both API formats. It
covers everything before the newest ``keep_recent`` turns. Nothing changes until the summary
has arrived whole: Esc (closing :meth:`Compaction.stream`) or a failure leaves the session as
it was. Once saved (:meth:`Session.set_summary`, one record), ``sent_history`` sends it in
place of the turns it replaced, which stay saved and shown.

A second ``/compact`` summarises from the start again: the earlier summary and the turns
after it (up to the new cut) go into the new one, which then replaces everything from the
first message. ``/compact undo`` sends the full history again.

Auto-compact (``auto_compact = 0.8``) runs one before a send whose request would pass that
fraction of ``context_window`` (see :func:`auto_compact_reason`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claude_tui.chat_message import ChatMessage
from claude_tui.history_summary import HistorySummary

if TYPE_CHECKING:
    from claude_tui.conversation.conversation import Conversation
    from claude_tui.wire import ChatRequest

SUMMARY_SYSTEM_PROMPT = (
    "You write the summary that replaces the earlier part of a conversation between a user "
    "and an AI assistant, so that the conversation can go on without it. Keep everything "
    "the rest of the conversation may need: the user's goals and preferences, decisions "
    "made and why, facts, names, numbers, file paths, code that matters (verbatim where it "
    "is short), open questions and what was about to happen next. Leave out greetings and "
    "repetition. Write it as plain notes in the third person; do not address the user and "
    "do not continue the conversation."
)
"""The system prompt of every summarising request."""

SUMMARY_REQUEST = (
    "Summarise the whole conversation above (the summary it opens with included): your "
    "summary is about to replace it, as the system prompt describes."
)
INSTRUCTIONS_HEADING = "Follow these instructions for the summary:"


class CompactionError(Exception):
    """A compaction could not be made; the message says why and what to do. The session is
    left as it was."""


class NothingToCompact(CompactionError):
    """Too few turns before the newest ``keep_recent`` ones to summarise."""


class CompactionFailed(CompactionError):
    """The summarising request failed (or answered nothing)."""


@dataclass(frozen=True)
class CompactionPlan:
    """What one compaction summarises: ``messages[:cut]`` (the earlier summary standing
    for ``messages[:earlier_end]``, when there is one)."""

    cut: int
    """Index of the first message kept as it is."""
    first_id: str
    last_id: str
    earlier: HistorySummary | None
    earlier_end: int
    """Index just past what ``earlier`` replaced (0 without one)."""

    @property
    def count(self) -> int:
        """Messages the new summary replaces."""
        return self.cut


def kept_start(messages: Sequence[ChatMessage], keep_recent: int) -> int:
    """Index of the first message of the newest ``keep_recent`` turns (a turn opens with a
    user message); ``len(messages)`` with ``keep_recent = 0``; 0 when there are no more
    turns than that."""
    if keep_recent <= 0:
        return len(messages)
    prompts = [index for index, message in enumerate(messages) if message.role == "user"]
    if len(prompts) <= keep_recent:
        return 0
    return prompts[-keep_recent]


def plan_compaction(
    messages: Sequence[ChatMessage], keep_recent: int, earlier: HistorySummary | None = None
) -> CompactionPlan:
    """Where a compaction cuts (raises :class:`NothingToCompact` saying why it cannot)."""
    earlier_end = earlier.replaced_end([m.id for m in messages]) if earlier else None
    if earlier_end is None:
        earlier = None
        earlier_end = 0
    cut = kept_start(messages, keep_recent)
    turns = "turn" if keep_recent == 1 else "turns"
    if cut <= 0:
        raise NothingToCompact(
            f"Nothing to compact: the conversation has no turns before the newest "
            f"{keep_recent} {turns} (keep_recent = {keep_recent})."
        )
    if cut <= earlier_end:
        raise NothingToCompact(
            f"Nothing new to compact: the summary already covers everything before the "
            f"newest {keep_recent} {turns}. /compact undo sends the full history again."
        )
    return CompactionPlan(
        cut=cut,
        first_id=messages[0].id,
        last_id=messages[cut - 1].id,
        earlier=earlier,
        earlier_end=earlier_end,
    )


def summarising_request(
    conversation: Conversation, plan: CompactionPlan, instructions: str = ""
) -> ChatRequest:
    """The request that asks for the summary: the turns to summarise as they would be sent
    (the earlier summary opening them, shaped by the same rules as a reply's request, so
    any endpoint accepts them), then one user turn asking for the summary. The session's
    settings (the same endpoint and format), ``compact_model`` if the profile sets one, no
    thinking, no trimming."""
    from claude_tui.wire import ChatRequest

    ask = SUMMARY_REQUEST
    if instructions.strip():
        ask += f"\n\n{INSTRUCTIONS_HEADING} {instructions.strip()}"
    settings = conversation.settings
    return ChatRequest(
        history=[*conversation.session.messages[: plan.cut], ChatMessage.user(ask)],
        model=conversation.profile.compact_model or settings.model,
        max_tokens=settings.max_tokens,
        system=SUMMARY_SYSTEM_PROMPT,
        thinking="off",
        temperature=None,
        summary=plan.earlier,
    )


class Compaction:
    """One summarising request for a conversation, streamed by :meth:`stream`.

    Creating it plans the cut (raises :class:`NothingToCompact`); the session changes only
    when the stream ends with the whole summary.
    """

    def __init__(
        self,
        conversation: Conversation,
        instructions: str = "",
        *,
        auto: bool = False,
        reason: str = "",
    ) -> None:
        self.conversation = conversation
        self.instructions = instructions.strip()
        self.auto = auto
        self.reason = reason
        self.plan = plan_compaction(
            conversation.session.messages,
            conversation.profile.keep_recent,
            conversation.session.summary_in_effect,
        )
        self.request = summarising_request(conversation, self.plan, self.instructions)
        self.text = ""
        """The summary so far (the whole of it once :meth:`stream` has ended)."""
        self.summary: HistorySummary | None = None
        """The saved summary, once the stream has ended whole."""

    @property
    def count(self) -> int:
        """Messages the summary replaces."""
        return self.plan.count

    async def stream(self) -> AsyncGenerator[str, None]:
        """Yield the summary's text as it arrives, then save it.

        Raises :class:`CompactionFailed` when the request fails or answers nothing, and
        ``SessionSaveError`` when the summary cannot be saved (it is then not in effect).
        Closing the generator early (Esc) closes the connection and changes nothing.
        """
        from claude_tui.wire import MessageAccumulator, StreamFailed, TextDelta

        client = self.conversation.pool.client(self.conversation.profile)
        reply = ChatMessage(role="assistant", content=[], model=self.request.model)
        accumulator = MessageAccumulator(reply)
        async with contextlib.aclosing(client.stream(self.request)) as events:
            async for event in events:
                accumulator.apply(event)
                if isinstance(event, StreamFailed):
                    raise CompactionFailed(
                        f"The summary could not be made: {event.error} "
                        "Nothing was changed; the full history is still sent."
                    )
                if isinstance(event, TextDelta) and event.text:
                    self.text = reply.text
                    yield event.text
        self.text = reply.text.strip()
        if not self.text:
            raise CompactionFailed(
                "The summary came back empty, so nothing was changed. Try /compact again, "
                "perhaps with another compact_model."
            )
        summary = HistorySummary(
            text=self.text,
            first_id=self.plan.first_id,
            last_id=self.plan.last_id,
            count=self.plan.count,
            model=reply.model or self.request.model,
            instructions=self.instructions,
            auto=self.auto,
            reason=self.reason,
        )
        self.conversation.session.set_summary(summary)
        self.summary = summary

    async def run(self) -> HistorySummary:
        """Stream to the end without showing progress; the saved summary."""
        async with contextlib.aclosing(self.stream()) as deltas:
            async for _delta in deltas:
                pass
        assert self.summary is not None  # stream() raised otherwise
        return self.summary


def undo_compaction(conversation: Conversation) -> HistorySummary:
    """``/compact undo``: send the full history again (saved as a record, so resume
    agrees); the summary that was in effect. Raises :class:`CompactionError` with none."""
    summary = conversation.session.summary_in_effect
    if summary is None:
        raise CompactionError("There is no summary to undo: the full history is being sent.")
    conversation.session.set_summary(None)
    return summary


def compacted_note(count: int, reason: str) -> str:
    """What auto-compact says it did: ``compacted 14 earlier messages to stay under …``."""
    noun = "message" if count == 1 else "messages"
    return f"compacted {count} earlier {noun} {reason}".rstrip()


def auto_compact_reason(conversation: Conversation, next_prompt: str) -> str | None:
    """Why the send of ``next_prompt`` should compact first (``to stay under 80% of
    200,000 tokens``), or None: auto-compact is off, the request stays under the mark
    (estimated, untrimmed, with any summary in effect), or there is nothing to compact."""
    profile = conversation.profile
    if profile.auto_compact <= 0 or profile.context_window <= 0:
        return None
    from claude_tui.wire import estimate_request_tokens, sent_history

    messages = conversation.session.messages
    request = conversation.request_for([*messages, ChatMessage.user(next_prompt)])
    request.max_messages = 0  # what the request would carry before trimming cut it
    request.context_window = 0
    sent = sent_history(request, profile.api_format)
    mark = profile.auto_compact * profile.context_window
    if estimate_request_tokens(sent.turns, request.system) <= mark:
        return None
    try:
        plan_compaction(messages, profile.keep_recent, conversation.session.summary_in_effect)
    except NothingToCompact:
        return None
    return f"to stay under {profile.auto_compact * 100:g}% of {profile.context_window:,} tokens"
