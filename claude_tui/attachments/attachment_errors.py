"""Why a file cannot be attached, in words a user can act on.

Every refusal happens before anything is sent or saved: the file is named, and so is the
rule it breaks (its detected type, or the API limit with its figure).
"""

from __future__ import annotations


class AttachmentError(ValueError):
    """A file could not be attached; ``str()`` is the sentence to show."""

    def __init__(self, message: str, *, name: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.name = name
        """The file's name (no folder), when the error is about one file."""


class UnsupportedFileError(AttachmentError):
    """The file is of a kind the API cannot take (``detected`` names what it is)."""

    def __init__(self, name: str, detected: str) -> None:
        super().__init__(
            f"{name} is {detected}: only PNG, JPEG, GIF and WebP images, PDF documents and "
            "UTF-8 text or code can be attached.",
            name=name,
        )
        self.detected = detected


class OverLimitError(AttachmentError):
    """The file breaks one of the API's limits (``limit`` names it, with its figure)."""

    def __init__(self, name: str, what: str, limit: str) -> None:
        super().__init__(f"{name} {what}: the API takes at most {limit}.", name=name)
        self.limit = limit


class UnreadableFileError(AttachmentError):
    """The file could not be read (missing, a folder, no permission)."""


class ClipboardError(AttachmentError):
    """No image could be taken from the system clipboard (no tool, or no image on it)."""
