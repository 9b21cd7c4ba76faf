"""Attachments: images, PDFs and text files sent with a prompt.

No Textual here: the UI and print mode both use it. A file becomes an
:class:`AttachmentBlock` (checked against the API's limits, its bytes stored once in the
content-addressed :class:`BlobStore`); the session saves only the block. The wire layer turns
blocks into image, document and text blocks when it builds a request body, reading the bytes
through the store at that moment and never for a token estimate.
"""

from __future__ import annotations

from claude_tui.attachments.attachment_block import (
    ATTACHMENT_TYPE,
    AttachmentBlock,
    attachment_from_bytes,
    attachment_from_file,
    attachment_label,
    check_sendable,
    is_attachment,
)
from claude_tui.attachments.attachment_errors import (
    AttachmentError,
    ClipboardError,
    OverLimitError,
    UnreadableFileError,
    UnsupportedFileError,
)
from claude_tui.attachments.blob_store import BlobStore, is_sha256, sha256_of

__all__ = [
    "ATTACHMENT_TYPE",
    "AttachmentBlock",
    "AttachmentError",
    "BlobStore",
    "ClipboardError",
    "OverLimitError",
    "UnreadableFileError",
    "UnsupportedFileError",
    "attachment_from_bytes",
    "attachment_from_file",
    "attachment_label",
    "check_sendable",
    "is_attachment",
    "is_sha256",
    "sha256_of",
]
