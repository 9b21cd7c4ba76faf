"""Claude's server tools (web search, web fetch, code execution) on the Messages API.

The API runs them itself, inside one request: the reply carries a ``server_tool_use`` block
and its result block (``web_search_tool_result`` and the like) whole, and text that cites
the results. claude-tui only offers them (a definition in ``tools`` and, where the API
still calls them beta, an ``anthropic-beta`` value), keeps their blocks in the saved reply
and sends those back; the client's tool loop never runs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from claude_tui.wire.errors import ApiError

SERVER_TOOL_DEFINITIONS: dict[str, dict[str, Any]] = {
    "web_search": {"type": "web_search_20250305", "name": "web_search", "max_uses": 5},
    "web_fetch": {"type": "web_fetch_20250910", "name": "web_fetch"},
    "code_execution": {"type": "code_execution_20250825", "name": "code_execution"},
}
"""The ``tools`` entry for each server tool a profile may name in ``server_tools``."""

SERVER_TOOL_BETAS: dict[str, str] = {
    "web_fetch": "web-fetch-2025-09-10",
    "code_execution": "code-execution-2025-08-25",
}
"""The ``anthropic-beta`` value a server tool needs (web search needs none)."""

SERVER_RESULT_BLOCKS = frozenset(
    {
        "web_search_tool_result",
        "web_fetch_tool_result",
        "code_execution_tool_result",
        "bash_code_execution_tool_result",
        "text_editor_code_execution_tool_result",
    }
)
"""Result blocks of server tools: they arrive whole and go back as they came."""


def server_tool_definitions(names: Iterable[str]) -> list[dict[str, Any]]:
    """``tools`` entries for ``names`` (unknown names are left out: the profile checks them)."""
    return [
        dict(SERVER_TOOL_DEFINITIONS[name]) for name in names if name in SERVER_TOOL_DEFINITIONS
    ]


def merged_betas(own: Iterable[str], names: Iterable[str]) -> list[str]:
    """The profile's own ``anthropic_beta`` values, then those its server tools need, once."""
    betas = list(own)
    for name in names:
        beta = SERVER_TOOL_BETAS.get(name)
        if beta and beta not in betas:
            betas.append(beta)
    return betas


def paired_server_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``blocks`` without a ``server_tool_use`` whose result is missing (a reply cut, or
    paused, between the two) and without a result whose call is missing: the API refuses
    either alone."""
    calls = {b.get("id") for b in blocks if b.get("type") == "server_tool_use"}
    answered = {b.get("tool_use_id") for b in blocks if b.get("type") in SERVER_RESULT_BLOCKS}
    kept: list[dict[str, Any]] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "server_tool_use" and block.get("id") not in answered:
            continue
        if kind in SERVER_RESULT_BLOCKS and block.get("tool_use_id") not in calls:
            continue
        kept.append(block)
    return kept


def explain_rejected_server_tool(error: ApiError, names: Iterable[str], profile: str) -> None:
    """Say so in ``error``'s message when the endpoint refused (400, 404, 422) a request
    whose refusal names one of the server tools offered: the fix is the profile's
    ``server_tools``, which a retry would not change."""
    if error.status not in (400, 404, 422):
        return
    name = rejected_server_tool(f"{error.server_message or ''} {error.message}", names)
    if name is None:
        return
    error.message = (
        f"The endpoint refused Claude's server tool {name}: {error.message}. It may not "
        f"offer server tools; remove {name!r} from server_tools in [profiles.{profile}]"
    )


def rejected_server_tool(message: str, names: Iterable[str]) -> str | None:
    """The server tool a refusal's ``message`` names (by name or type), or None."""
    lowered = message.lower()
    for name in names:
        definition = SERVER_TOOL_DEFINITIONS.get(name)
        if definition is None:
            continue
        kind = str(definition["type"])
        family = re.sub(r"_\d{8}$", "", kind)
        if kind in lowered or name in lowered or family in lowered:
            return name
        beta = SERVER_TOOL_BETAS.get(name)
        if beta and beta in lowered:
            return name
    return None
