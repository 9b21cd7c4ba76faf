"""What a request carried besides text, as sizes: the log shows blocks, never their bytes.

The record keeps the body only so that it can be copied as curl; the log's views and the
``--debug-log`` file show each image, PDF and attached file of it as a kind, a media type
and a size, read from the body when asked (it may be megabytes of base64, so never per
frame). Both API formats' shapes are read: Anthropic ``image`` / ``document`` blocks, OpenAI
``image_url`` data URIs, and text files sent as ``<file name="...">`` text.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

_FILE_TEXT = re.compile(r'<file name="([^"]*)">')


@dataclass(frozen=True, slots=True)
class AttachmentSize:
    """One attachment block of a request body."""

    kind: str
    """``image``, ``pdf`` or ``file`` (a text file sent as text)."""
    media_type: str
    characters: int
    """What the block's data takes in the body: base64 characters, or the file's text."""
    name: str = ""
    message: int = 0
    """1-based position of the message that carries it."""

    def describe(self) -> str:
        """One line: ``image image/png, 1.2 MB of base64 (message 3)``."""
        what = "of base64" if self.kind != "file" else "of text"
        named = f" {self.name}" if self.name else ""
        where = f" (message {self.message})" if self.message else ""
        return f"{self.kind}{named} {self.media_type}, {size_text(self.characters)} {what}{where}"

    def to_json(self) -> dict[str, Any]:
        """For a ``--debug-log`` line."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "media_type": self.media_type,
            "characters": self.characters,
            "message": self.message,
        }
        if self.name:
            data["name"] = self.name
        return data


def attachment_sizes(body: str | None) -> list[AttachmentSize]:
    """The attachment blocks of a JSON request body, in order (none for no body, or a
    body that is not a JSON object with messages)."""
    if not body or ('"data' not in body and "<file name=" not in body):
        return []  # no base64 and no file: skip parsing a long text-only history
    try:
        parsed = json.loads(body)
    except ValueError:
        return []
    messages = parsed.get("messages") if isinstance(parsed, dict) else None
    if not isinstance(messages, list):
        return []
    found: list[AttachmentSize] = []
    for number, message in enumerate(messages, start=1):
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, list):
            continue
        for block in content:
            size = _block_size(block, number) if isinstance(block, dict) else None
            if size is not None:
                found.append(size)
    return found


def _block_size(block: dict[str, Any], message: int) -> AttachmentSize | None:
    kind = block.get("type")
    if kind in ("image", "document"):
        source = block.get("source")
        if not isinstance(source, dict):
            return None
        data = source.get("data")
        if not isinstance(data, str):
            return None
        media_type = str(source.get("media_type", ""))
        title = block.get("title")
        return AttachmentSize(
            "image" if kind == "image" else "pdf",
            media_type,
            len(data),
            title if isinstance(title, str) else "",
            message,
        )
    if kind == "image_url":
        image = block.get("image_url")
        url = image.get("url") if isinstance(image, dict) else None
        if not isinstance(url, str) or not url.startswith("data:"):
            return None
        header, _, data = url.partition(",")
        media_type = header.removeprefix("data:").split(";", 1)[0]
        return AttachmentSize("image", media_type, len(data), "", message)
    if kind == "text":
        text = block.get("text")
        match = _FILE_TEXT.match(text) if isinstance(text, str) else None
        if match is None or not isinstance(text, str):
            return None
        name = html.unescape(match.group(1))
        return AttachmentSize("file", "text/plain", len(text), name, message)
    return None


def size_text(count: int) -> str:
    """A byte (or character) count as people read it: ``812 B``, ``4.1 kB``, ``1.2 MB``."""
    if count < 1000:
        return f"{count} B"
    if count < 1_000_000:
        return f"{count / 1000:.1f} kB"
    return f"{count / 1_000_000:.1f} MB"
