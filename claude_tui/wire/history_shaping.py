"""Turns saved :class:`ChatMessage` history into a valid ``messages`` list for either API.

The API is strict: roles alternate starting with ``user``, no empty text blocks, thinking
signatures only for the model that made them, no tool calls without results. Saved history
is messier (failed turns, interrupted replies, model switches), so it is shaped here.
"""

from __future__ import annotations

from typing import Any

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.wire.server_tools import SERVER_RESULT_BLOCKS, paired_server_blocks
from claude_tui.wire.tool_history import (
    openai_tool_turns,
    opens_with_tool_results,
    pair_tool_turns,
    tool_result_block,
    tool_use_block,
)

_SENDABLE_BLOCKS = frozenset(
    {
        "text",
        "thinking",
        "redacted_thinking",
        "image",
        "document",
        "attachment",
        "tool_use",
        "tool_result",
        "server_tool_use",
        *SERVER_RESULT_BLOCKS,
    }
)
"""Blocks sent back. Server tool calls and their results go back as they came, in pairs
(``paired_server_blocks``), as the API asks of a turn that used them. ``attachment``
blocks stay as they are saved (small, with their ``tokens``) through shaping and trimming;
the body builders expand them last (see ``attachment_blocks``), so nothing that only counts
or cuts reads their bytes."""


def refused_prompts(history: list[ChatMessage]) -> set[str]:
    """Ids of prompts the endpoint refused as invalid (their reply failed with 400, 404, 413
    or 422): they stay saved and shown, but are not sent again, alone or merged into the next
    prompt, unless the user retries (which removes the failed reply) or edits them. A prompt
    whose reply failed for a passing reason travels with the next message."""
    refused: set[str] = set()
    for index, message in enumerate(history):
        if message.role != "assistant" or message.status != MessageStatus.ERROR:
            continue
        if not message.refused:
            continue
        prompt_id = message.reply_to
        if prompt_id is None and index and history[index - 1].role == "user":
            prompt_id = history[index - 1].id
        if prompt_id is not None:
            refused.add(prompt_id)
    return refused


def anthropic_messages(
    history: list[ChatMessage], model: str, *, sources: list[int] | None = None
) -> list[dict[str, Any]]:
    """History in Messages API shape for ``model``.

    ``sources``, when given, receives for each shaped turn the index in ``history`` of the
    first message merged into it, so trimming can say where in the history it cut.
    """
    shaped: list[dict[str, Any]] = []
    starts: list[int] = []
    left_out = refused_prompts(history)
    for index, message in enumerate(history):
        if message.role == "assistant" and message.status == MessageStatus.ERROR:
            continue
        if message.id in left_out:
            continue
        same_model = message.role == "user" or message.model == model
        blocks = [b for b in (_clean_block(b, same_model) for b in message.content) if b]
        if message.role == "assistant" and message.status != MessageStatus.COMPLETE:
            # A cut reply's last thinking block may be unsigned, and an API refuses
            # history that ends a turn mid-thought: keep only its text.
            blocks = [b for b in blocks if b["type"] == "text"]
        if message.role == "assistant":
            blocks = paired_server_blocks(blocks)
        if not blocks:
            continue
        if not shaped or shaped[-1]["role"] != message.role:
            starts.append(index)
        _append_merged(shaped, message.role, blocks)
    shaped, starts = pair_tool_turns(shaped, starts)
    return _start_with_user(shaped, starts, sources)


def openai_messages(
    history: list[ChatMessage], system: str | None, *, sources: list[int] | None = None
) -> list[dict[str, Any]]:
    """History as Chat Completions messages: text (and attachments), system first.

    A turn is a string unless it carries attachment blocks: then a list of parts, the
    attachments (expanded by the body builder) before the text.

    ``sources`` as for :func:`anthropic_messages`, for the turns after the system message.
    """
    shaped: list[dict[str, Any]] = []
    if system:
        shaped.append({"role": "system", "content": system})
    if any(_holds_tool_blocks(message) for message in history):
        return shaped + _openai_with_tools(history, sources)
    turns: list[dict[str, Any]] = []
    starts: list[int] = []
    left_out = refused_prompts(history)
    for index, message in enumerate(history):
        if message.role == "assistant" and message.status == MessageStatus.ERROR:
            continue
        if message.id in left_out:
            continue
        text = "".join(str(b.get("text", "")) for b in message.content if b.get("type") == "text")
        attached = [dict(b) for b in message.content if b.get("type") == "attachment"]
        if not text and not attached:
            continue
        content: str | list[dict[str, Any]] = text
        if attached:
            content = [*attached, *([{"type": "text", "text": text}] if text else [])]
        if turns and turns[-1]["role"] == message.role:
            turns[-1]["content"] = _joined_openai_content(turns[-1]["content"], content)
        else:
            turns.append({"role": message.role, "content": content})
            starts.append(index)
    return shaped + _start_with_user(turns, starts, sources)


def _holds_tool_blocks(message: ChatMessage) -> bool:
    return any(b.get("type") in ("tool_use", "tool_result") for b in message.content)


def _openai_with_tools(
    history: list[ChatMessage], sources: list[int] | None
) -> list[dict[str, Any]]:
    """A history with tool rounds as Chat Completions messages: shaped and paired as for the
    Messages API (no model's thinking is kept: Chat Completions takes none back), then
    converted."""
    block_starts: list[int] = []
    turns = anthropic_messages(history, "", sources=block_starts)
    converted, starts = openai_tool_turns(turns, block_starts)
    if sources is not None:
        sources.extend(starts)
    return converted


def _joined_openai_content(
    before: str | list[dict[str, Any]], after: str | list[dict[str, Any]]
) -> str | list[dict[str, Any]]:
    """Two turns of one role as one: strings joined by a blank line, else a list of parts."""
    if isinstance(before, str) and isinstance(after, str):
        return before + "\n\n" + after
    parts = [{"type": "text", "text": before}] if isinstance(before, str) else list(before)
    parts.extend([{"type": "text", "text": after}] if isinstance(after, str) else after)
    return parts


def _clean_block(block: dict[str, Any], same_model: bool) -> dict[str, Any] | None:
    kind = block.get("type")
    if kind not in _SENDABLE_BLOCKS:
        return None  # unknown blocks: the API would refuse them
    if kind == "text":
        text = block.get("text")
        if not isinstance(text, str) or not text.strip():
            return None
        citations = block.get("citations")
        if isinstance(citations, list) and citations:
            kept = [dict(c) for c in citations if isinstance(c, dict)]
            return {"type": "text", "text": text, "citations": kept}
        return {"type": "text", "text": text}
    if kind == "thinking":
        if not same_model or not block.get("signature"):
            return None
        return {
            "type": "thinking",
            "thinking": block.get("thinking", ""),
            "signature": block["signature"],
        }
    if kind == "tool_use":
        return tool_use_block(block)
    if kind == "tool_result":
        return tool_result_block(block)
    if kind == "redacted_thinking":
        return {"type": "redacted_thinking", "data": block.get("data", "")} if same_model else None
    return dict(block)


def _append_merged(shaped: list[dict[str, Any]], role: str, blocks: list[dict[str, Any]]) -> None:
    """Append a turn, merging with the previous one when the roles repeat."""
    if shaped and shaped[-1]["role"] == role:
        if role == "assistant":
            # Thinking may only open an assistant turn, never follow its text.
            blocks = [b for b in blocks if b["type"] not in ("thinking", "redacted_thinking")]
        shaped[-1]["content"].extend(blocks)
    else:
        shaped.append({"role": role, "content": blocks})


def _start_with_user(
    shaped: list[dict[str, Any]], starts: list[int], sources: list[int] | None
) -> list[dict[str, Any]]:
    skip = 0
    while skip < len(shaped) and (
        shaped[skip]["role"] != "user" or opens_with_tool_results(shaped[skip])
    ):
        skip += 1
    if sources is not None:
        sources.extend(starts[skip:])
    return shaped[skip:] if skip else shaped
