"""One open conversation: its message view, composer and the reply streaming into it.

Panes stream independently: each runs its reply in its own worker, so one tab can think
while another is being typed in. The pane turns backend events into view refreshes and
tells the app (through messages) what the status bar should show.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static
from textual.worker import Worker, WorkerCancelled

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.conversation import Conversation, PromptNotSavedError
from claude_tui.conversation.turn_services import SendRefusedError
from claude_tui.sessions.session_errors import SessionError
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.prompt_history import PromptHistory
from claude_tui.ui.rendering.block_render import BlockRenderer
from claude_tui.ui.widgets.composer_box import ComposerBox
from claude_tui.ui.widgets.conversation.conversation_view import ConversationView
from claude_tui.ui.widgets.conversation.find_bar import FindBar
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
from claude_tui.ui.widgets.conversation.pane_alert import PaneAlert
from claude_tui.ui.widgets.conversation.pane_attachments import PaneAttachments
from claude_tui.ui.widgets.conversation.pane_commands import PaneCommands
from claude_tui.ui.widgets.conversation.queued_prompts import QueuedPrompts

if TYPE_CHECKING:  # the wire layer loads with the first reply, not at start-up
    from textual.widget import AwaitMount

    from claude_tui.conversation.compaction import Compaction
    from claude_tui.conversation.tool_events import ToolCallChanged
    from claude_tui.conversation.tool_host import Approval, ToolCall
    from claude_tui.profiles.profile import Profile
    from claude_tui.redaction import SecretPolicy
    from claude_tui.ui.widgets.conversation.tool_approval_card import ToolApprovalCard
    from claude_tui.wire import StreamEvent

TYPING_HOLD = 0.05  # seconds the stream's repaints wait after a keystroke in the composer
YIELD_EVERY = 0.002  # seconds of back-to-back event handling before letting keys and paints in

ReplyStream = AsyncIterator[tuple["StreamEvent | ToolCallChanged", ChatMessage]]


class ConversationPane(PaneAttachments, PaneCommands, Vertical):
    """A session's view, composer and streaming worker."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so it is seen before the composer's history recall; it applies only
        # while a prompt is queued and the composer is empty (see check_action).
        Binding("up", "take_back_queued", show=False, priority=True, id="pane.take_back_queued"),
        # With the messages focused (the composer takes these as text): page the versions
        # of a regenerated reply.
        Binding(
            "less_than_sign",
            "page_version(-1)",
            "Earlier version of a regenerated reply",
            show=False,
            id="pane.previous_version",
        ),
        Binding(
            "greater_than_sign",
            "page_version(1)",
            "Later version of a regenerated reply",
            show=False,
            id="pane.next_version",
        ),
    ]

    streaming: reactive[bool] = reactive(False)

    class SlashCommand(Message):
        """The user typed a slash command; the app carries it out."""

        def __init__(self, pane: ConversationPane, name: str, argument: str) -> None:
            super().__init__()
            self.pane = pane
            self.name = name
            self.argument = argument

    class StateChanged(Message):
        """Streaming started or ended, or usage changed: the status bar should redraw."""

        def __init__(self, pane: ConversationPane) -> None:
            super().__init__()
            self.pane = pane

    def __init__(
        self,
        conversation: Conversation,
        *,
        store: SessionStore,
        styles: LayoutStyles,
        renderer: BlockRenderer,
        cost_of: Callable[[ChatMessage], float | None],
        argument_choices: Callable[[str], Sequence[str]],
        history: PromptHistory | None = None,
        id: str | None = None,
        saving_of: Callable[[ChatMessage], float | None] = lambda message: None,
        alert_of: Callable[[ChatMessage], str | None] | None = None,
    ) -> None:
        """``alert_of`` gives the flag shown under a reply past its alerts, if any."""
        super().__init__(id=id)
        self.conversation = conversation
        self._styles = styles
        self._renderer = renderer
        self.cost_of = cost_of
        self.saving_of = saving_of
        self.alert_of = alert_of
        self.app_store = store
        self._argument_choices = argument_choices
        self._history = history
        self._worker: Worker[None] | None = None
        self.status_note = ""
        self.last_error: str | None = None
        self.queued: list[str] = []
        """Prompts sent (Enter) while a reply streamed, oldest first: they go out together,
        as one message, when the reply ends complete (see :meth:`_after_reply`)."""
        self.queued_attachments: list[dict[str, Any]] = []
        """The attachments of the queued prompts, which go with them."""
        self._sent_attachments: list[dict[str, Any]] = []
        """The attachments of the prompt being sent, given back with it if it is not saved."""
        self._card_mounted: AwaitMount | None = None  # the approval card's mounting

    def compose(self) -> ComposeResult:
        yield ConversationView(
            self.conversation.session.messages,
            styles=self._styles,
            renderer=self._renderer,
            cost_of=self.cost_of,
            alert_of=self.alert_of,
        )
        yield Static(
            "↓ new content below — End or click to follow", id="new-below", classes="hidden"
        )
        yield PaneAlert(id="pane-alert")
        yield QueuedPrompts(id="queued-prompts")
        yield FindBar()
        yield ComposerBox(
            argument_choices=self._argument_choices,
            history=self._history,
            secret_policy=self.secret_policy,
        )

    def secret_policy(self) -> SecretPolicy:
        """How this conversation's prompts are checked for secrets before they leave: its
        profile's ``redact`` setting, and every key the profile and the pool know."""
        from claude_tui.redaction import SecretPolicy

        conversation = self.conversation
        return SecretPolicy.for_profile(conversation.profile, conversation.pool.known_secrets())

    def on_mount(self) -> None:
        profile = self.conversation.profile
        hint = (
            f"Profile {profile.name} · {self.conversation.settings.model}\n"
            "Type a message and press Enter · Shift+Enter or Ctrl+J for a new line\n"
            "/ commands · Ctrl+P palette · F1 help · Ctrl+N new tab"
        )
        if profile.is_demo:
            hint += (
                "\n\nThis is the built-in demo relay: try [demo:long=20000], [demo:cut] "
                "or [demo:status=529] in a prompt"
            )
        self.view.empty_hint = hint
        # The conversation may be replaced (/clear), so ask whichever is current.
        self.view.trim_cut = lambda: self.conversation.trim_cut()
        self.view.summary_source = lambda: self.conversation.session.summary_in_effect

    async def ask_tool_approval(self, call: ToolCall, profile: Profile) -> Approval:
        """Ask the user whether ``call`` may run, on this pane's approval card (one card at
        a time, in the order asked); Esc stops the whole turn (the wait is cancelled)."""
        from claude_tui.ui.widgets.conversation.tool_approval import ask_on_card

        return await ask_on_card(self, await self.approval_card(), call, profile)

    async def approval_card(self) -> ToolApprovalCard:
        """The pane's approval card, mounted above the composer on the first call asked
        (a chat without tools never loads it)."""
        from claude_tui.ui.widgets.conversation.tool_approval_card import ToolApprovalCard

        cards = self.query(ToolApprovalCard)
        if cards:  # in the DOM from the mount call on: calls asked together share it
            card = cards.first()
        else:
            card = ToolApprovalCard()
            self._card_mounted = self.mount(card, before=self.composer)
        if self._card_mounted is not None:
            await self._card_mounted
        return card

    def open_find(self, query: str = "") -> None:
        """Ctrl+F: the find bar above the composer, searching this conversation."""
        self.query_one(FindBar).open(query)

    def on_find_bar_closed(self, event: FindBar.Closed) -> None:
        event.stop()
        self.focus_composer()

    @property
    def view(self) -> ConversationView:
        """The message view."""
        return self.query_one(ConversationView)

    @property
    def composer(self) -> ComposerBox:
        """The composer box."""
        return self.query_one(ComposerBox)

    def focus_composer(self) -> None:
        """Put the cursor in the composer."""
        self.composer.focus_composer()

    def state_changed(self) -> None:
        """Tell the app the status bar (and the tab title) should redraw."""
        self.post_message(self.StateChanged(self))

    def keep_unsent(self) -> None:
        """The tab is closing: text typed but not sent goes into the prompt history."""
        self.composer.keep_unsent()

    def clear_composer(self) -> bool:
        """Empty the composer into the prompt history (Ctrl+C); False if it was empty."""
        return self.composer.clear_to_history()

    @property
    def alert(self) -> PaneAlert:
        """The card for failures that belong to no one reply."""
        return self.query_one(PaneAlert)

    def show_alert(self, title: str, message: str) -> None:
        """Show an error card above the composer until dismissed (Esc) or the next send."""
        self.last_error = message
        self.alert.show_alert(title, message)

    def dismiss_alert(self) -> bool:
        """Hide the error card; True if one was shown."""
        return self.alert.dismiss()

    # -- sending ---------------------------------------------------------------------------

    def on_composer_box_submitted(self, event: ComposerBox.Submitted) -> None:
        event.stop()
        if event.slash is not None and event.slash.unknown:
            hint = f" Did you mean /{event.slash.suggestion}?" if event.slash.suggestion else ""
            self.notify(
                f"Unknown command /{event.slash.name}.{hint} /help lists them.", severity="warning"
            )
            return
        if event.slash is not None:
            self.post_message(self.SlashCommand(self, event.slash.name, event.slash.argument))
            return
        if self.editing_message_id is not None:
            if self.streaming:  # an edit replaces later turns: not under a streaming reply
                self._give_back(event.text)
                self.notify("Stop the streaming reply first (Esc), then resend the edit.")
                return
            self.send_edited(event.text)
            return
        self.send_prompt(event.text)  # with the chips and any @path files

    def submit_prompt(self, text: str) -> None:
        """Send a prompt that was not typed here (``claude-tui "a prompt"``), checked for
        secrets first as Enter would check it: under ``ask`` it waits in the composer."""
        checked = self.composer.check_prompt(text)
        if checked is not None:
            self.send(checked)

    def send(self, text: str, attachments: Sequence[Mapping[str, Any]] = ()) -> bool:
        """Send a prompt (with its attachment blocks); while a reply is still streaming,
        queue it to go when it ends."""
        if self.streaming:
            self.queue_prompt(text, attachments)
            return True
        refresh_config = getattr(self.app, "refresh_config", None)
        if callable(refresh_config):  # an edit of config.toml applies from this send on
            refresh_config()
        self._sent_attachments = [dict(block) for block in attachments]
        if self._auto_compact_first(text):  # it sends the prompt and these blocks after
            return True
        self.start_reply(self.conversation.send(text, attachments))
        return True

    # -- /compact (see compaction_runner) ----------------------------------------------------

    def command_compact(self, argument: str) -> None:
        """``/compact [instructions]`` or ``/compact undo``."""
        from claude_tui.ui.widgets.conversation.compaction_runner import compact_command

        compact_command(self, argument)

    def start_compaction(self, compaction: Compaction, *, then_send: str | None = None) -> None:
        """Run ``compaction`` in this pane's reply worker (Esc stops it as it stops a
        reply); ``then_send`` is the prompt auto-compact runs before."""
        from claude_tui.ui.widgets.conversation.compaction_runner import run_compaction

        self.streaming = True
        self.last_error = None
        self.dismiss_alert()
        self._worker = self.run_worker(
            run_compaction(self, compaction, then_send), group="reply", exclusive=True
        )

    def _auto_compact_first(self, text: str) -> bool:
        """Start auto-compact before sending ``text`` when the profile asks for it and the
        request would pass its share of the window; True if it started (it sends after)."""
        if self.conversation.profile.auto_compact <= 0:
            return False
        from claude_tui.conversation.compaction import (
            Compaction,
            CompactionError,
            auto_compact_reason,
        )

        reason = auto_compact_reason(self.conversation, text)
        if reason is None:
            return False
        try:
            compaction = Compaction(self.conversation, auto=True, reason=reason)
        except CompactionError:
            return False
        self.start_compaction(compaction, then_send=text)
        return True

    @property
    def sent_attachments(self) -> list[dict[str, Any]]:
        """The attachment blocks of the prompt last sent (or waiting on auto-compact)."""
        return self._sent_attachments

    def give_back(self, prompt: str) -> None:
        """Put a prompt that was not sent back in the composer (see :meth:`_give_back`)."""
        self._give_back(prompt)

    def send_queued(self) -> None:
        """Send the prompts queued meanwhile, as one message (nothing if none were)."""
        if self.queued:
            text = "\n\n".join(self.queued)
            self.queued.clear()
            self._show_queue()
            self.send(text)

    def describe_bug(self, error: BaseException) -> str:
        """A bug report's words for ``error`` (keys masked)."""
        return self._describe_bug(error)

    # -- the queue: prompts sent while a reply streams ---------------------------------------

    def queue_prompt(self, text: str, attachments: Sequence[Mapping[str, Any]] = ()) -> None:
        """Keep ``text`` to send when the streaming reply ends (the composer has already
        emptied it into the prompt history, as for any sent prompt)."""
        self.queued.append(text)
        self.queued_attachments.extend(dict(block) for block in attachments)
        self._show_queue()

    def take_back_queued(self) -> bool:
        """Put the queued prompts back in the composer, unsent; False if none were queued."""
        if not self.queued:
            return False
        text = "\n\n".join(self.queued)
        self.queued.clear()
        self._show_queue()
        self._give_back(text)
        if self.queued_attachments:
            self.composer.add_attachments(self.queued_attachments)
            self.queued_attachments = []
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_back_queued":  # Up elsewhere recalls the history as usual
            composer = self.composer.composer
            return bool(self.queued) and composer.has_focus and not composer.text
        return True

    def action_take_back_queued(self) -> None:
        self.take_back_queued()

    def action_page_version(self, step: int) -> None:
        self.page_selected_version(step)

    def _show_queue(self) -> None:
        self.query_one(QueuedPrompts).show_queue(self.queued)

    def _after_reply(self, reply: ChatMessage | None) -> None:
        """A reply ended: send what was queued if it ended complete; else (stopped with
        Esc, cut, failed, not sent) give the queued text back to the composer, so that the
        user decides, with the failure in view, whether it still goes."""
        if not self.queued:
            return
        if reply is not None and reply.status == MessageStatus.COMPLETE:
            text = "\n\n".join(self.queued)
            attachments, self.queued_attachments = self.queued_attachments, []
            self.queued.clear()
            self._show_queue()
            self.send(text, attachments)
        else:
            self.take_back_queued()

    def start_reply(self, replies: ReplyStream) -> None:
        """Stream ``replies`` into the view in a worker of this pane."""
        self.streaming = True
        self.last_error = None
        self.dismiss_alert()
        self._worker = self.run_worker(self._consume(replies), group="reply", exclusive=True)

    def stop(self) -> bool:
        """Stop the streaming reply, keeping what arrived. True if one was running."""
        if self._worker is not None and self._worker.is_running:
            self._worker.cancel()
            return True
        return False

    async def wait_idle(self) -> None:
        """Wait until the current reply (if any) has finished and been saved."""
        if self._worker is not None:
            with contextlib.suppress(WorkerCancelled):  # stopped: its finally still ran
                await self._worker.wait()

    async def _consume(self, replies: ReplyStream) -> None:
        from claude_tui.conversation.tool_events import ToolCallChanged
        from claude_tui.ui.widgets.conversation.tool_approval import ASKING_PANE
        from claude_tui.wire import (
            FailedOver,
            KeyRefreshed,
            KeyRested,
            MessageStopped,
            RateLimitWait,
            Retrying,
            StreamFailed,
        )

        view = self.view
        view.messages_changed()
        view.scroll_to_bottom()
        known_message: str | None = None
        reply: ChatMessage | None = None
        last_pause = time.monotonic()
        waiting = False  # the profile's own rate limit holds the request back
        # The tool host asks for approval from inside this worker: its card goes here.
        ASKING_PANE.set(self)
        try:
            async for event, message in replies:
                reply = message
                if message.id != known_message:
                    known_message = message.id
                    view.messages_changed()
                    # Streaming started and the prompt may have titled the session: the tab
                    # label (● title) and the status bar redraw.
                    self.post_message(self.StateChanged(self))
                if waiting and not isinstance(event, RateLimitWait):
                    waiting = False  # the request left: the countdown goes
                    view.status_notes.pop(message.id, None)
                    self.status_note = ""
                    self.post_message(self.StateChanged(self))
                if isinstance(event, Retrying | RateLimitWait):
                    # A countdown (about once a second) under the reply and in the status
                    # bar; Esc cancels the wait like a reply, and nothing has been sent.
                    waiting = isinstance(event, RateLimitWait)
                    view.status_notes[message.id] = event.description
                    self.status_note = event.description
                    self.post_message(self.StateChanged(self))
                elif isinstance(event, FailedOver | KeyRested):
                    view.status_notes[message.id] = event.description
                    self.status_note = event.description
                    self.post_message(self.StateChanged(self))
                    if isinstance(event, FailedOver):
                        self.notify(event.description, severity="warning", timeout=6)
                elif isinstance(event, KeyRefreshed):
                    self.status_note = "key rejected: fetched a fresh key, trying again"
                elif isinstance(event, StreamFailed):
                    self.last_error = str(event.error)
                    self._show_key_failure_detail(event.error)
                elif isinstance(event, MessageStopped):
                    self.status_note = ""
                elif isinstance(event, ToolCallChanged):
                    view.tool_call_changed(event, message.id)
                    self.status_note = event.description
                    self.post_message(self.StateChanged(self))
                view.message_changed(message.id)
                now = time.monotonic()
                if now - last_pause > YIELD_EVERY:
                    # A fast stream arrives in bursts the parser can consume without ever
                    # awaiting; give the event loop a turn so keys and paints keep flowing.
                    await asyncio.sleep(0)
                    last_pause = time.monotonic()
        except PromptNotSavedError as error:  # nothing was sent: the text goes back
            reply = None
            self._give_back(error.prompt)
            if self._sent_attachments:
                self.composer.add_attachments(self._sent_attachments)
            self.show_alert("Not sent", f"{error} Your text is back in the composer.")
        except SendRefusedError as error:  # over budget: nothing was saved or sent
            reply = None
            self._give_back(error.prompt)
            if self._sent_attachments:
                self.composer.add_attachments(self._sent_attachments)
            self.show_alert("Not sent", f"{error} Your text is back in the composer.")
        except SessionError as error:  # a full or read-only disk: the reply stays on screen
            reply = None
            self.show_alert("Not saved", str(error))
        except Exception as error:  # a bug of ours: report it and keep the app running
            reply = None
            self.show_alert("claude-tui hit a bug", self._describe_bug(error))
        finally:
            self.status_note = ""
            self.streaming = False
            view.status_notes.clear()
            view.tool_turn_ended()
            view.messages_changed()
            self.post_message(self.StateChanged(self))
            # After this worker has ended: the next send starts a worker of its own.
            self.call_later(self._after_reply, reply)

    def _give_back(self, prompt: str) -> None:
        """Put a prompt that was not sent back in the composer, before anything typed since."""
        typed = self.composer.text
        self.composer.set_text(f"{prompt}\n{typed}" if typed.strip() else prompt)

    def _show_key_failure_detail(self, error: BaseException) -> None:
        """What a failed key command said, masked, in a toast: never in the saved error."""
        from claude_tui.profiles.errors import key_failure_detail

        detail = key_failure_detail(error)
        if detail:
            self.notify(f"The key command said: {detail}", severity="warning", timeout=10)

    def _describe_bug(self, error: BaseException) -> str:
        describe = getattr(self.app, "describe_bug", None)
        if callable(describe):
            return str(describe(error))
        from claude_tui.crash_report import describe_crash

        return describe_crash(error, self.conversation.pool.known_secrets())

    def key_arriving(self) -> None:
        """A key is on its way (the app saw it first): the stream's repaints wait a moment
        (``TYPING_HOLD``), so that the frame showing the key comes first."""
        self.view.hold_repaints(TYPING_HOLD)

    def on_text_area_changed(self, event: object) -> None:
        # Not only while streaming: a long reply that just finished is still catching up
        # on rendering for a while, and that work should wait for the keystroke's frame too.
        self.view.hold_repaints(TYPING_HOLD)

    def watch_streaming(self, streaming: bool) -> None:
        # No CSS class for it: restyling the pane's subtree cost ~10 ms at each end of a turn.
        for box in self.query(ComposerBox):  # none while the pane is being torn down
            box.hold_cursor_steady(streaming)

    def on_conversation_view_new_content_below(
        self, event: ConversationView.NewContentBelow
    ) -> None:
        self.query_one("#new-below", Static).set_class(not event.below, "hidden")

    def on_click(self, event: object) -> None:
        target = getattr(event, "widget", None)
        if isinstance(target, Static) and target.id == "new-below":
            self.view.scroll_to_bottom()
