"""Turns driven by hand for the tool-call view and approval card tests: a reply stream that
asks the app for approvals (as the tool host does) and yields the loop's events, so the UI
is tested against the contracts without the loop or MCP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.conversation.tool_host import Approval, ToolCall
from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane

GREP = ToolCall(
    id="toolu_live_1",
    name="files__grep",
    input={"pattern": "asyncio", "path": "claude_tui"},
    server="files",
    tool="grep",
)
READ = ToolCall(
    id="toolu_live_2", name="files__read", input={"path": "README.md"}, server="files", tool="read"
)


@dataclass
class AskingTurn:
    """A turn whose calls each ask the app (``app.ask_tool_approval``) from inside the
    pane's reply worker, as a tool host does; the answers, or the cancellation, are kept."""

    calls: Sequence[ToolCall]
    together: bool = False  # ask for all the calls at once (the card must queue them)
    answers: list[Approval] = field(default_factory=list)
    cancelled: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def start(self, pane: ConversationPane) -> ChatMessage:
        """Run the turn in ``pane``'s reply worker; the reply message it yields with."""
        reply = ChatMessage(role="assistant", content=[], model="claude-demo", profile="work")
        reply.status = MessageStatus.STREAMING
        pane.start_reply(self._stream(pane, reply))
        return reply

    async def _stream(
        self, pane: ConversationPane, reply: ChatMessage
    ) -> AsyncIterator[tuple[Any, ChatMessage]]:
        profile = pane.conversation.profile
        ask = pane.app.ask_tool_approval  # type: ignore[attr-defined]
        try:
            if self.together:
                self.answers.extend(await asyncio.gather(*(ask(c, profile) for c in self.calls)))
            else:
                for call in self.calls:
                    self.answers.append(await ask(call, profile))
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        finally:
            reply.status = MessageStatus.COMPLETE
            self.done.set()
        return
        yield  # an async generator that yields nothing
