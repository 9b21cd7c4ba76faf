"""Attachment blocks become what each API format sends, as the last step of a body.

Why here, and why last: a saved ``attachment`` block is small (a hash, a name, ``tokens``),
and history shaping and trimming keep it as it is, so everything that only estimates (the
trim divider, the context meter, ``sent_history``) counts ``tokens`` and never reads a file.
Only :func:`anthropic_body` / :func:`openai_body` call :func:`expand_anthropic_turns` /
:func:`expand_openai_turns`, which read the bytes through the request's
:class:`~claude_tui.wire.chat_request.AttachmentSource` (the blob store). The alternative,
expanding in ``Conversation.request_for``, would load every image of the history for each
estimate, and put base64 strings into what trimming measures.

Anthropic: ``image`` (base64), ``document`` (base64 PDF, titled with its name), text files as
a ``text`` block wrapped in ``<file name="...">``. OpenAI Chat Completions: ``image_url``
with a data URI, text files as ``text`` parts; a PDF is refused before sending, since the
format has no file part every relay accepts. Limits on the whole request (how many images,
their sides past 20 images, the total size) are checked here too, before anything leaves.
"""

from __future__ import annotations

import base64
from typing import Any

from claude_tui.attachments import api_limits
from claude_tui.wire.chat_request import AttachmentSource
from claude_tui.wire.errors import ApiError


class AttachmentNotSentError(ApiError):
    """An attachment in the history cannot be sent on this endpoint; nothing was sent."""

    short_reason = "attachment refused"

    def __init__(self, message: str) -> None:
        super().__init__(message, should_retry=False)


def expand_anthropic_turns(
    turns: list[dict[str, Any]], source: AttachmentSource | None
) -> list[dict[str, Any]]:
    """``turns`` (Messages API shape) with each attachment block expanded."""
    check_request_limits(turns)
    expander = _Expander(source, "anthropic")
    return [expander.turn(turn) for turn in turns]


def expand_openai_turns(
    turns: list[dict[str, Any]], source: AttachmentSource | None
) -> list[dict[str, Any]]:
    """``turns`` (Chat Completions shape) with each attachment part expanded."""
    check_request_limits(turns)
    expander = _Expander(source, "openai")
    return [expander.turn(turn) for turn in turns]


def file_text_block_text(name: str, text: str) -> str:
    """A text file as the model reads it: its name, then its content."""
    quoted = name.replace("&", "&amp;").replace('"', "&quot;")
    return f'<file name="{quoted}">\n{text}\n</file>'


class _Expander:
    def __init__(self, source: AttachmentSource | None, api_format: str) -> None:
        self.source = source
        self.api_format = api_format

    def turn(self, turn: dict[str, Any]) -> dict[str, Any]:
        content = turn.get("content")
        if not isinstance(content, list) or not any(
            isinstance(b, dict) and b.get("type") == "attachment" for b in content
        ):
            return turn
        return {**turn, "content": [self.block(b) for b in content]}

    def block(self, block: dict[str, Any]) -> dict[str, Any]:
        if block.get("type") != "attachment":
            return block
        name = str(block.get("name", "attachment"))
        kind = block.get("kind")
        if kind == "pdf" and self.api_format == "openai":
            raise AttachmentNotSentError(
                f"{name} is a PDF, and the OpenAI Chat Completions format this profile speaks "
                "has no document part: nothing was sent. Send it through an Anthropic-format "
                "profile, or fork the session before that message to go on without it."
            )
        data = self._read(block)
        if data is None:
            note = f"[attachment {name} is no longer stored, so it was not sent]"
            return {"type": "text", "text": note}
        media_type = str(block.get("media_type", "application/octet-stream"))
        if kind == "text":
            text = file_text_block_text(name, data.decode("utf-8", errors="replace"))
            return {"type": "text", "text": text}
        encoded = base64.b64encode(data).decode("ascii")
        if kind == "image":
            if self.api_format == "openai":
                url = f"data:{media_type};base64,{encoded}"
                return {"type": "image_url", "image_url": {"url": url}}
            return {
                "type": "image",
                "source": {"type": "base64", "media_type": media_type, "data": encoded},
            }
        return {
            "type": "document",
            "source": {"type": "base64", "media_type": "application/pdf", "data": encoded},
            "title": name,
        }

    def _read(self, block: dict[str, Any]) -> bytes | None:
        source = self.source
        if source is None:
            from claude_tui.attachments import BlobStore

            source = self.source = BlobStore()
        try:
            return source.read(str(block.get("sha256", "")))
        except (OSError, ValueError):
            return None


def check_request_limits(turns: list[dict[str, Any]]) -> None:
    """Count the images and encoded bytes of every sent turn against the API's limits,
    from the blocks alone (no file is read): the request is refused whole, or sent."""
    images: list[dict[str, Any]] = []
    encoded = 0
    for turn in turns:
        content = turn.get("content")
        if not isinstance(content, list):
            continue
        for block in content:
            if isinstance(block, dict) and block.get("type") == "attachment":
                size = block.get("size")
                encoded += api_limits.base64_length(size if isinstance(size, int) else 0)
                if block.get("kind") == "image":
                    images.append(block)
    if len(images) > api_limits.MAX_IMAGES_PER_REQUEST:
        raise AttachmentNotSentError(
            f"This request would carry {len(images)} images; the API takes at most "
            f"{api_limits.MAX_IMAGES_PER_REQUEST} in one request. Nothing was sent: set "
            "max_messages on the profile, or fork the session, to send fewer."
        )
    if len(images) > api_limits.MANY_IMAGES:
        side = api_limits.MANY_IMAGES_MAX_SIDE_PX
        for image in images:
            width, height = image.get("width", 0), image.get("height", 0)
            if isinstance(width, int) and isinstance(height, int) and max(width, height) > side:
                raise AttachmentNotSentError(
                    f"{image.get('name', 'An image')} is {width}x{height} px; with more "
                    f"than {api_limits.MANY_IMAGES} images in one request the API takes "
                    f"at most {side}x{side} px each. Nothing was sent: scale it down, or "
                    "send fewer images (max_messages, or a fork)."
                )
    if encoded > api_limits.REQUEST_MAX_BYTES:
        raise AttachmentNotSentError(
            f"The attachments of this request come to {api_limits.megabytes(encoded)} "
            "base64-encoded; the API takes at most "
            f"{api_limits.megabytes(api_limits.REQUEST_MAX_BYTES)} in one request. Nothing "
            "was sent: set max_messages on the profile, or fork the session, to send fewer."
        )
