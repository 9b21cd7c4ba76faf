"""The app's action mixins are typed against protocols (AppHost, PaneHost), not the concrete
app or pane: they import without the app module and run against a stand-in."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.ui.widgets.conversation.pane_commands import PaneCommands


@pytest.mark.parametrize(
    "module",
    [
        "claude_tui.ui.session_actions",
        "claude_tui.ui.picker_actions",
        "claude_tui.ui.widgets.conversation.pane_commands",
        "claude_tui.ui.command_dispatch",
    ],
)
def test_an_action_module_imports_without_the_app(module: str) -> None:
    code = f"import sys, {module}; print('claude_tui.ui.app' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


class FakeConversation:
    def __init__(self) -> None:
        self.settings = SessionSettings(profile="p", model="m", max_tokens=8192)
        self.thinking: list[object] = []

    def set_thinking(self, value: object) -> None:
        self.thinking.append(value)


class FakePane:
    """Just what /thinking needs of a pane."""

    def __init__(self) -> None:
        self.conversation = FakeConversation()
        self.notes: list[str] = []
        self.changes = 0

    def notify(self, message: str, **_options: Any) -> None:
        self.notes.append(message)

    def state_changed(self) -> None:
        self.changes += 1


def test_pane_commands_run_against_a_stand_in_pane() -> None:
    pane: Any = FakePane()
    PaneCommands.command_thinking(pane, "2048")
    PaneCommands.command_thinking(pane, "lots")
    PaneCommands.command_thinking(pane, "9000")  # not below max_tokens
    assert pane.conversation.thinking == [2048]
    assert pane.changes == 1
    assert pane.notes[0] == "Thinking: 2048."
    assert pane.notes[1].startswith("Usage: /thinking")
    assert pane.notes[2] == "The budget must be below max_tokens (8192)."
