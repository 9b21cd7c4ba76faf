"""``claude-tui`` without a subcommand: how the command line builds the app, and what the
launch leaves for later.

The launch budget (ready composer within 1.5x a minimal Textual app) is measured by
``tests/perf/bench_ui.py``; these tests keep the work it relies on deferred.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from app_driving import pane_of, run

from claude_tui.profiles import load_config
from claude_tui.ui.gc_tuning import YOUNG_THRESHOLD
from claude_tui.ui.launch import MAX_FPS, build_app

# Loaded on first use or in the warm-up thread after the first frame, never before it.
DEFERRED_MODULES = (
    "httpx",
    "httpx_sse",
    "claude_tui.wire.chat_client",
    "markdown_it",
    "pygments",
    "claude_tui.ui.widgets.sessions.session_sidebar",
    "claude_tui.ui.screens.help_screen",
    "claude_tui.ui.screens.confirm_screen",
    "claude_tui.ui.screens.thinking_screen",
    "claude_tui.sessions.transfer",
    "claude_tui.ui.slash_commands",
    "claude_tui.ui.widgets.slash_suggestions",
    "importlib.resources",
    "tomlkit",  # only config writes need it
    "claude_tui.rate_limits",  # only profiles with rpm or tpm need it
    "claude_tui.balance",  # the relay balance: read after the first reply
    "claude_tui.mcp",  # MCP servers: after the first frame, and only when configured
    "claude_tui.ui.screens.tools_screen",
    "claude_tui.ui.widgets.conversation.tool_call_block",  # drawn with the first tool call
    "claude_tui.ui.widgets.conversation.server_tool_block",  # with the first server tool call
    "claude_tui.ui.widgets.conversation.tool_approval_card",  # the first call asked
    "claude_tui.ui.widgets.conversation.tool_approval",
)


@pytest.fixture
def gc_threshold() -> Iterator[None]:
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


async def test_build_app_applies_the_command_line_choices(
    gc_threshold: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    gc.set_threshold(700, 10, 10)
    monkeypatch.delenv("TEXTUAL_FPS", raising=False)
    app = build_app(
        load_config(),
        profile_name="demo",
        model="claude-demo-large",
        continue_latest=False,
        resume=None,
        system="Answer in French.",
    )
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD  # the UI's imports collect rarely
    assert os.environ["TEXTUAL_FPS"] == str(MAX_FPS)  # read when Textual is imported
    async with run(app) as pilot:
        conversation = pane_of(pilot).conversation
        assert conversation.profile.name == "demo"
        assert conversation.settings.model == "claude-demo-large"
        assert conversation.settings.system == "Answer in French."


def test_a_frame_rate_the_user_chose_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_FPS", "30")
    build_app(
        load_config(),
        profile_name=None,
        model=None,
        continue_latest=False,
        resume=None,
        system=None,
    )
    assert os.environ["TEXTUAL_FPS"] == "30"


def test_building_the_app_leaves_the_network_and_dialogs_for_later() -> None:
    script = (
        "import json, sys\n"
        "from claude_tui.profiles import load_config\n"
        "from claude_tui.ui.launch import MAX_FPS, build_app\n"
        "build_app(load_config(), profile_name=None, model=None, continue_latest=False,\n"
        "          resume=None, system=None)\n"
        f"print(json.dumps([m for m in {DEFERRED_MODULES!r} if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == []
