"""A summary standing in for the earlier part of a conversation (what ``/compact`` makes).

Shared by every layer like :mod:`claude_tui.chat_message`: the session saves it, the wire
layer sends it in place of the turns it replaced, the view shows it where the cut falls.
The replaced messages stay saved; the summary names the first and last of them by id, so
what it replaced holds even when later messages are added, edited or deleted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

SUMMARY_PREFIX = "Summary of the earlier conversation:\n\n"
"""How the summary opens the first user turn of every request sent after a compaction."""


@dataclass(frozen=True)
class HistorySummary:
    """The summary of ``history[first .. last]`` (ids), written by ``model``.

    ``count`` is how many messages it replaced when it was made; ``auto`` says whether
    auto-compact made it (and ``reason`` then says why, for the view). ``instructions`` are
    what the user asked the summary to keep (``/compact keep the API decisions``).
    """

    text: str
    first_id: str
    last_id: str
    count: int
    model: str = ""
    instructions: str = ""
    auto: bool = False
    reason: str = ""
    created: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        """Plain dict for the session file and exports (defaults left out, to stay small)."""
        data: dict[str, Any] = {
            "text": self.text,
            "first": self.first_id,
            "last": self.last_id,
            "count": self.count,
            "created": self.created,
        }
        if self.model:
            data["model"] = self.model
        if self.instructions:
            data["instructions"] = self.instructions
        if self.auto:
            data["auto"] = True
        if self.reason:
            data["reason"] = self.reason
        return data

    @classmethod
    def from_json(cls, data: object) -> HistorySummary:
        """Read :meth:`to_json`'s dict; ``ValueError`` naming the field that is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a summary must be an object with 'text', 'first' and 'last'")
        for name in ("text", "first", "last"):
            if not isinstance(data.get(name), str):
                raise ValueError(f"a summary's {name!r} must be a string")
        count = data.get("count", 0)
        created = data.get("created", 0.0)
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError("a summary's 'count' must be a whole number")
        if not isinstance(created, (int, float)) or isinstance(created, bool):
            raise ValueError("a summary's 'created' must be a timestamp")

        def text(name: str) -> str:
            value = data.get(name, "")
            return value if isinstance(value, str) else ""

        return cls(
            text=data["text"],
            first_id=data["first"],
            last_id=data["last"],
            count=count,
            model=text("model"),
            instructions=text("instructions"),
            auto=data.get("auto") is True,
            reason=text("reason"),
            created=float(created),
        )

    def replaced_end(self, message_ids: list[str]) -> int | None:
        """Index just past the last replaced message in ``message_ids`` (the cut), or None
        when that message is no longer there (deleted): the summary then applies to nothing."""
        for index in range(len(message_ids) - 1, -1, -1):
            if message_ids[index] == self.last_id:
                return index + 1
        return None
