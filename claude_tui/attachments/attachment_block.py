"""The attachment block a user message carries, made from a file, a paste or the clipboard.

The block is what the session file saves and what the UI draws (a chip): name, kind, media
type, size, estimated tokens and the hash of the bytes in the :class:`BlobStore`::

    {"type": "attachment", "sha256": HEX, "name": "shot.png", "kind": "image",
     "media_type": "image/png", "size": 48213, "tokens": 1210, "width": 1280, "height": 720}

Making one checks the file against the API's limits for a single file (size, pixels,
pages), so a file that would be refused is refused here, before it is saved or sent. Limits
on a whole request (how many images, their total size) are checked when a body is built.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NotRequired, TypedDict, cast

from claude_tui.attachments import api_limits
from claude_tui.attachments.attachment_errors import (
    AttachmentError,
    OverLimitError,
    UnreadableFileError,
)
from claude_tui.attachments.blob_store import BlobStore, is_sha256
from claude_tui.attachments.file_kinds import AttachmentKind, detect_kind
from claude_tui.attachments.image_size import image_dimensions
from claude_tui.attachments.pdf_pages import pdf_page_count
from claude_tui.regular_files import NotARegularFile, read_regular_file

ATTACHMENT_TYPE = "attachment"


class AttachmentBlock(TypedDict):
    """One attachment in a saved user message (bytes never in the session file)."""

    type: str  # always "attachment"
    sha256: str
    name: str
    kind: AttachmentKind
    media_type: str
    size: int
    tokens: int
    width: NotRequired[int]
    height: NotRequired[int]
    pages: NotRequired[int]


def is_attachment(block: Mapping[str, Any]) -> bool:
    """Whether a content block is an attachment block with a usable hash."""
    return block.get("type") == ATTACHMENT_TYPE and is_sha256(block.get("sha256"))


def attachment_from_file(path: Path, store: BlobStore | None = None) -> AttachmentBlock:
    """Read, check and store the file at ``path``; its block (named by the file's name)."""
    name = path.name or os.fspath(path)
    try:
        data = read_regular_file(path)
    except NotARegularFile as error:
        message = f"{path} cannot be attached: {error.reason}."
        raise UnreadableFileError(message, name=name) from None
    except FileNotFoundError:
        raise UnreadableFileError(f"{path}: no such file.", name=name) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise UnreadableFileError(f"{path} could not be read: {reason}.", name=name) from None
    return attachment_from_bytes(data, name, store)


def attachment_from_bytes(
    data: bytes, name: str, store: BlobStore | None = None
) -> AttachmentBlock:
    """Check ``data`` (a file called ``name``) and store it; its block.

    Raises :class:`~claude_tui.attachments.attachment_errors.AttachmentError` subclasses
    naming the file and the rule, and ``OSError`` when the store cannot be written.
    """
    detected = detect_kind(data, name)
    block: dict[str, Any] = {
        "type": ATTACHMENT_TYPE,
        "sha256": "",
        "name": name,
        "kind": detected.kind,
        "media_type": detected.media_type,
        "size": len(data),
        "tokens": 0,
    }
    if detected.kind == "image":
        block.update(_image_fields(data, name, detected.media_type))
    elif detected.kind == "pdf":
        block.update(_pdf_fields(data, name))
    else:
        block["tokens"] = text_attachment_tokens(name, len(data.decode("utf-8")))
        if api_limits.base64_length(len(data)) > api_limits.REQUEST_MAX_BYTES:
            raise OverLimitError(
                name,
                f"is {api_limits.megabytes(len(data))}",
                f"{api_limits.megabytes(api_limits.REQUEST_MAX_BYTES)} in a whole request",
            )
    block["sha256"] = (store or BlobStore()).put(data)
    return cast(AttachmentBlock, block)


def check_sendable(block: Mapping[str, Any], api_format: str) -> None:
    """Refuse, before it is saved or sent, an attachment the profile's format cannot carry:
    a PDF on the OpenAI Chat Completions format, which has no document part."""
    if block.get("kind") == "pdf" and api_format == "openai":
        name = str(block.get("name", "The PDF"))
        raise AttachmentError(
            f"{name} is a PDF, and this profile speaks the OpenAI Chat Completions format, "
            "which has no document part. Use an Anthropic-format profile to send PDFs.",
            name=name,
        )


def text_attachment_tokens(name: str, characters: int) -> int:
    """Estimated tokens of a text file sent with its name around it (4 characters a token)."""
    return int((characters + len(name) + 24) / 4 + 0.999)


def _image_fields(data: bytes, name: str, media_type: str) -> dict[str, int]:
    encoded = api_limits.base64_length(len(data))
    if encoded > api_limits.IMAGE_MAX_BASE64_BYTES:
        raise OverLimitError(
            name,
            f"is {api_limits.megabytes(len(data))} ({api_limits.megabytes(encoded)} "
            "base64-encoded, as it is sent)",
            f"{api_limits.megabytes(api_limits.IMAGE_MAX_BASE64_BYTES)} per image, encoded; "
            "shrink or recompress it",
        )
    size = image_dimensions(data, media_type)
    if size is None:
        return {"tokens": api_limits.IMAGE_MAX_TOKENS}
    width, height = size
    longest = api_limits.IMAGE_MAX_SIDE_PX
    if max(width, height) > longest:
        raise OverLimitError(
            name, f"is {width}x{height} px", f"{longest}x{longest} px per image; scale it down"
        )
    tokens = api_limits.estimate_image_tokens(width, height)
    return {"width": width, "height": height, "tokens": tokens}


def _pdf_fields(data: bytes, name: str) -> dict[str, int]:
    if len(data) > api_limits.PDF_MAX_BYTES:
        raise OverLimitError(
            name,
            f"is {api_limits.megabytes(len(data))}",
            f"{api_limits.megabytes(api_limits.PDF_MAX_BYTES)} per PDF",
        )
    pages = pdf_page_count(data)
    if pages is not None and pages > api_limits.PDF_MAX_PAGES:
        raise OverLimitError(
            name, f"has {pages} pages", f"{api_limits.PDF_MAX_PAGES} pages per PDF; split it"
        )
    fields = {"tokens": api_limits.estimate_pdf_tokens(pages)}
    if pages is not None:
        fields["pages"] = pages
    return fields


def attachment_label(block: Mapping[str, Any]) -> str:
    """The chip's words: ``shot.png · image · 47 KB · ~1.2k tokens``."""
    parts = [str(block.get("name", "?")), str(block.get("kind", "?"))]
    size = block.get("size")
    if isinstance(size, int):
        parts.append(human_size(size))
    if block.get("kind") == "pdf" and isinstance(block.get("pages"), int):
        pages = block["pages"]
        parts.append(f"{pages} page{'s' if pages != 1 else ''}")
    tokens = block.get("tokens")
    if isinstance(tokens, int):
        parts.append(f"~{short_count(tokens)} tokens")
    return " · ".join(parts)


def human_size(size: int) -> str:
    """``48213`` as ``47 KB``; bytes, KB, MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def short_count(tokens: int) -> str:
    """``1210`` as ``1.2k``."""
    return f"{tokens / 1000:.1f}k" if tokens >= 1000 else str(tokens)
