"""Tool calls in the history: sent back in pairs, on both API formats.

A tool round is saved as the model asked for it: an assistant message ending in
``tool_use`` blocks, then a user message of ``tool_result`` blocks (one per call, same
``tool_use_id``). The API refuses a call without its result and a result without its call,
so whatever the saved history holds (a reply cut during a call, a round trimmed away, a
result whose call was in a failed reply) is made whole here: an unanswered call gets an
error result saying so (the model learns the call did not complete, rather than the call
vanishing), and a result without its call is left out.

Chat Completions has no blocks for this: a call is an entry of the assistant message's
``tool_calls`` and a result a ``role: "tool"`` message; :func:`openai_tool_turns` converts.
"""

from __future__ import annotations

import json
from typing import Any

UNANSWERED_CALL = "The call did not complete: the reply was interrupted before it returned."
"""The error result an unanswered call is closed with."""


def tool_use_block(block: dict[str, Any]) -> dict[str, Any] | None:
    """A saved ``tool_use`` block as the Messages API takes it (None when incomplete)."""
    call_id = block.get("id")
    name = block.get("name")
    if not isinstance(call_id, str) or not call_id or not isinstance(name, str) or not name:
        return None
    tool_input = block.get("input")
    return {
        "type": "tool_use",
        "id": call_id,
        "name": name,
        "input": tool_input if isinstance(tool_input, dict) else {},
    }


def tool_result_block(block: dict[str, Any]) -> dict[str, Any] | None:
    """A saved ``tool_result`` block as the Messages API takes it (None without an id)."""
    call_id = block.get("tool_use_id")
    if not isinstance(call_id, str) or not call_id:
        return None
    result: dict[str, Any] = {"type": "tool_result", "tool_use_id": call_id}
    content = block.get("content")
    if isinstance(content, str | list):
        result["content"] = content
    if block.get("is_error") is True:
        result["is_error"] = True
    return result


def pair_tool_turns(
    turns: list[dict[str, Any]], starts: list[int]
) -> tuple[list[dict[str, Any]], list[int]]:
    """Messages API turns with every call answered by the next turn and every result
    following its call; results open their user turn, as the API requires.

    ``starts`` (the history index each turn came from) is kept in step: a turn left out
    takes its entry along, a closing turn added gets its call's."""
    paired: list[dict[str, Any]] = []
    paired_starts: list[int] = []
    open_calls: list[str] = []
    for turn, start in zip(turns, starts, strict=True):
        blocks = list(turn["content"]) if isinstance(turn["content"], list) else None
        if turn["role"] == "user" and blocks is not None:
            results = [b for b in blocks if b.get("type") == "tool_result"]
            others = [b for b in blocks if b.get("type") != "tool_result"]
            answered = {b["tool_use_id"] for b in results}
            kept = [b for b in results if b["tool_use_id"] in open_calls]
            kept.extend(_unanswered(c) for c in open_calls if c not in answered)
            open_calls = []
            content = kept + others
            if content:
                paired.append({**turn, "content": content})
                paired_starts.append(start)
            continue
        if open_calls:  # an assistant turn (or a string turn) while calls wait: close them
            paired.append({"role": "user", "content": [_unanswered(c) for c in open_calls]})
            paired_starts.append(paired_starts[-1])
            open_calls = []
        if turn["role"] == "assistant" and blocks is not None:
            open_calls = [b["id"] for b in blocks if b.get("type") == "tool_use"]
        paired.append(turn)
        paired_starts.append(start)
    if open_calls:
        paired.append({"role": "user", "content": [_unanswered(c) for c in open_calls]})
        paired_starts.append(paired_starts[-1])
    return paired, paired_starts


def opens_with_tool_results(turn: dict[str, Any]) -> bool:
    """Whether ``turn`` answers calls of the turn before it (so a trim may not start there)."""
    content = turn.get("content")
    if turn.get("role") == "tool":
        return True
    return (
        isinstance(content, list)
        and bool(content)
        and isinstance(content[0], dict)
        and content[0].get("type") == "tool_result"
    )


def openai_tool_turns(
    turns: list[dict[str, Any]], starts: list[int]
) -> tuple[list[dict[str, Any]], list[int]]:
    """Paired Messages API turns as Chat Completions messages: calls in the assistant
    message's ``tool_calls``, each result a ``role: "tool"`` message (its text; images a tool
    returned are named, since a tool message carries text only), other turns a string (text
    only) or a list of parts (attachments, then text). ``starts`` kept in step."""
    converted: list[dict[str, Any]] = []
    converted_starts: list[int] = []
    for turn, start in zip(turns, starts, strict=True):
        content = turn["content"]
        calls = [b for b in content if b.get("type") == "tool_use"]
        results = [b for b in content if b.get("type") == "tool_result"]
        if turn["role"] == "assistant":
            converted_starts.append(start)
            if not calls:
                converted.append({"role": "assistant", "content": _openai_content(content)})
                continue
            text = "".join(str(b.get("text", "")) for b in content if b.get("type") == "text")
            converted.append(
                {
                    "role": "assistant",
                    "content": text or None,
                    "tool_calls": [
                        {
                            "id": call["id"],
                            "type": "function",
                            "function": {
                                "name": call["name"],
                                "arguments": json.dumps(call["input"], ensure_ascii=False),
                            },
                        }
                        for call in calls
                    ],
                }
            )
            continue
        for result in results:
            converted.append(
                {
                    "role": "tool",
                    "tool_call_id": result["tool_use_id"],
                    "content": result_text(result),
                }
            )
            converted_starts.append(start)
        rest = [b for b in content if b.get("type") != "tool_result"]
        if rest:
            converted.append({"role": "user", "content": _openai_content(rest)})
            converted_starts.append(start)
    return converted, converted_starts


def _openai_content(blocks: list[dict[str, Any]]) -> str | list[dict[str, Any]]:
    """Text blocks as one string; with attachments, the attachments then the text."""
    text = "".join(str(b.get("text", "")) for b in blocks if b.get("type") == "text")
    attached = [dict(b) for b in blocks if b.get("type") == "attachment"]
    if not attached:
        return text
    return [*attached, *([{"type": "text", "text": text}] if text else [])]


def result_text(result: dict[str, Any]) -> str:
    """A ``tool_result``'s content as one text (error results marked as such)."""
    content = result.get("content")
    if isinstance(content, str):
        text = content
    elif isinstance(content, list):
        pieces = []
        for part in content:
            if not isinstance(part, dict):
                continue
            if part.get("type") == "text":
                pieces.append(str(part.get("text", "")))
            else:
                pieces.append(f"[{part.get('type', 'part')} returned by the tool]")
        text = "\n".join(pieces)
    else:
        text = ""
    return f"Error: {text}" if result.get("is_error") and not text.startswith("Error") else text


def _unanswered(call_id: str) -> dict[str, Any]:
    return {
        "type": "tool_result",
        "tool_use_id": call_id,
        "content": UNANSWERED_CALL,
        "is_error": True,
    }
