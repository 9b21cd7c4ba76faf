"""Cache usage from both stream parsers, kept per message: writes, reads, the 1-hour share,
and OpenAI's cached tokens taken out of prompt_tokens."""

from __future__ import annotations

import json
from typing import Any

from claude_tui.chat_message import ChatMessage, Usage
from claude_tui.wire.anthropic_stream import AnthropicStreamParser
from claude_tui.wire.openai_stream import OpenAIStreamParser


def anthropic_start(usage: dict[str, Any]) -> str:
    message = {"id": "msg_1", "model": "claude-demo", "usage": usage}
    return json.dumps({"type": "message_start", "message": message})


def test_anthropic_parser_keeps_writes_reads_and_the_one_hour_share() -> None:
    parser = AnthropicStreamParser()
    parser.feed(
        "message_start",
        anthropic_start(
            {
                "input_tokens": 12,
                "cache_creation_input_tokens": 3000,
                "cache_read_input_tokens": 9000,
                "cache_creation": {
                    "ephemeral_5m_input_tokens": 1000,
                    "ephemeral_1h_input_tokens": 2000,
                },
                "output_tokens": 1,
            }
        ),
    )
    assert parser.usage == Usage(
        input_tokens=12,
        output_tokens=1,
        cache_creation_input_tokens=3000,
        cache_read_input_tokens=9000,
        cache_creation_1h_input_tokens=2000,
    )


def test_anthropic_parser_without_the_split_counts_every_write_as_five_minutes() -> None:
    parser = AnthropicStreamParser()
    parser.feed(
        "message_start", anthropic_start({"input_tokens": 5, "cache_creation_input_tokens": 40})
    )
    assert parser.usage.cache_creation_input_tokens == 40
    assert parser.usage.cache_creation_1h_input_tokens == 0


def openai_usage(details: dict[str, Any]) -> str:
    usage = {"prompt_tokens": 1000, "completion_tokens": 50, "prompt_tokens_details": details}
    return json.dumps({"id": "chatcmpl-1", "choices": [], "usage": usage})


def test_openai_cached_tokens_are_reads_taken_out_of_prompt_tokens() -> None:
    parser = OpenAIStreamParser()
    parser.feed("message", openai_usage({"cached_tokens": 800}))
    assert parser.usage == Usage(input_tokens=200, output_tokens=50, cache_read_input_tokens=800)


def test_openrouter_cache_write_tokens_are_writes() -> None:
    parser = OpenAIStreamParser()
    parser.feed("message", openai_usage({"cached_tokens": 600, "cache_write_tokens": 300}))
    assert parser.usage == Usage(
        input_tokens=100,
        output_tokens=50,
        cache_read_input_tokens=600,
        cache_creation_input_tokens=300,
    )
    assert parser.usage.total_input_tokens == 1000


def test_openai_details_that_are_not_counts_are_ignored() -> None:
    parser = OpenAIStreamParser()
    parser.feed("message", openai_usage({"cached_tokens": None, "cache_write_tokens": True}))
    assert parser.usage == Usage(input_tokens=1000, output_tokens=50)


def test_cache_usage_survives_the_session_file_and_sums() -> None:
    usage = Usage(
        input_tokens=1,
        output_tokens=2,
        cache_creation_input_tokens=30,
        cache_read_input_tokens=40,
        cache_creation_1h_input_tokens=30,
    )
    message = ChatMessage(role="assistant", content=[], usage=usage)
    assert ChatMessage.from_json(json.loads(json.dumps(message.to_json()))).usage == usage
    assert "cache_creation_1h_input_tokens" not in Usage(input_tokens=1).to_json()
    assert (usage + usage).cache_creation_1h_input_tokens == 60
    assert (usage + usage).cache_read_input_tokens == 80
