"""A session being chatted in: sends turns, streams replies, saves as it goes.

This is the seam between the backend and its two front-ends (print mode and the Textual
UI). It owns the crash-safety promises: the user's message is on disk before the request
leaves, the reply is checkpointed at least every second, and a reply that is stopped,
cut or failed is saved with what arrived.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import TYPE_CHECKING

from claude_tui.chat_message import ChatMessage, MessageStatus, Usage
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.conversation.failover import TurnRequests, failover_reason
from claude_tui.conversation.turn_services import TurnServices
from claude_tui.profiles.profile import Profile
from claude_tui.profiles.profile_values import Thinking
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_errors import SessionSaveError
from claude_tui.sessions.session_settings import SessionSettings

if TYPE_CHECKING:  # the wire layer loads on the first send, not at start-up
    from claude_tui.conversation.tool_events import ToolCallChanged
    from claude_tui.wire import ChatRequest, RequestRecord, StreamEvent, ToolSpec

Replies = AsyncGenerator[tuple["StreamEvent | ToolCallChanged", ChatMessage], None]
"""What sending yields: each event with the message it was applied to (with tools, also
each call's :class:`ToolCallChanged`, with the reply that asked for it). A generator, so a
caller that stops early can ``aclose()`` it (``contextlib.aclosing``) and have the reply
saved and its connection closed at once."""

CHECKPOINT_INTERVAL = 1.0
CONTINUE_PROMPT = (
    "Your previous reply was cut off. Continue exactly where it stopped, without repeating "
    "anything already written."
)


class PromptNotSavedError(SessionSaveError):
    """The user's message could not be saved, so it was not sent; ``prompt`` is its text."""

    def __init__(self, prompt: str, error: SessionSaveError) -> None:
        super().__init__(
            error.path,
            error.cause,
            outcome="your message was not sent",
        )
        self.prompt = prompt


class Conversation:
    """Sends messages of one :class:`Session` through the active profile."""

    def __init__(
        self,
        session: Session,
        profile: Profile,
        pool: EndpointPool,
        services: TurnServices | None = None,
    ) -> None:
        """A resumed session talks to ``profile``; if that is not the profile its settings
        name (``--profile`` on resume, or its profile was removed), it switches to it."""
        self.session = session
        self.profile = profile
        self.pool = pool
        self.services = services or TurnServices()
        self.request_log: list[RequestRecord] = []
        """Every request this conversation made in this run, oldest first (``/log``)."""
        if session.settings.profile != profile.name:
            session.set_settings(session.settings.switched_to(profile))

    # -- settings: the session's, changed only here and saved at once ----------------------

    @property
    def settings(self) -> SessionSettings:
        """What the next request uses (the session's saved settings)."""
        return self.session.settings

    def switch_profile(self, profile: Profile, *, model: str | None = None) -> None:
        """Send the next message to another endpoint, with the whole history; the profile's
        model, thinking, effort, max_tokens and temperature come along (see
        :meth:`SessionSettings.switched_to`)."""
        previous = self.profile
        self.profile = profile
        self.session.set_settings(
            self.settings.switched_to(profile, model=model, previous=previous)
        )

    def apply_profile_edit(self, profile: Profile) -> None:
        """The session's profile was edited (F6): take its new settings as a switch to it
        would, keeping a system prompt this session set itself."""
        previous = self.profile
        self.profile = profile
        self.session.set_settings(self.settings.switched_to(profile, previous=previous))

    def set_model(self, model: str) -> None:
        """Use ``model`` from the next message on (thinking signatures will be stripped)."""
        self.session.set_settings(self.settings.changed(model=model))

    def set_thinking(self, thinking: Thinking) -> None:
        """``"off"``, ``"adaptive"`` or a budget in tokens."""
        self.session.set_settings(self.settings.changed(thinking=thinking))

    def set_system(self, system: str | None) -> None:
        """Replace the system prompt for this session (None or "" for none)."""
        self.session.set_settings(self.settings.changed(system=system or None))

    # -- turns -----------------------------------------------------------------------------

    async def send(self, text: str, attachments: Sequence[Mapping[str, object]] = ()) -> Replies:
        """Save ``text`` (with its ``attachments`` blocks, already stored) as the user's
        message, then stream the reply.

        A prompt that cannot be saved (full or read-only disk) is not sent: it is dropped
        from the session and :class:`PromptNotSavedError` says so, holding the text. A turn
        the budget refuses raises :class:`SendRefusedError` before anything is saved.
        """
        self.check_budget(text)
        prompt = ChatMessage.user(text, attachments)
        try:
            self.session.append_message(prompt)
        except SessionSaveError as error:
            self.session.discard_unsaved(prompt.id)
            raise PromptNotSavedError(text, error) from error
        # aclosing, here and below: a caller that stops early (Esc) closes this generator,
        # and the reply must then be saved and its connection closed at once, not whenever
        # the inner generator happens to be garbage-collected.
        async with contextlib.aclosing(self._reply()) as replies:
            async for item in replies:
                yield item

    async def regenerate(self) -> Replies:
        """Answer the last user message again. An earlier last reply is kept as a version
        of the new one (:meth:`ChatMessage.start_new_version`): the new answer streams into
        the same message, shown as its last version, and only the shown version is sent
        with later turns (see :meth:`show_version`)."""
        self.check_budget()  # a new request costs like a send: refused first, nothing changed
        messages = self.session.messages
        last = messages[-1] if messages else None
        if last is not None and last.role == "assistant":
            if len(messages) < 2 or messages[-2].role != "user":
                raise ValueError("There is no user message to answer")
            last.start_new_version()
            replies = self._reply(new_version=last)
        elif last is not None and last.role == "user":
            replies = self._reply()
        else:
            raise ValueError("There is no user message to answer")
        async with contextlib.aclosing(replies) as stream:
            async for item in stream:
                yield item

    def show_version(self, message_id: str, index: int) -> ChatMessage:
        """Show version ``index`` (0-based) of a regenerated reply, saved at once (the
        message is written again whole; the file stays append-only). What is sent next
        carries the shown version's text, so the conversation continues from it."""
        message = self.session.find_message(message_id)
        if message is None or message.role != "assistant":
            raise ValueError("There is no such reply")
        if message.status == MessageStatus.STREAMING:
            raise ValueError("The reply is still streaming")
        message.show_version(index)
        self.session.append_message(message)
        return message

    async def continue_reply(self) -> Replies:
        """Finish an interrupted last reply: prefill where allowed, else a "continue" turn."""
        from claude_tui.wire import BadRequestError, StreamFailed

        last = self.session.messages[-1] if self.session.messages else None
        if last is None or last.role != "assistant" or not last.text:
            raise ValueError("The last reply has no text to continue")
        self.check_budget()
        if self._may_prefill():
            refused = False
            before = (last.status, last.error, last.stop_reason)
            async with contextlib.aclosing(self._reply(continue_message=last)) as replies:
                async for event, message in replies:
                    if (
                        isinstance(event, StreamFailed)
                        and isinstance(event.error, BadRequestError)
                        and "prefill" in (event.error.server_message or "").lower()
                        and self.profile.prefill == "auto"
                    ):
                        refused = True  # this model refuses prefill: fall back below
                        break
                    yield event, message
            if not refused:
                return
            last.status, last.error, last.stop_reason = before
            self.session.finish_reply(last)
        async with contextlib.aclosing(self.send(CONTINUE_PROMPT)) as replies:
            async for item in replies:
                yield item

    def check_budget(self, prompt: str = "") -> None:
        """Raise :class:`BudgetExceededError` (holding ``prompt``) when the profile's daily
        or monthly limit is spent."""
        check = self.services.check_budget
        if check is None:
            return
        from claude_tui.conversation.turn_services import SendRefusedError

        try:
            check(self.profile)
        except SendRefusedError as refusal:
            refusal.prompt = prompt
            raise

    def log_request(self, record: RequestRecord) -> None:
        """Keep a request's record in this conversation's log and pass it to the sink."""
        from claude_tui.wire import keep_recent_bodies

        record.session_id = self.session.id
        self.request_log.append(record)
        keep_recent_bodies(self.request_log)  # bodies are kept for "copy as curl" only
        sink = self.services.request_sink
        if sink is not None:
            sink(record)

    def request_for(
        self,
        history: list[ChatMessage],
        *,
        prefill: str | None = None,
        profile: Profile | None = None,
        tools: tuple[ToolSpec, ...] = (),
    ) -> ChatRequest:
        """The one place settings become a request: the session's settings, with the
        profile's endpoint limits (trimming, context window) and the ``/compact`` summary
        in effect. A turn that fails over asks for another ``profile``'s request: its
        settings as a switch to it would make them, for this turn only. ``tools`` are the
        tools the turn offers (the tool host's, see ``tool_loop``)."""
        from claude_tui.wire import ChatRequest

        settings = self.settings
        if profile is not None and profile.name != self.profile.name:
            settings = settings.switched_to(profile, previous=self.profile)
        profile = profile or self.profile
        return ChatRequest(
            history=history,
            model=settings.model,
            max_tokens=settings.max_tokens,
            system=settings.system,
            thinking=settings.thinking,
            effort=settings.effort,
            temperature=settings.temperature,
            max_messages=profile.max_messages,
            context_window=profile.context_window,
            prefill=prefill,
            cache=profile.cache,
            summary=self.session.summary_in_effect,
            tools=tools,
            server_tools=profile.server_tools,
        )

    def trim_cut(self) -> tuple[int, str] | None:
        """Where the next message's request leaves earlier messages out (``max_messages``
        or ``context_window``): the index of the first message sent and a divider's words.
        Asked of the request builders' own function, so what is shown is what is sent."""
        profile = self.profile
        messages = self.session.messages
        if not messages or not (profile.max_messages or profile.context_window):
            return None
        from claude_tui.wire import sent_history

        next_prompt = ChatMessage(role="user", content=[{"type": "text", "text": "…"}])
        sent = sent_history(self.request_for([*messages, next_prompt]), profile.api_format)
        if not sent.left_out:
            return None
        count = sent.left_out - sent.summarized  # those the summary replaced are not "cut"
        noun = "message is" if count == 1 else "messages are"
        if sent.limit == "max_messages":
            why = f"max_messages = {profile.max_messages}"
        else:
            why = f"context window {profile.context_window:,} tokens"
        return sent.left_out, f"{count} earlier {noun} not sent ({why})"

    def _fallbacks(self) -> list[Profile]:
        """The profiles this turn may go to after the session's fails (its ``fallback``, in
        order, those that still exist)."""
        lookup = self.services.profiles
        if lookup is None or not self.profile.fallback:
            return []
        found = (lookup(name) for name in self.profile.fallback if name != self.profile.name)
        return [profile for profile in found if profile is not None]

    def _may_prefill(self) -> bool:
        setting = self.profile.prefill
        if setting is True:
            return True
        if setting is False:
            return False
        return not self.settings.thinking_enabled  # the API forbids prefill with thinking

    async def _reply(
        self,
        *,
        continue_message: ChatMessage | None = None,
        new_version: ChatMessage | None = None,
    ) -> Replies:
        """Stream a reply: a new message after the last prompt; more of ``continue_message``;
        or a fresh version of ``new_version`` (the last reply, emptied by a regenerate).
        With a tool host, the reply is a turn of tool rounds (see ``tool_loop``)."""
        host = self.services.tools
        replies: Replies
        if host is None:
            replies = self.stream_round(continue_message=continue_message, new_version=new_version)
        else:
            from claude_tui.conversation.tool_loop import tool_turn

            replies = tool_turn(
                self, host, continue_message=continue_message, new_version=new_version
            )
        async with contextlib.aclosing(replies) as stream:
            async for item in stream:
                yield item

    async def stream_round(
        self,
        *,
        continue_message: ChatMessage | None = None,
        new_version: ChatMessage | None = None,
        tools: tuple[ToolSpec, ...] = (),
    ) -> AsyncGenerator[tuple[StreamEvent, ChatMessage], None]:
        """One request and its reply (with failover), saved as it streams: what
        :meth:`_reply` does without tools, and each round of a tool turn (a new reply after
        the last user message, which is then the previous round's results)."""
        client = self.pool.client(self.profile)
        history = list(self.session.messages)
        prefill = None
        earlier_usage: Usage | None = None
        if new_version is not None:
            history = history[:-1]
            message = new_version
            message.model = self.settings.model
            message.profile = self.profile.name
            self.session.start_reply(message)
        elif continue_message is not None:
            history = history[:-1]
            # The wire layer sends the prefill without trailing whitespace (the API refuses
            # it), so the model continues from there: trim the saved text to match, or the
            # continuation's leading space would double the one already here.
            _trim_trailing_whitespace(continue_message)
            prefill = continue_message.text
            message = continue_message
            earlier_usage = message.usage
        else:
            message = ChatMessage(
                role="assistant", content=[], model=self.settings.model, profile=self.profile.name
            )
            # Tied to its prompt, so that another window appending to this session cannot
            # separate them (the file keeps the tie; loading puts the reply after its prompt).
            prompt = next((m for m in reversed(history) if m.role == "user"), None)
            self.session.start_reply(message, reply_to=prompt)
        from claude_tui.wire import FailedOver, MessageAccumulator, StreamFailed

        accumulator = MessageAccumulator(message, continue_text=continue_message is not None)
        last_checkpoint = time.monotonic()
        fallbacks = self._fallbacks()
        profile = self.profile
        turn = TurnRequests(self.log_request)
        try:
            while True:
                request = self.request_for(history, prefill=prefill, profile=profile, tools=tools)
                failed: StreamFailed | None = None
                async with contextlib.aclosing(
                    client.stream(request, observer=turn.observe)
                ) as events:
                    async for event in events:
                        if (
                            isinstance(event, StreamFailed)
                            and fallbacks
                            and not event.partial
                            and failover_reason(event.error) is not None
                        ):
                            failed = event  # the next profile answers instead
                            break
                        accumulator.apply(event)
                        if isinstance(event, StreamFailed) and _refused(event.error):
                            message.refused = True  # later requests leave this prompt out
                        now = time.monotonic()
                        if now - last_checkpoint >= CHECKPOINT_INTERVAL:
                            last_checkpoint = now
                            # A full disk must not cut the reply: it streams on, on screen,
                            # and the final save below writes it whole (or says it could not).
                            with contextlib.suppress(SessionSaveError):
                                self.session.checkpoint_reply(message)
                        yield event, message
                if failed is None:
                    break
                following = fallbacks.pop(0)
                reason = failover_reason(failed.error) or ""
                moved = FailedOver(profile.name, following.name, reason)
                message.failover = (
                    f"{message.failover}; {moved.description}"
                    if message.failover
                    else moved.description
                )
                message.profile = following.name
                message.model = self.settings.switched_to(following, previous=self.profile).model
                turn.failover_from = turn.failover_from or profile.name
                profile = following
                client = self.pool.client(following)
                yield moved, message
            if turn.served_by is not None and client.keys.is_pool:
                message.key_position = turn.served_by
        finally:
            if message.status == MessageStatus.STREAMING:
                accumulator.stop()  # Esc, Ctrl+C, quit: keep what came
            # Only a continuation that reported its own usage adds to the earlier figures; one
            # that failed before starting left the earlier object in place.
            if (
                earlier_usage is not None
                and message.usage is not None
                and message.usage is not earlier_usage
            ):
                message.usage = _add_usage(earlier_usage, message.usage)
            self.session.finish_reply(message)


REFUSED_STATUSES = frozenset({400, 404, 413, 422})
"""HTTP statuses that refuse the request itself: sending the same prompt again (alone or with
the next one) would be refused again."""


def _refused(error: BaseException) -> bool:
    return getattr(error, "status", None) in REFUSED_STATUSES


def _trim_trailing_whitespace(message: ChatMessage) -> None:
    """Strip trailing whitespace off the end of ``message``'s text, in place."""
    for block in reversed(message.content):
        if block.get("type") != "text":
            continue
        block["text"] = str(block.get("text", "")).rstrip()
        if block["text"]:
            return


def _add_usage(first: Usage, second: Usage) -> Usage:
    return first + second
