"""What Claude's server tools did in a reply, drawn under its text, and its cited sources.

The API runs web search, web fetch and code execution itself: a reply holds a
``server_tool_use`` block and, whole, its result block (``web_search_tool_result``...).
Each call is one line (``⚙ web_search · Anthropic  {"query": …}  ✓ done``) with what it
found under it: search results as titles and URLs, a fetched page's title and URL, code's
first lines of stdout and stderr. Text the model based on a result carries ``citations``;
a finished reply shows a number after each cited passage (``[1]``) and a numbered
"Sources" list (title and URL) under the reply.

Loaded with the first reply that has such blocks, never on the launch path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.strip import Strip

from claude_tui.terminal_text import safe_for_terminal
from claude_tui.ui.rendering.markdown_blocks import Block, IncrementalBlockSplitter
from claude_tui.ui.widgets.conversation.tool_call_block import call_line
from claude_tui.wire import SERVER_RESULT_BLOCKS

if TYPE_CHECKING:
    from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles

RESULT_LINES = 5
"""Search results (or output lines) shown under a call."""

TextLines = Callable[[Text, int], list[Strip]]


@dataclass(frozen=True)
class Source:
    """One numbered source the reply cites."""

    number: int
    title: str
    url: str


def has_server_blocks(content: Sequence[Mapping[str, Any]]) -> bool:
    """Whether any block is a server tool's call or result, or text with citations."""
    for block in content:
        kind = block.get("type")
        if kind == "server_tool_use" or kind in SERVER_RESULT_BLOCKS:
            return True
        if kind == "text" and block.get("citations"):
            return True
    return False


def drawing_key(content: Sequence[Mapping[str, Any]]) -> tuple[object, ...]:
    """What the drawing depends on: blocks arrive whole, citations one by one."""
    return (
        len(content),
        sum(len(b.get("citations") or ()) for b in content if b.get("type") == "text"),
    )


def numbered_sources(content: Sequence[Mapping[str, Any]]) -> list[Source]:
    """The cited sources in order of first citation, one number per URL."""
    sources: dict[str, Source] = {}
    for block in content:
        if block.get("type") != "text":
            continue
        for citation in _citations(block):
            url = _citation_url(citation)
            if url and url not in sources:
                title = str(citation.get("title") or citation.get("document_title") or url)
                sources[url] = Source(len(sources) + 1, title, url)
    return list(sources.values())


def cited_text(content: Sequence[Mapping[str, Any]], sources: Sequence[Source]) -> str:
    """The reply's text with ``[n]`` after each cited passage (before its trailing white
    space, so a marker stays on the passage's line); text after a tool call starts a new
    paragraph, as the API sends it in blocks of its own."""
    numbers = {source.url: source.number for source in sources}
    parts: list[str] = []
    apart = False  # a server tool call came between this text and the last
    for block in content:
        if block.get("type") != "text":
            apart = apart or bool(parts)
            continue
        text = str(block.get("text", ""))
        if apart and parts and not parts[-1].endswith("\n") and not text.startswith("\n"):
            parts.append("\n\n")  # the text after a search is a paragraph of its own
        apart = False
        marks = []
        for citation in _citations(block):
            number = numbers.get(_citation_url(citation))
            if number is not None and number not in marks:
                marks.append(number)
        if marks:
            body = text.rstrip()
            text = body + " " + "".join(f"[{n}]" for n in marks) + text[len(body) :]
        parts.append(text)
    return "".join(parts)


def cited_reply_lines(
    text: str, width: int, render: Callable[[Block, int], list[Strip]]
) -> tuple[list[Strip], list[str]]:
    """A finished reply's ``text`` (with its markers) drawn whole, blocks a blank line
    apart: ``(lines, code blocks)``; ``render(block, code_number)`` draws one block."""
    splitter = IncrementalBlockSplitter()
    splitter.append(text)
    splitter.finish()
    lines: list[Strip] = []
    codes: list[str] = []
    for index, block in enumerate(splitter.closed_blocks):
        if index:
            lines.append(Strip.blank(width))
        lines.extend(render(block, len(codes)))
        if block.kind == "code":
            codes.append(block.text)
    return lines, codes


def has_citations(content: Sequence[Mapping[str, Any]]) -> bool:
    """Whether any text block cites a source."""
    return any(b.get("type") == "text" and b.get("citations") for b in content)


def server_tool_lines(
    content: Sequence[Mapping[str, Any]],
    styles: LayoutStyles,
    width: int,
    text_lines: TextLines,
    *,
    streaming: bool,
) -> list[Strip]:
    """Each server tool call with what it found, then the reply's sources."""
    results = {
        str(b.get("tool_use_id", "")): b for b in content if b.get("type") in SERVER_RESULT_BLOCKS
    }
    lines: list[Strip] = []
    for block in content:
        if block.get("type") != "server_tool_use":
            continue
        result = results.get(str(block.get("id", "")))
        lines.extend(text_lines(_call_line(block, result, styles, width, streaming), width))
        if result is not None:
            for text, failed in result_lines(result):
                style = styles.error_text if failed else styles.muted
                lines.extend(text_lines(Text(f"  │ {safe_for_terminal(text)}", style=style), width))
    sources = numbered_sources(content)
    if sources:
        if lines:
            lines.append(Strip.blank(width))
        lines.extend(text_lines(Text("Sources", style=styles.assistant_label), width))
        for source in sources:
            line = Text(f"[{source.number}] ", style=styles.muted)
            line.append(safe_for_terminal(source.title), style=styles.text)
            line.append(f" — {safe_for_terminal(source.url)}", style=styles.muted)
            lines.extend(text_lines(line, width))
    return lines


def result_lines(result: Mapping[str, Any]) -> list[tuple[str, bool]]:
    """``(line, is_error)`` for a result block: titles and URLs of a search, the page of a
    fetch, the first lines of code's output; an error's code when the tool failed."""
    content = result.get("content")
    if isinstance(content, Mapping):
        kind = str(content.get("type", ""))
        if "error" in kind:
            return [(f"failed: {content.get('error_code', 'unknown error')}", True)]
        if kind == "web_fetch_result":
            document = content.get("content")
            title = document.get("title") if isinstance(document, Mapping) else None
            url = str(content.get("url", ""))
            return [(f"{title} — {url}" if title else url, False)]
        if "code_execution_result" in kind:
            return _output_lines(content)
        return [(kind or "result", False)]
    if isinstance(content, list):
        found = [item for item in content if isinstance(item, Mapping)]
        lines = [
            (f"{item.get('title') or item.get('url', '')} — {item.get('url', '')}", False)
            for item in found[:RESULT_LINES]
        ]
        if len(found) > RESULT_LINES:
            lines.append((f"… {len(found) - RESULT_LINES} more", False))
        return lines or [("no results", False)]
    return []


def _output_lines(content: Mapping[str, Any]) -> list[tuple[str, bool]]:
    stdout = [line for line in str(content.get("stdout") or "").splitlines() if line.strip()]
    stderr = [line for line in str(content.get("stderr") or "").splitlines() if line.strip()]
    lines = [(line, False) for line in stdout[:RESULT_LINES]]
    lines.extend((line, True) for line in stderr[:RESULT_LINES])
    code = content.get("return_code")
    if isinstance(code, int) and code != 0:
        lines.append((f"exit code {code}", True))
    return lines or [("no output", False)]


def _call_line(
    block: Mapping[str, Any],
    result: Mapping[str, Any] | None,
    styles: LayoutStyles,
    width: int,
    streaming: bool,
) -> Text:
    if result is None:
        words, state_style = ("… searching" if streaming else "· no result"), styles.muted
    elif _is_error(result):
        words, state_style = "✗ failed", styles.error_text
    else:
        words, state_style = "✓ done", styles.muted
    line = Text(
        f"⚙ {safe_for_terminal(str(block.get('name', 'tool')))}", style=styles.assistant_label
    )
    line.append(" · Anthropic", style=styles.muted)
    return call_line(
        line, _one_line(block.get("input", {})), Text(words, style=state_style), styles, width
    )


def _is_error(result: Mapping[str, Any]) -> bool:
    content = result.get("content")
    return isinstance(content, Mapping) and "error" in str(content.get("type", ""))


def _one_line(arguments: object) -> str:
    if isinstance(arguments, Mapping) and len(arguments) == 1:
        (value,) = arguments.values()
        if isinstance(value, str):
            return safe_for_terminal(" ".join(value.split()))
    try:
        return safe_for_terminal(json.dumps(arguments, ensure_ascii=False))
    except (TypeError, ValueError):
        return ""


def _citations(block: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    citations = block.get("citations")
    if not isinstance(citations, list):
        return []
    return [c for c in citations if isinstance(c, Mapping)]


def _citation_url(citation: Mapping[str, Any]) -> str:
    url = citation.get("url")
    if isinstance(url, str) and url:
        return url
    return str(citation.get("document_title") or "")
