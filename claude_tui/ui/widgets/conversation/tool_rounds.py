"""What the view knows of its messages' tool calls: live states, results, folds, rounds.

The state of a call comes from the live ``ToolCallChanged`` events while a turn runs, else
from the saved blocks: a ``tool_use`` answered in the next message is done (failed when the
result is an error); unanswered, it was not run.

A turn's tool rounds read as one reply: the user message of only tool results is not drawn
(:attr:`ToolRounds.hidden`) and the next round's reply continues without a header
(:attr:`ToolRounds.continued`), the round before it without a footer (:attr:`ToolRounds.ended`).
Kept apart from the drawing (``tool_call_block``) so that a chat without tools loads no more
than this at start-up.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claude_tui.chat_message import ChatMessage
    from claude_tui.conversation.tool_events import ToolCallChanged


class LiveToolCall:
    """A call's state as the last ``ToolCallChanged`` told it, with how long it ran; a new
    one for each event (compared by identity in the layouts' keys)."""

    __slots__ = ("event", "seconds")

    def __init__(self, event: ToolCallChanged, seconds: float | None = None) -> None:
        self.event = event
        self.seconds = seconds
        """Run time once it ended (from ``started`` to the event that ended it)."""


class ToolRounds:
    """What the view knows of the tool calls of its messages; shared by every layout.

    A plain class, not a dataclass: the view makes one at start-up, and a dataclass costs
    its creation on the launch path."""

    def __init__(self) -> None:
        self.live: dict[str, LiveToolCall] = {}
        """Call id -> its state in the turn running now (or that ran in this process)."""
        self.results: dict[str, Mapping[str, Any]] = {}
        """Call id -> the saved ``tool_result`` block that answered it."""
        self.owners: dict[str, str] = {}
        """Call id -> the id of the reply message that made the call."""
        self.expanded: set[str] = set()
        """Call ids shown unfolded."""
        self.hidden: frozenset[str] = frozenset()
        """Ids of tool-results messages: a round of the loop, not a prompt; not drawn."""
        self.continued: frozenset[str] = frozenset()
        """Ids of replies that continue the reply above them (after its tool results)."""
        self.ended: frozenset[str] = frozenset()
        """Ids of replies whose round ends in tool calls answered below, the reply going
        on in the next round (no footer: the last round's says it)."""
        self.active: set[str] = set()
        """Ids of the replies whose calls the running turn is working through."""

    def update(self, messages: Sequence[ChatMessage]) -> set[str]:
        """Read the rounds from ``messages``; returns the ids of the messages whose drawing
        changed (a result arrived or went, a round boundary moved)."""
        results: dict[str, Mapping[str, Any]] = {}
        owners: dict[str, str] = {}
        hidden: set[str] = set()
        continued: set[str] = set()
        ended: set[str] = set()
        previous: ChatMessage | None = None
        answered: str | None = None  # the reply the results just above answered
        for message in messages:
            if message.role == "user" and message.tool_results:
                hidden.add(message.id)
                for block in message.content:
                    results[str(block.get("tool_use_id", ""))] = block
                answered = previous.id if previous is not None else None
            elif message.role == "assistant":
                if previous is not None and previous.id in hidden:
                    continued.add(message.id)
                    if answered is not None:  # its figures move down to the last round
                        ended.add(answered)
                for block in message.content:
                    if block.get("type") == "tool_use":
                        owners[str(block.get("id", ""))] = message.id
            previous = message
        changed: set[str] = set()
        for call_id in results.keys() | self.results.keys():
            if results.get(call_id) is not self.results.get(call_id):
                owner = owners.get(call_id) or self.owners.get(call_id)
                if owner:
                    changed.add(owner)
        changed |= set(hidden) ^ set(self.hidden)
        changed |= set(continued) ^ set(self.continued)
        changed |= set(ended) ^ set(self.ended)
        self.results, self.owners = results, owners
        self.hidden, self.continued, self.ended = (
            frozenset(hidden),
            frozenset(continued),
            frozenset(ended),
        )
        return changed

    def changed(self, event: ToolCallChanged, message_id: str = "") -> None:
        """Keep a call's newest state (from the pane, as the loop reports it, with the
        reply of its round: its calls not asked yet are pending)."""
        if message_id:
            self.active.add(message_id)
        seconds = None
        if event.state in ("done", "failed") and event.started is not None:
            seconds = max(time.monotonic() - event.started, 0.0)
        self.live[event.call.id] = LiveToolCall(event, seconds)

    def forget_unfinished(self) -> None:
        """The turn ended: a call still waiting or running was cut (its saved result, or
        the lack of one, tells what became of it)."""
        for call_id in [i for i, c in self.live.items() if c.event.state in ("waiting", "running")]:
            del self.live[call_id]
        self.active.clear()

    def toggle(self, call_ids: Sequence[str]) -> None:
        """Fold ``call_ids`` if any is unfolded, else unfold them all."""
        if any(call_id in self.expanded for call_id in call_ids):
            self.expanded.difference_update(call_ids)
        else:
            self.expanded.update(call_ids)
