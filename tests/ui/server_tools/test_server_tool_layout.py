"""Claude's server tools in the view: a search's results as titles and URLs under the reply,
a fetch's page, code's output, and citations as numbered references after the cited text
with a numbered "Sources" list."""

from __future__ import annotations

from typing import Any

from textual.theme import BUILTIN_THEMES

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.ui.rendering import DARK_THEME, BlockRenderer
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
from claude_tui.ui.widgets.conversation.message_layout import LayoutContext, MessageLayout
from claude_tui.ui.widgets.conversation.server_tool_block import result_lines
from claude_tui.ui.widgets.conversation.tool_rounds import ToolRounds

STYLES = LayoutStyles.from_theme(BUILTIN_THEMES["textual-dark"])
RENDERER = BlockRenderer(DARK_THEME)
A = {"type": "web_search_result", "title": "Page A", "url": "https://a.example/one"}
B = {"type": "web_search_result", "title": "Page B", "url": "https://b.example/two"}


def context() -> LayoutContext:
    return LayoutContext(
        width=100,
        renderer=RENDERER,
        styles=STYLES,
        expand_all_thinking=False,
        now=100.0,
        cost_of=lambda message: None,
        status_notes={},
        tools=ToolRounds(),
    )


def cite(source: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "web_search_result_location",
        "url": source["url"],
        "title": source["title"],
        "cited_text": "…",
    }


def searched_reply(status: MessageStatus = MessageStatus.COMPLETE) -> ChatMessage:
    content = [
        {"type": "text", "text": "Let me look."},
        {"type": "server_tool_use", "id": "srv_1", "name": "web_search", "input": {"query": "q"}},
        {"type": "web_search_tool_result", "tool_use_id": "srv_1", "content": [A, B]},
        {"type": "text", "text": "A says one thing", "citations": [cite(A)]},
        {"type": "text", "text": " and B another", "citations": [cite(B), cite(A)]},
        {"type": "text", "text": "."},
    ]
    reply = ChatMessage(role="assistant", content=content, model="claude-demo")
    reply.status = status
    return reply


def drawn(message: ChatMessage) -> list[str]:
    return [line.text.rstrip() for line in MessageLayout(message).build(context())]


def test_a_search_shows_the_call_and_its_results_as_titles_and_urls() -> None:
    lines = drawn(searched_reply())
    call = next(line for line in lines if "⚙ web_search" in line)
    assert "Anthropic" in call and "q" in call and "done" in call
    assert any("│ Page A — https://a.example/one" in line for line in lines)
    assert any("│ Page B — https://b.example/two" in line for line in lines)


def test_citations_are_numbered_after_the_text_and_listed_as_sources() -> None:
    lines = drawn(searched_reply())
    text = "\n".join(lines)
    assert "A says one thing [1]" in text
    assert "Let me look.A says" not in text  # the text after the search: a paragraph
    assert "and B another [2][1]" in text
    sources = lines.index("Sources")
    assert lines[sources + 1] == "[1] Page A — https://a.example/one"
    assert lines[sources + 2] == "[2] Page B — https://b.example/two"
    assert sources > next(i for i, line in enumerate(lines) if "[2][1]" in line)


def test_while_streaming_the_text_has_no_numbers_yet_but_the_sources_grow() -> None:
    lines = drawn(searched_reply(MessageStatus.STREAMING))
    assert not any("[1]" in line and "says" in line for line in lines)
    assert "Sources" in lines
    assert any("searching" not in line and "⚙ web_search" in line for line in lines)


def test_a_server_call_is_not_drawn_as_a_client_tool_call() -> None:
    lines = drawn(searched_reply())
    assert not any("not run" in line for line in lines)
    assert sum("⚙ web_search" in line for line in lines) == 1


def test_fetch_code_and_errors_read_as_one_line_each() -> None:
    fetched = {
        "type": "web_fetch_tool_result",
        "tool_use_id": "srv_2",
        "content": {
            "type": "web_fetch_result",
            "url": "https://c.example/page",
            "content": {"type": "document", "title": "Page C"},
        },
    }
    assert result_lines(fetched) == [("Page C — https://c.example/page", False)]
    ran = {
        "type": "bash_code_execution_tool_result",
        "tool_use_id": "srv_3",
        "content": {
            "type": "bash_code_execution_result",
            "stdout": "4\n",
            "stderr": "warning: x\n",
            "return_code": 1,
        },
    }
    assert result_lines(ran) == [("4", False), ("warning: x", True), ("exit code 1", True)]
    refused = {
        "type": "web_search_tool_result",
        "tool_use_id": "srv_4",
        "content": {"type": "web_search_tool_result_error", "error_code": "max_uses_exceeded"},
    }
    assert result_lines(refused) == [("failed: max_uses_exceeded", True)]


def test_a_paused_reply_says_how_to_go_on() -> None:
    from claude_tui.wire.accumulator import PAUSED_TURN

    reply = ChatMessage(
        role="assistant",
        content=[
            {"type": "text", "text": "Searching."},
            {"type": "server_tool_use", "id": "srv_5", "name": "web_search", "input": {}},
        ],
        model="claude-demo",
    )
    reply.status = MessageStatus.COMPLETE
    reply.stop_reason = "pause_turn"
    reply.error = PAUSED_TURN
    lines = drawn(reply)
    assert any("no result" in line for line in lines)
    assert any("Paused by the server" in line for line in lines)
