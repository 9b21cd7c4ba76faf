"""Slash-command parsing and completion (pure, no Textual)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from claude_tui.ui.slash_commands import (
    SLASH_COMMANDS,
    SlashInvocation,
    completions,
    find_command,
    parse_slash,
    prompt_text,
)

MODELS = ("claude-sonnet-4-5", "claude-opus-4-1", "claude-sonnet-4-5", "gpt-4o")


def choices(name: str) -> Sequence[str]:
    """The app's dynamic lists, as the tests imagine them."""
    return {"model": MODELS, "profile": ("work", "relay"), "theme": ("nord", "dracula")}.get(
        name, ()
    )


def test_registry_has_every_command_once() -> None:
    names = [command.name for command in SLASH_COMMANDS]
    assert sorted(names) == sorted(
        [
            "new",
            "close",
            "sessions",
            "profile",
            "profiles",
            "model",
            "thinking",
            "toggle-thinking",
            "thinking-viewer",
            "find",
            "system",
            "retry",
            "continue",
            "edit",
            "copy",
            "export",
            "rename",
            "clear",
            "cost",
            "context",
            "help",
            "quit",
            "theme",
            "stop",
            "attach",
            "paste-image",
            "attachments",
            "compact",
            "log",
            "balance",
            "usage",
        ]
    )
    assert all(command.description for command in SLASH_COMMANDS)
    model = find_command("MODEL")
    assert model is not None
    assert model.usage == "/model [NAME]"  # optional: without it, a picker


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/new", SlashInvocation("new", "")),
        ("  /model   claude-opus-4-1  ", SlashInvocation("model", "claude-opus-4-1")),
        ("/thinking 4096", SlashInvocation("thinking", "4096")),
        (
            "/system Be terse.\nAnswer in French.",
            SlashInvocation("system", "Be terse.\nAnswer in French."),
        ),
        ("/system\nline one\nline two", SlashInvocation("system", "line one\nline two")),
        ("/Help", SlashInvocation("help", "")),
        ("/exit", SlashInvocation("quit", "")),
    ],
)
def test_parse_known_commands(text: str, expected: SlashInvocation) -> None:
    assert parse_slash(text) == expected


@pytest.mark.parametrize(
    "text",
    ["hello", "", "   ", "explain /model", "//model is a command?", "/usr/bin/env python fails"],
)
def test_ordinary_prompts_are_not_commands(text: str) -> None:
    assert parse_slash(text) is None


def test_double_slash_escapes_to_a_prompt_starting_with_slash() -> None:
    assert prompt_text("//etc/hosts is what?") == "/etc/hosts is what?"
    assert prompt_text("plain") == "plain"


def test_unknown_command_suggests_the_closest() -> None:
    invocation = parse_slash("/mdoel claude")
    assert invocation is not None
    assert invocation.unknown
    assert invocation.name == "mdoel"
    assert invocation.argument == "claude"
    assert invocation.suggestion == "model"
    assert invocation.command is None


def test_unknown_command_far_from_everything_has_no_suggestion() -> None:
    invocation = parse_slash("/xyzzy")
    assert invocation is not None and invocation.unknown
    assert invocation.suggestion is None


def test_lone_slash_is_an_unknown_command() -> None:
    invocation = parse_slash("/")
    assert invocation is not None and invocation.unknown and invocation.name == ""


def test_command_name_completion() -> None:
    assert [completion.text for completion in completions("/mo", choices)] == ["/model "]
    result = completions("/mo", choices)[0]
    assert result.label == "/model [NAME]"
    assert result.description


def test_command_without_argument_completes_without_space() -> None:
    assert [completion.text for completion in completions("/ne", choices)] == ["/new"]


def test_slash_alone_lists_every_command() -> None:
    assert len(completions("/", choices)) == len(SLASH_COMMANDS)


def test_dynamic_argument_completion_filters_by_prefix_and_dedupes() -> None:
    result = completions("/model cl", choices)
    assert [completion.text for completion in result] == [
        "/model claude-sonnet-4-5",
        "/model claude-opus-4-1",
    ]
    assert [completion.label for completion in result] == ["claude-sonnet-4-5", "claude-opus-4-1"]


def test_argument_completion_is_case_insensitive() -> None:
    assert [completion.label for completion in completions("/model CLAUDE-O", choices)] == [
        "claude-opus-4-1"
    ]


def test_thinking_offers_fixed_choices() -> None:
    labels = [completion.label for completion in completions("/thinking ", choices)]
    assert labels == ["off", "adaptive", "1024", "4096", "16384"]


def test_argument_choices_only_asked_for_dynamic_commands() -> None:
    asked: list[str] = []

    def recording(name: str) -> Sequence[str]:
        asked.append(name)
        return ()

    completions("/thinking ", recording)
    completions("/profile ", recording)
    completions("/theme d", recording)
    assert asked == ["profile", "theme"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "//mo",
        "/mo\nmore",
        "/zzz",
        "/new ",  # takes no argument
        "/system some text",  # free text: nothing to offer
        "/model claude-opus-4-1",  # already complete
        "/model claude x",  # past the first word
    ],
)
def test_no_completions(text: str) -> None:
    assert completions(text, choices) == []
