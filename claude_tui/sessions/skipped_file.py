"""Files in the sessions folder that were skipped (not loadable, not a file, not readable).

They are never modified; the store collects them so that every front end can say so: the
``sessions list`` command on stderr and in its ``--json`` rows, the UI in one notification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """One skipped file and why, in words a user can act on."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def skipped_notice(skipped: Sequence[SkippedFile], *, shown: int = 5) -> str:
    """One notification for the skipped files: a count, then one line per file (the first
    ``shown`` of them), then what to do."""
    if not skipped:
        return ""
    noun = "file" if len(skipped) == 1 else "files"
    lines = [f"Skipped {len(skipped)} session {noun} that could not be read:"]
    lines.extend(f"{item.path.name}: {item.reason}" for item in skipped[:shown])
    if len(skipped) > shown:
        lines.append(f"…and {len(skipped) - shown} more (see 'claude-tui sessions list').")
    lines.append("They were left untouched; move or repair them to make this go away.")
    return "\n".join(lines)
