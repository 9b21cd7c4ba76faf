"""The tools a request offers the model, in each API format's shape.

A :class:`ToolSpec` is what the model is told about one tool: the name it calls it by, what
it is for, and the JSON Schema of its input. Where tools come from (MCP servers, Claude's
server tools) is not the wire layer's business; it only puts them in the body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TOOL_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""What both APIs accept as a tool name."""


@dataclass(frozen=True)
class ToolSpec:
    """One tool offered to the model."""

    name: str
    """The name the model calls it by (both APIs: letters, digits, ``_`` and ``-``, at
    most 64)."""
    description: str = ""
    input_schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "object"})
    """JSON Schema of the input object."""

    def __post_init__(self) -> None:
        if not TOOL_NAME.fullmatch(self.name):
            raise ValueError(
                f"{self.name!r} is not a tool name the APIs accept "
                "(letters, digits, _ and -, at most 64)"
            )


def anthropic_tools(tools: Sequence[ToolSpec]) -> list[dict[str, Any]]:
    """``tools`` for the Messages API."""
    return [
        {
            "name": tool.name,
            "description": tool.description,
            "input_schema": dict(tool.input_schema),
        }
        for tool in tools
    ]


def openai_tools(tools: Sequence[ToolSpec]) -> list[dict[str, Any]]:
    """``tools`` for Chat Completions: each a function."""
    return [
        {
            "type": "function",
            "function": {
                "name": tool.name,
                "description": tool.description,
                "parameters": dict(tool.input_schema),
            },
        }
        for tool in tools
    ]
