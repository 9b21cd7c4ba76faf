"""The compact block drawn under a reply for each tool call, and what the view knows of them.

A call is one line folded: ``▸ ⚙ tool · server  {"arguments": …}  ✓ done 0.4 s`` and the
first lines of its result; unfolded (Enter on the message, or a click on the line) the
arguments as pretty JSON and the whole result. The state comes from the live
``ToolCallChanged`` events while a turn runs, else from the saved blocks: a ``tool_use``
answered in the next message is done (failed when the result is an error); unanswered, it
was not run.

What the view knows of the calls (their live states, results and folds) is kept in
``tool_rounds``; this module only draws, and is loaded with the first reply that has a call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from claude_tui.terminal_text import safe_for_terminal

if TYPE_CHECKING:
    from claude_tui.chat_message import ChatMessage
    from claude_tui.conversation.tool_host import ToolCall
    from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
    from claude_tui.ui.widgets.conversation.tool_rounds import LiveToolCall, ToolRounds

PREVIEW_LINES = 3
"""Result lines shown under a folded call."""
CLICKABLE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
"""Ids safe to put in a click action (an id is the endpoint's text)."""
STATE_WORDS = {
    "waiting": "⏸ waiting for approval",
    "running": "⠿ running",
    "done": "✓ done",
    "failed": "✗ failed",
    "denied": "⊘ declined",
    "not_run": "· not run",
    "pending": "… pending",
}


def tool_use_blocks(message: ChatMessage) -> list[Mapping[str, Any]]:
    """The message's ``tool_use`` blocks (and Claude's ``server_tool_use``), in order."""
    return [b for b in message.content if b.get("type") in ("tool_use", "server_tool_use")]


def call_state(
    block: Mapping[str, Any], rounds: ToolRounds, *, streaming: bool
) -> tuple[str, float | None]:
    """``(state, seconds)`` of a call: live first, else from its saved result; a call of
    a reply still arriving, or of the round being worked through, is pending."""
    call_id = str(block.get("id", ""))
    live = rounds.live.get(call_id)
    if live is not None:
        return live.event.state, live.seconds
    result = rounds.results.get(call_id)
    if result is not None:
        return ("failed" if result.get("is_error") else "done"), None
    return ("pending" if streaming else "not_run"), None


def tool_and_server(block: Mapping[str, Any], rounds: ToolRounds) -> tuple[str, str]:
    """The tool's own name and its server: from the live call when the host filled them
    in, else read back from the offered ``SERVER__TOOL`` name."""
    live = rounds.live.get(str(block.get("id", "")))
    if live is not None and live.event.call.tool:
        return live.event.call.tool, live.event.call.server
    name = str(block.get("name", "tool"))
    if block.get("type") == "server_tool_use":
        return name, "Anthropic"
    server, separator, tool = name.partition("__")
    return (tool, server) if separator and tool else (name, "")


def result_text(block: Mapping[str, Any] | None, live: LiveToolCall | None) -> tuple[str, str]:
    """``(text, note)`` of a call's result: the live outcome, else the saved block."""
    if live is not None and live.event.outcome is not None:
        return _content_text(live.event.outcome.content), live.event.outcome.note
    if block is None:
        return "", ""
    return _content_text(block.get("content", "")), ""


def _content_text(content: object) -> str:
    if isinstance(content, str):
        return content
    parts: list[str] = []
    if isinstance(content, list):
        for item in content:
            if not isinstance(item, Mapping):
                continue
            if item.get("type") == "text":
                parts.append(str(item.get("text", "")))
            elif item.get("type") == "image":
                parts.append("[image]")
    return "\n".join(parts)


def block_key(
    blocks: Sequence[Mapping[str, Any]], rounds: ToolRounds, now: float
) -> tuple[object, ...]:
    """What the drawing of ``blocks`` depends on (a running call's clock, by the second)."""
    key: list[object] = []
    for block in blocks:
        call_id = str(block.get("id", ""))
        live = rounds.live.get(call_id)
        clock = None
        if live is not None and live.event.state == "running" and live.event.started is not None:
            clock = int(now - live.event.started)
        key.append((call_id, live, clock, rounds.results.get(call_id) is not None))
        key.append(call_id in rounds.expanded)
        key.append(id(block.get("input")))
    return tuple(key)


def header_text(
    block: Mapping[str, Any],
    rounds: ToolRounds,
    styles: LayoutStyles,
    width: int,
    *,
    streaming: bool,
    now: float,
    active: bool = False,
) -> Text:
    """The call's one line: marker, tool · server, arguments cut to fit, state."""
    call_id = str(block.get("id", ""))
    state, seconds = call_state(block, rounds, streaming=streaming or active)
    tool, server = tool_and_server(block, rounds)
    marker = "▾" if call_id in rounds.expanded else "▸"
    words = STATE_WORDS[state]
    live = rounds.live.get(call_id)
    if state == "running" and live is not None and live.event.started is not None:
        words += f" {max(now - live.event.started, 0.0):.0f} s"
    elif seconds is not None:
        words += f" {seconds:.1f} s"
    name = Text(f"{marker} ⚙ {safe_for_terminal(tool)}", style=styles.assistant_label)
    if server:
        name.append(f" · {safe_for_terminal(server)}", style=styles.muted)
    state_style = {
        "failed": styles.error_text,
        "denied": styles.warning,
        "waiting": styles.warning,
    }.get(state, styles.muted)
    line = call_line(
        name,
        one_line_arguments(block.get("input", {})),
        Text(words, style=state_style),
        styles,
        width,
    )
    if CLICKABLE_ID.fullmatch(call_id):
        line.stylize(Style(meta={"@click": f"toggle_tool_call('{call_id}')"}), 0, len(line))
    return line


def call_line(name: Text, arguments: str, state: Text, styles: LayoutStyles, width: int) -> Text:
    """A tool call's line: ``name``, the arguments cut to the room left, then ``state``
    (the arguments go when fewer than 8 cells are left for them). Extends ``name``."""
    room = width - name.cell_len - state.cell_len - 4
    if room >= 8:
        shown = Text(arguments, style=styles.muted)
        shown.truncate(room, overflow="ellipsis")
        name.append("  ")
        name.append_text(shown)
    name.append("  ")
    name.append_text(state)
    return name


def one_line_arguments(arguments: object) -> str:
    """The arguments as compact JSON on one line (outside text: made safe to show)."""
    try:
        text = json.dumps(arguments, ensure_ascii=False, separators=(", ", ": "))
    except (TypeError, ValueError):
        text = str(arguments)
    return safe_for_terminal(text.replace("\n", " "))


def pretty_arguments(arguments: object) -> str:
    """The arguments as indented JSON (the approval card and an unfolded call)."""
    try:
        text = json.dumps(arguments, ensure_ascii=False, indent=2)
    except (TypeError, ValueError):
        text = str(arguments)
    return "\n".join(safe_for_terminal(line) for line in text.split("\n"))


def preview_lines(text: str, width: int) -> list[str]:
    """The result's first :data:`PREVIEW_LINES` non-empty lines, each cut to ``width``,
    and ``… N more lines`` when there is more."""
    lines = [line for line in text.split("\n") if line.strip()]
    room = PREVIEW_LINES + 1 if len(lines) == PREVIEW_LINES + 1 else PREVIEW_LINES  # no "1 more"
    shown = [safe_for_terminal(line) for line in lines[:room]]
    shown = [line if len(line) <= width else line[: max(width - 1, 1)] + "…" for line in shown]
    if len(lines) > room:
        shown.append(f"… {len(lines) - room} more lines")
    return shown


def tool_and_server_of(call: ToolCall) -> tuple[str, str]:
    """The tool's own name and its server for a live call (read back from the offered
    ``SERVER__TOOL`` name when the host did not fill them in)."""
    if call.tool:
        return call.tool, call.server
    server, separator, tool = call.name.partition("__")
    return (tool, server) if separator and tool else (call.name, call.server)


@dataclass(frozen=True)
class CallState:
    """What a call's drawing needs from its reply."""

    streaming: bool
    """The reply is still arriving (its calls are pending)."""
    active: bool
    """The running turn is working through this reply's calls."""
    now: float
    """``time.monotonic()`` of the frame (a running call's clock)."""


class PlainLines(Protocol):
    """Wraps plain text to lines (the layout's renderer), indented."""

    def __call__(self, text: str, width: int, style: Style, *, indent: int = 0) -> list[Strip]:
        """``text`` as lines of at most ``width`` cells."""
        ...


def call_lines(
    block: Mapping[str, Any],
    rounds: ToolRounds,
    styles: LayoutStyles,
    width: int,
    state: CallState,
    text_lines: Callable[[Text, int], list[Strip]],
    plain: PlainLines,
) -> list[Strip]:
    """One call's block: its line, then the result's first lines, or unfolded the pretty
    arguments and the whole result; a note from the host (a cut result) under it."""
    call_id = str(block.get("id", ""))
    header = header_text(
        block,
        rounds,
        styles,
        width,
        streaming=state.streaming,
        now=state.now,
        active=state.active,
    )
    lines = text_lines(header, width)
    result = rounds.results.get(call_id)
    live = rounds.live.get(call_id)
    text, note = result_text(result, live)
    failed = bool(result is not None and result.get("is_error")) or bool(
        live is not None and live.event.outcome is not None and live.event.outcome.is_error
    )
    result_style = styles.error_text if failed else styles.muted
    if call_id in rounds.expanded:
        lines.extend(text_lines(Text("  arguments", style=styles.muted), width))
        lines.extend(plain(pretty_arguments(block.get("input", {})), width, styles.text, indent=4))
        if text:
            lines.extend(text_lines(Text("  result", style=styles.muted), width))
            lines.extend(plain(safe_for_terminal(text), width, result_style, indent=4))
    else:
        for line in preview_lines(text, max(width - 4, 10)):
            lines.extend(text_lines(Text(f"  │ {line}", style=result_style), width))
    if note:
        lines.extend(text_lines(Text(f"  {safe_for_terminal(note)}", style=styles.warning), width))
    return lines
