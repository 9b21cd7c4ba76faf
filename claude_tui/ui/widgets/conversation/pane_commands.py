"""What a conversation pane does for message actions and per-conversation slash commands.

Split from :mod:`conversation_pane` (which owns streaming) along the seam between "run a
reply" and "act on the conversation": retry, continue, edit, copy, delete, export, rename,
model and thinking changes (the ``command_*`` methods, which ``command_dispatch`` names
for each command of the table). The dialogs and the export writer are imported where they are
first used, so that opening a window does not load them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.widget import Widget

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.pricing.price_table import format_cost
from claude_tui.sessions.session import Session
from claude_tui.ui.widgets.conversation.conversation_view import ConversationView

if TYPE_CHECKING:
    from claude_tui.ui.widgets.conversation.pane_host import PaneHost


def export_to_cwd(widget: Widget | PaneHost, session: Session, kind: str) -> None:
    """Export ``session`` into the current folder and say where (or why not)."""
    try:
        from claude_tui.sessions.transfer import write_export

        path = write_export(session, kind, Path.cwd())
    except OSError as exc:
        widget.notify(f"Could not write the export: {exc.strerror}", severity="error")
        return
    widget.notify(f"Exported to {path}")


class PaneCommands:
    """Mixin for :class:`ConversationPane` (typed against :class:`PaneHost`): every action
    that changes or reads history."""

    editing_message_id: str | None = None

    # -- the message view's actions ----------------------------------------------------------

    def on_conversation_view_action(self: PaneHost, event: ConversationView.Action) -> None:
        event.stop()
        message = self.conversation.session.find_message(event.message_id)
        if message is None:
            return
        if event.kind == "copy_code":
            layout = self.view.layout_for(message.id)
            blocks = layout.code_blocks if layout else []
            if event.argument is not None and event.argument < len(blocks):
                self._copy(blocks[event.argument], "code block")
        elif event.kind == "copy":
            self._copy(message.text or message.thinking_text, "message")
        elif event.kind == "retry":
            self.command_retry("")
        elif event.kind == "continue":
            self.command_continue("")
        elif event.kind == "edit":
            self._begin_edit(message)
        elif event.kind == "delete":
            self._delete(message)
        elif event.kind == "view_thinking":
            self._view_thinking(message)
        elif event.kind == "version":
            self.page_version(message, event.argument or 0)

    # -- replies ---------------------------------------------------------------------------

    def command_retry(self: PaneHost, argument: str) -> None:
        if self.streaming:
            self.notify("Stop the streaming reply first (Esc).", severity="warning")
            return
        messages = self.conversation.session.messages
        if not messages or not any(m.role == "user" for m in messages):
            self.notify("Nothing to retry yet.", severity="warning")
            return
        self.start_reply(self.conversation.regenerate())

    def page_version(self: PaneHost, message: ChatMessage, step: int) -> None:
        """Show the previous (``step`` -1) or next (+1) version of a regenerated reply;
        what is sent next carries the one shown."""
        if message.version_count < 2:
            self.notify("This reply has only one version; Ctrl+R makes another.")
            return
        if self.streaming:
            self.notify("Stop the streaming reply first (Esc).", severity="warning")
            return
        index = message.version + step
        if not 0 <= index < message.version_count:
            return  # already at the first or last version
        from claude_tui.sessions.session_errors import SessionSaveError

        try:
            self.conversation.show_version(message.id, index)
        except SessionSaveError as error:  # shown, and written by the next save that works
            self.notify(str(error), severity="error")
        self.view.message_changed(message.id)  # its lines are drawn again
        self.view.messages_changed()  # and its height may differ
        self.state_changed()

    def page_selected_version(self: PaneHost, step: int) -> None:
        """``<`` / ``>`` in the message view: page the selected reply (or, with none
        selected, the last reply that has versions)."""
        view = self.view
        messages = view.messages
        if view.selected is not None and messages:
            target: ChatMessage | None = messages[min(view.selected, len(messages) - 1)]
        else:
            target = next((m for m in reversed(messages) if m.version_count > 1), None)
        if target is None or target.role != "assistant":
            self.notify("Select a reply to page through its versions.", severity="warning")
            return
        self.page_version(target, step)

    def command_continue(self: PaneHost, argument: str) -> None:
        if self.streaming:
            self.notify("A reply is still streaming.", severity="warning")
            return
        messages = self.conversation.session.messages
        last = messages[-1] if messages else None
        if last is None or last.role != "assistant" or not last.text:
            self.notify("The last reply has no text to continue.", severity="warning")
            return
        if last.status == MessageStatus.COMPLETE and last.stop_reason != "max_tokens":
            self.notify("The last reply is complete; continuing anyway.", severity="information")
        self.start_reply(self.conversation.continue_reply())

    def command_stop(self: PaneHost, argument: str) -> None:
        if not self.stop():
            self.notify("Nothing is streaming.")

    # -- editing ---------------------------------------------------------------------------

    def command_edit(self: PaneHost, argument: str) -> None:
        users = [m for m in self.conversation.session.messages if m.role == "user"]
        if not users:
            self.notify("There is no prompt to edit yet.", severity="warning")
            return
        self._begin_edit(users[-1])

    def _begin_edit(self: PaneHost, message: ChatMessage) -> None:
        if message.role != "user":
            self.notify("Only your own messages can be edited; use retry for replies.")
            return
        self.editing_message_id = message.id
        self.composer.set_text(message.text)
        if message.attachments:  # they go again with the edit, unless removed from the chips
            self.composer.add_attachments(message.attachments)
        self.focus_composer()
        self.notify("Editing: Enter resends and replaces the later turns (kept in a fork).")

    def send_edited(self: PaneHost, text: str) -> None:
        """Replace the edited message and everything after it, after confirmation."""
        session = self.conversation.session
        message_id = self.editing_message_id
        self.editing_message_id = None
        index = next((i for i, m in enumerate(session.messages) if m.id == message_id), None)
        if index is None:
            self.send(text, self.composer.take_attachments())
            return
        later = len(session.messages) - index - 1

        def replace(confirmed: bool | None) -> None:
            if not confirmed:
                self.composer.set_text(text)
                return
            fork = self.app_store.fork(session, session.messages[-1].id)
            for old in list(session.messages[index:]):
                session.delete_message(old.id)
            self.view.messages_changed()
            self.notify(f"The previous branch is kept as session {fork.id} ({fork.title}).")
            self.send(text, self.composer.take_attachments())

        question = (
            f"Resend the edited prompt? The {later} later message{'s' if later != 1 else ''} "
            "will be replaced here; the current conversation is kept as a fork."
        )
        from claude_tui.ui.screens.confirm_screen import ConfirmScreen

        self.app.push_screen(ConfirmScreen(question, yes="Replace"), replace)

    def _delete(self: PaneHost, message: ChatMessage) -> None:
        if self.streaming:
            self.notify("Stop the streaming reply first (Esc).", severity="warning")
            return

        def delete(confirmed: bool | None) -> None:
            if confirmed:
                self.conversation.session.delete_message(message.id)
                self.view.messages_changed()
                self.notify("Message deleted.")

        from claude_tui.ui.screens.confirm_screen import ConfirmScreen

        preview = (message.text or message.thinking_text or "").strip().splitlines()
        first = preview[0][:60] if preview else "(empty)"
        self.app.push_screen(
            ConfirmScreen(f"Delete this message?\n\n{first}", yes="Delete"), delete
        )

    # -- reading ---------------------------------------------------------------------------

    def command_copy(self: PaneHost, argument: str) -> None:
        replies = [m for m in self.conversation.session.messages if m.role == "assistant"]
        if not replies:
            self.notify("There is no reply to copy yet.", severity="warning")
            return
        last = replies[-1]
        if not argument:
            self._copy(last.text, "reply")
            return
        if not argument.isdigit():
            self.notify("Usage: /copy (the last reply) or /copy N (its Nth code block)")
            return
        layout = self.view.layout_for(last.id)
        blocks = layout.code_blocks if layout else []
        number = int(argument)
        if not 1 <= number <= len(blocks):
            self.notify(f"The last reply has {len(blocks)} code block(s).", severity="warning")
            return
        self._copy(blocks[number - 1], f"code block {number}")

    def _copy(self: PaneHost, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the {what} ({len(text):,} characters) to the clipboard.")

    def _view_thinking(self: PaneHost, message: ChatMessage) -> None:
        if not message.thinking_text:
            self.notify("This message has no visible thinking.", severity="warning")
            return
        title = f"Thinking of the reply from {message.model or 'Claude'}"
        from claude_tui.ui.screens.thinking_screen import ThinkingScreen

        self.app.push_screen(ThinkingScreen(title, message))  # follows it while it streams

    def view_last_thinking(self: PaneHost) -> None:
        """Open the thinking viewer for the newest reply that has thinking."""
        for message in reversed(self.conversation.session.messages):
            if message.thinking_text:
                self._view_thinking(message)
                return
        self.notify("No reply in this session has visible thinking.", severity="warning")

    def command_cost(self: PaneHost, argument: str) -> None:
        session = self.conversation.session
        usage = session.total_usage()
        replies = [m for m in session.messages if m.role == "assistant"]
        total = sum(c for m in replies if (c := self.cost_of(m)) is not None)
        saving = sum(s for m in replies if (s := self.saving_of(m)) is not None)
        text = (
            f"{usage.total_input_tokens:,} input · {usage.output_tokens:,} output tokens "
            f"(cache read {usage.cache_read_input_tokens:,}, write "
            f"{usage.cache_creation_input_tokens:,}) · {format_cost(total)}"
        )
        if saving > 0:
            text += f" (saved {format_cost(saving)} by caching)"
        elif saving < 0:
            # Writes cost 1.25x input (2x for 1h) and pay off when later turns read them.
            text += f" (cache writes cost {format_cost(-saving)} more so far)"
        self.notify(text, title="Session cost", timeout=8)

    def command_export(self: PaneHost, argument: str) -> None:
        kind = argument or "md"
        if kind not in ("md", "json"):
            self.notify("Usage: /export [md|json]", severity="warning")
            return
        export_to_cwd(self, self.conversation.session, kind)

    # -- settings --------------------------------------------------------------------------

    def command_rename(self: PaneHost, argument: str) -> None:
        """``/rename TITLE``; without a title, a dialog holding the current one."""
        if not argument:
            from claude_tui.ui.screens.rename_screen import RenameScreen

            def chosen(title: str | None) -> None:
                if title:
                    self.command_rename(title)

            self.app.push_screen(RenameScreen(self.conversation.session.title or ""), chosen)
            return
        self.conversation.session.rename(argument)
        self.state_changed()
        self.notify(f"Renamed to {argument!r}.")

    def command_model(self: PaneHost, argument: str) -> None:
        """``/model NAME`` (without a name the app opens the picker instead)."""
        self.conversation.set_model(argument)
        self.state_changed()
        self.notify(f"Next messages go to {argument}.")

    def command_thinking(self: PaneHost, argument: str) -> None:
        from claude_tui.sessions.session_settings import parse_thinking

        value = parse_thinking(argument)
        if value == "off" and argument != "off":
            self.notify(
                "Usage: /thinking off | adaptive | N (a budget of at least 1024 tokens)",
                severity="warning",
            )
            return
        max_tokens = self.conversation.settings.max_tokens
        if isinstance(value, int) and value >= max_tokens:
            self.notify(f"The budget must be below max_tokens ({max_tokens}).", severity="warning")
            return
        self.conversation.set_thinking(value)
        self.state_changed()
        self.notify(f"Thinking: {value}.")

    def command_system(self: PaneHost, argument: str) -> None:
        if not argument:  # the current prompt in the composer, to edit and send back
            self.composer.set_text(f"/system {self.conversation.settings.system or ''}")
            return
        self.conversation.set_system(argument)
        self.notify("System prompt set for this session.")
