"""Which stored attachments the session files still refer to, for deleting unused ones.

An attachment's bytes are shared by every session that holds the same file, so they may go
only with the last session that refers to them. Deleting a session scans the other session
files for the hashes it held (a byte search, no JSON parsing), and only when the deleted
session had attachments at all; most deletes therefore read nothing more than before.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from claude_tui.sessions.session_index import is_session_file_name

_ATTACHMENT_HASH = re.compile(rb'"sha256":\s*"([0-9a-f]{64})"')


def attachment_hashes(session_file: Path) -> set[str]:
    """The attachment hashes a session file refers to (empty when it cannot be read)."""
    try:
        data = session_file.read_bytes()
    except OSError:
        return set()
    if b'"attachment"' not in data:
        return set()
    return {match.decode("ascii") for match in _ATTACHMENT_HASH.findall(data)}


def unreferenced(hashes: Iterable[str], sessions_folder: Path) -> set[str]:
    """Those of ``hashes`` that no session file in ``sessions_folder`` mentions.

    Stops reading as soon as every hash has been seen somewhere. A file that cannot be
    read counts as referring to all of them (its attachments must not vanish under it).
    """
    remaining = {h.encode("ascii") for h in hashes}
    try:
        names = os.listdir(sessions_folder)
    except FileNotFoundError:
        names = []
    for name in names:
        if not remaining:
            break
        if not is_session_file_name(name):
            continue
        try:
            data = (sessions_folder / name).read_bytes()
        except OSError:
            return set()
        remaining = {h for h in remaining if h not in data}
    return {h.decode("ascii") for h in remaining}
