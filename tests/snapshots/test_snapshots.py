"""What the window looks like: SVG snapshots of fixed, saved sessions (nothing streams).

Update the pictures with ``pytest tests/snapshots --snapshot-update`` after a deliberate
change, and look at the report (or the SVGs) before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app_driving import pane_of, wait_until
from textual.pilot import Pilot
from ui.tools.tool_driving import GREP, AskingTurn

from claude_tui.ui.widgets.conversation.tool_approval_card import ToolApprovalCard

from .fixed_sessions import (
    SIZE,
    save_error_session,
    save_reply_session,
    save_tool_session,
    snapshot_app,
    steady_cursor,
    write_config,
)

SnapCompare = Callable[..., bool]


def test_empty_window(snap_compare: SnapCompare) -> None:
    """A new session: the welcome hint, the empty composer, the status bar."""
    app = snapshot_app(write_config())
    assert snap_compare(app, terminal_size=SIZE, run_before=steady_cursor)


def test_reply_with_code_and_collapsed_thinking(snap_compare: SnapCompare) -> None:
    """A finished reply: thinking folded to its summary, a highlighted Python block, stats."""
    config = write_config()
    session = save_reply_session()
    app = snapshot_app(config, resume=session.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady_cursor)


def test_reply_with_thinking_expanded(snap_compare: SnapCompare) -> None:
    """The same reply after Ctrl+T: the thinking text shown above the answer."""
    config = write_config()
    session = save_reply_session()
    app = snapshot_app(config, resume=session.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady_cursor, press=["ctrl+t"])


def test_error_card(snap_compare: SnapCompare) -> None:
    """A failed reply: the error card with the message, request id and actions."""
    config = write_config()
    session = save_error_session()
    app = snapshot_app(config, resume=session.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady_cursor)


def test_light_theme(snap_compare: SnapCompare) -> None:
    """The finished reply in the ``claude-light`` theme, chosen in config.toml."""
    config = write_config(theme="claude-light")
    session = save_reply_session()
    app = snapshot_app(config, resume=session.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady_cursor)


def test_tool_call_block(snap_compare: SnapCompare) -> None:
    """A resumed turn of two rounds read as one reply: the call's block (tool, server,
    arguments, done, the result's first lines) between the two rounds' text."""
    config = write_config()
    session = save_tool_session()
    app = snapshot_app(config, resume=session.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady_cursor)


async def _ask_for_grep(pilot: Pilot[Any]) -> None:
    """A call asks for approval (as the tool host does) and the card shows it."""
    pane = pane_of(pilot)
    AskingTurn([GREP]).start(pane)

    def asking() -> bool:
        cards = pane.query(ToolApprovalCard)
        return bool(cards) and cards.first().shown

    await wait_until(pilot, asking)
    await steady_cursor(pilot)


def test_tool_approval_card(snap_compare: SnapCompare) -> None:
    """The approval card above the composer: tool, server, pretty arguments and the keys."""
    config = write_config()
    session = save_tool_session()
    app = snapshot_app(config, resume=session.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=_ask_for_grep)
