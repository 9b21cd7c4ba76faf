"""The names MCP tools are offered to the model by: ``SERVER__TOOL``.

The rule (documented in the README): the server's name from the config, two underscores,
the tool's own name; in each part every character outside ``[A-Za-z0-9_-]`` becomes ``_``;
the whole is cut to 64 characters (both APIs' limit). Cutting or replacing can make two tools
share a name: the first (in config order, then the server's order) keeps it and the later
one is not offered, with a notice. The model's name is mapped back through
:class:`ToolNames`, never by splitting at ``__`` (a server or tool name may hold it too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SEPARATOR = "__"
MAX_NAME = 64
_OUTSIDE = re.compile(r"[^A-Za-z0-9_-]")


def offered_name(server: str, tool: str) -> str:
    """``server__tool`` reduced to what the APIs accept as a tool name."""
    name = f"{_OUTSIDE.sub('_', server)}{SEPARATOR}{_OUTSIDE.sub('_', tool)}"
    return name[:MAX_NAME]


@dataclass
class ToolNames:
    """Offered name to ``(server, tool)`` and back, for the tools now listed."""

    _by_name: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add(self, server: str, tool: str) -> str | None:
        """Register a tool; its offered name, or None when another tool already has it."""
        name = offered_name(server, tool)
        if self._by_name.get(name, (server, tool)) != (server, tool):
            return None
        self._by_name[name] = (server, tool)
        return name

    def drop_server(self, server: str) -> None:
        """Forget every tool of ``server`` (it stopped or failed)."""
        self._by_name = {n: st for n, st in self._by_name.items() if st[0] != server}

    def items(self) -> list[tuple[str, tuple[str, str]]]:
        """Every ``(offered name, (server, tool))``."""
        return list(self._by_name.items())

    def lookup(self, name: str) -> tuple[str, str] | None:
        """``(server, tool)`` for an offered name, None when no tool has it."""
        return self._by_name.get(name)
