"""Attachment bytes, stored once each under the data folder and named by their SHA-256.

A session refers to an attachment by its hash (see ``attachment_block``), so a 5 MB screenshot
costs a session file a hundred bytes, sending it twice stores it once, and two sessions
holding the same file share it. Files are written atomically (``atomic_write``); a file is
never changed once written, since its name is its content.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from claude_tui import paths
from claude_tui.atomic_write import write_atomic
from claude_tui.regular_files import read_regular_file

_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_of(data: bytes) -> str:
    """The hex digest that names ``data`` in the store."""
    return hashlib.sha256(data).hexdigest()


def is_sha256(value: object) -> bool:
    """Whether ``value`` can name a stored attachment (64 lowercase hex digits)."""
    return isinstance(value, str) and bool(_SHA256.fullmatch(value))


class BlobStore:
    """The content-addressed folder (``paths.attachments_dir()`` unless given one).

    Implements the wire layer's ``AttachmentSource`` (:meth:`read`), so a request reads the
    bytes only when its body is built.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else paths.attachments_dir()

    def path_for(self, sha256: str) -> Path:
        """Where the blob ``sha256`` lives (two-letter fan-out folders keep listings short)."""
        if not is_sha256(sha256):
            raise ValueError(f"not an attachment hash: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and return its hash. Raises ``OSError`` naming the file."""
        digest = sha256_of(data)
        path = self.path_for(digest)
        if not path.exists():
            write_atomic(path, data, mode=0o600)
        return digest

    def has(self, sha256: str) -> bool:
        """Whether the blob is stored."""
        return is_sha256(sha256) and self.path_for(sha256).is_file()

    def read(self, sha256: str) -> bytes:
        """The bytes of a stored blob; ``FileNotFoundError`` when it is not stored."""
        return read_regular_file(self.path_for(sha256))

    def remove(self, sha256: str) -> bool:
        """Delete a blob; False when it was not there."""
        try:
            self.path_for(sha256).unlink()
        except FileNotFoundError:
            return False
        return True

    def hashes(self) -> Iterator[str]:
        """Every stored hash (for tests and clean-ups)."""
        try:
            folders = os.listdir(self.root)
        except FileNotFoundError:
            return
        for folder in folders:
            try:
                names = os.listdir(self.root / folder)
            except (NotADirectoryError, FileNotFoundError):
                continue
            yield from (name for name in names if is_sha256(name))
