"""A ``tools/call`` result turned into what goes back to the model.

MCP content blocks become the Messages API's: ``text`` stays text, ``image`` becomes an
image block (base64 source), an embedded ``resource`` gives its text (or a line saying a
binary was left out), a ``resource_link`` its URI; audio is named, not sent (neither API
takes it in a tool result). ``structuredContent`` is used when there is no content. Text past
``max_chars`` is cut, with a note to the model and one for the user.
"""

from __future__ import annotations

import json
from typing import Any

from claude_tui.conversation.tool_host import ToolOutcome

Block = dict[str, Any]


def outcome_from_result(result: dict[str, Any], max_chars: int) -> ToolOutcome:
    """The outcome of a call whose server answered ``result``."""
    blocks = [block for item in _content(result) for block in _blocks(item)]
    if not blocks:
        structured = result.get("structuredContent")
        text = json.dumps(structured, ensure_ascii=False) if structured is not None else ""
        blocks = [{"type": "text", "text": text}]
    blocks, note = _cut(blocks, max_chars)
    is_error = result.get("isError") is True
    if all(block["type"] == "text" for block in blocks):
        return ToolOutcome("\n".join(block["text"] for block in blocks), is_error, note)
    return ToolOutcome(blocks, is_error, note)


def error_outcome(message: str) -> ToolOutcome:
    """A failed call: the model reads ``message`` as the result."""
    return ToolOutcome(message, is_error=True)


def _content(result: dict[str, Any]) -> list[Any]:
    content = result.get("content")
    return content if isinstance(content, list) else []


def _blocks(item: Any) -> list[Block]:
    if not isinstance(item, dict):
        return []
    kind = item.get("type")
    if kind == "text" and isinstance(item.get("text"), str):
        return [_text(item["text"])]
    if kind == "image" and isinstance(item.get("data"), str):
        media = item.get("mimeType") if isinstance(item.get("mimeType"), str) else "image/png"
        source = {"type": "base64", "media_type": media, "data": item["data"]}
        return [{"type": "image", "source": source}]
    if kind == "resource" and isinstance(item.get("resource"), dict):
        resource = item["resource"]
        uri = resource.get("uri", "")
        if isinstance(resource.get("text"), str):
            return [_text(f"{uri}\n{resource['text']}" if uri else resource["text"])]
        media = resource.get("mimeType", "unknown type")
        return [_text(f"[binary resource {uri} ({media}) left out]")]
    if kind == "resource_link":
        return [_text(f"[resource {item.get('name', '')}: {item.get('uri', '')}]")]
    if kind == "audio":
        return [_text(f"[audio ({item.get('mimeType', 'unknown type')}) left out]")]
    return [_text(f"[{kind} content left out]")]


def _text(text: str) -> Block:
    return {"type": "text", "text": text}


def _cut(blocks: list[Block], max_chars: int) -> tuple[list[Block], str]:
    total = sum(len(block["text"]) for block in blocks if block["type"] == "text")
    if max_chars <= 0 or total <= max_chars:
        return blocks, ""
    left = max_chars
    kept: list[Block] = []
    for block in blocks:
        if block["type"] != "text":
            kept.append(block)
            continue
        if left > 0:
            kept.append({"type": "text", "text": block["text"][:left]})
        left -= len(block["text"])
    note = f"result cut to {max_chars:,} of {total:,} characters"
    kept.append({"type": "text", "text": f"[{note}]"})
    return kept, note
