"""``/compact`` in a conversation pane: the command, and the worker that runs a compaction.

A compaction runs in the pane's reply worker, so Esc stops it as it stops a reply (nothing
is saved then) and prompts sent meanwhile are queued. Its progress is the summary block
itself, unfolded, with the summary streaming into it; once saved, the block folds and the
messages it replaced are dimmed. Auto-compact runs the same way before the send that
triggered it, and that send goes on afterwards (or, if Esc stopped the compaction, the text
goes back to the composer).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Literal

from claude_tui.conversation.compaction import (
    Compaction,
    CompactionError,
    compacted_note,
    undo_compaction,
)
from claude_tui.sessions.session_errors import SessionError
from claude_tui.ui.widgets.conversation.summary_block import SummaryBlock, summary_title

if TYPE_CHECKING:
    from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane

Outcome = Literal["done", "failed", "cancelled"]


def compact_command(pane: ConversationPane, argument: str) -> None:
    """``/compact [instructions]`` summarises; ``/compact undo`` sends everything again."""
    if pane.streaming:
        pane.notify("Stop the streaming reply first (Esc).", severity="warning")
        return
    if argument.strip().lower() == "undo":
        try:
            summary = undo_compaction(pane.conversation)
        except CompactionError as error:
            pane.notify(str(error), severity="warning")
            return
        pane.view.messages_changed()
        noun = "message is" if summary.count == 1 else "messages are"
        pane.notify(f"Summary undone: the {summary.count} earlier {noun} sent again.")
        return
    try:
        compaction = Compaction(pane.conversation, argument)
    except CompactionError as error:
        pane.notify(str(error), severity="warning")
        return
    pane.start_compaction(compaction)


async def run_compaction(
    pane: ConversationPane, compaction: Compaction, then_send: str | None
) -> None:
    """Stream the summary into the view's block; then say what happened and go on."""
    view = pane.view
    messages = pane.conversation.session.messages
    anchor = messages[compaction.count - 1].id
    doing = "auto-compacting" if compaction.auto else "compacting"
    title = f"{doing} {summary_title(compaction.count)[len('Summary of ') :]}… (Esc cancels)"
    view.compaction_progress = SummaryBlock(anchor, title, "", pending=True)
    view.summary_changed()
    outcome: Outcome = "cancelled"
    try:
        async with contextlib.aclosing(compaction.stream()) as deltas:
            async for _delta in deltas:
                view.compaction_progress = SummaryBlock(
                    anchor, title, compaction.text, pending=True
                )
                view.summary_changed()
        outcome = "done"
    except (CompactionError, SessionError) as error:
        outcome = "failed"
        if then_send is None:
            pane.show_alert("Not compacted", str(error))
        else:  # the send goes on: say why it carries the full history
            pane.notify(f"{error} Sending the full history.", severity="warning", timeout=10)
    except Exception as error:  # a bug of ours: report it and keep the app running
        outcome = "failed"
        pane.show_alert("claude-tui hit a bug", pane.describe_bug(error))
    finally:
        view.compaction_progress = None
        pane.streaming = False
        view.messages_changed()
        pane.state_changed()
        # After this worker has ended: a send starts a worker of its own.
        pane.call_later(_after, pane, compaction, outcome, then_send)


def _after(
    pane: ConversationPane, compaction: Compaction, outcome: Outcome, then_send: str | None
) -> None:
    if outcome == "done":
        if compaction.auto:
            pane.notify(compacted_note(compaction.count, compaction.reason))
        else:
            noun = "message" if compaction.count == 1 else "messages"
            pane.notify(
                f"Compacted {compaction.count} earlier {noun}: requests now send the summary "
                "in their place (/compact undo sends them again)."
            )
    elif outcome == "cancelled":
        pane.notify("Compaction stopped; nothing changed.")
        if then_send is not None:
            pane.give_back(then_send)
            pane.composer.add_attachments(pane.sent_attachments)
        pane.take_back_queued()
        return
    if then_send is not None:
        pane.start_reply(pane.conversation.send(then_send, pane.sent_attachments))
        return
    pane.send_queued()
