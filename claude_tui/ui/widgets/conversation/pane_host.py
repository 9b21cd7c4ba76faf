"""What :class:`~claude_tui.ui.widgets.conversation.pane_commands.PaneCommands` needs from the
pane it is mixed into, stated once: the commands can be read, and faked in a test, without
the pane (and importing them does not import the pane module)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message

    from claude_tui.chat_message import ChatMessage
    from claude_tui.conversation.conversation import Conversation, Replies
    from claude_tui.sessions.session_store import SessionStore
    from claude_tui.ui.widgets.composer_box import ComposerBox
    from claude_tui.ui.widgets.conversation.conversation_view import ConversationView


class PaneHost(Protocol):
    """A conversation pane: its conversation, view and composer, and the reply it streams."""

    conversation: Conversation
    app_store: SessionStore
    editing_message_id: str | None
    cost_of: Callable[[ChatMessage], float | None]
    saving_of: Callable[[ChatMessage], float | None]
    """What prompt caching saved on a message (see ``ClaudeTuiApp.saving_of``)."""

    @property
    def app(self) -> App[Any]: ...

    @property
    def view(self) -> ConversationView: ...

    @property
    def composer(self) -> ComposerBox: ...

    @property
    def streaming(self) -> bool: ...

    def notify(
        self,
        message: str,
        *,
        title: str = ...,
        severity: str = ...,
        timeout: float | None = ...,
    ) -> None: ...

    def post_message(self, message: Message) -> bool: ...

    def state_changed(self) -> None: ...

    def start_reply(self, replies: Replies) -> None: ...

    def send(self, text: str, attachments: Sequence[Mapping[str, Any]] = ()) -> bool: ...

    def stop(self) -> bool: ...

    def focus_composer(self) -> None: ...

    # The commands' own methods, called from one another.
    def command_retry(self, argument: str) -> None: ...

    def command_continue(self, argument: str) -> None: ...

    def command_rename(self, argument: str) -> None: ...

    def _begin_edit(self, message: ChatMessage) -> None: ...

    def _delete(self, message: ChatMessage) -> None: ...

    def _copy(self, text: str, what: str) -> None: ...

    def _view_thinking(self, message: ChatMessage) -> None: ...

    def page_version(self, message: ChatMessage, step: int) -> None: ...
