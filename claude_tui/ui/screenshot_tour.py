"""Regenerate the SVG screenshots in ``screenshots/`` from the real app on the demo profile.

Run from the repository root::

    python -m claude_tui.ui.screenshot_tour screenshots

It drives the app headless (no terminal needed) in a throwaway config and data folder, so
your own sessions and settings are never read or changed: it sends real prompts to the
built-in demo relay, then saves one SVG per screen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

SIZE = (110, 40)
# Example profiles so the pickers have something to show; the tour never sends to them.
EXAMPLE_CONFIG = """\
[profiles.anthropic]
base_url = "https://api.anthropic.com"
api_key_env = "ANTHROPIC_API_KEY"
model = "claude-sonnet-4-5"
thinking = 4096

[profiles.relay]
base_url = "https://relay.example.com"
auth = "bearer"
api_key_env = "RELAY_KEY"
model = "claude-opus-4-5"
price_multiplier = 0.6

[profiles.openrouter]
base_url = "https://openrouter.ai/api/v1"
api_format = "openai"
api_key_env = "OPENROUTER_API_KEY"
model = "anthropic/claude-sonnet-4.5"
"""
PROMPT = "How do I read a large file line by line in Python?"


async def _wait_idle(app: object, seconds: float = 20.0) -> None:
    """Until the active pane finished its reply."""
    from claude_tui.ui.app import ClaudeTuiApp

    assert isinstance(app, ClaudeTuiApp)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    await asyncio.sleep(0.2)
    while loop.time() < deadline:
        pane = app.active_pane
        if pane is not None and not pane.streaming:
            return
        await asyncio.sleep(0.05)


async def _context_view(
    app: object, pilot: Any, shot: Callable[[str], Awaitable[None]], seconds: float = 10.0
) -> None:
    """/context (F5) with a prompt being typed, once the demo relay has counted it."""
    from claude_tui.ui.app import ClaudeTuiApp
    from claude_tui.ui.screens.context_screen import ContextScreen

    assert isinstance(app, ClaudeTuiApp)
    pane = app.active_pane
    assert pane is not None
    pane.composer.set_text("Now show me how to do the same with a generator")
    await pilot.press("f5")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        screen = app.screen
        if isinstance(screen, ContextScreen) and screen.shown.counted:
            break
        await asyncio.sleep(0.05)
    await shot("11-context-view")
    await pilot.press("escape")
    pane.composer.set_text("")


async def take_screenshots(folder: Path) -> list[Path]:
    """Drive the app through its main screens and save an SVG of each."""
    from claude_tui import paths
    from claude_tui.profiles import load_config
    from claude_tui.ui.app import ClaudeTuiApp

    folder.mkdir(parents=True, exist_ok=True)
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(EXAMPLE_CONFIG, encoding="utf-8")
    saved: list[Path] = []
    app = ClaudeTuiApp(load_config())
    async with app.run_test(size=SIZE) as pilot:

        async def shot(name: str) -> None:
            await pilot.pause(0.3)
            path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
            saved.append(path)

        async def send(text: str) -> None:
            pane = app.active_pane
            assert pane is not None
            pane.composer.set_text(text)
            await pilot.press("enter")
            await _wait_idle(app)

        await shot("01-welcome")
        await send(PROMPT)
        pane = app.active_pane
        assert pane is not None
        pane.view.scroll_home(animate=False)  # the reply's start: folded thinking, then code
        await shot("02-reply-with-code-and-thinking")
        await pilot.press("ctrl+t")
        pane = app.active_pane
        assert pane is not None
        pane.view.scroll_home(animate=False)
        await shot("03-thinking-expanded")
        await pilot.press("ctrl+t")
        await send("And now fail on purpose [demo:status=529]")
        await shot("04-error-card")
        await pilot.press("f1")
        await shot("05-help")
        await pilot.press("escape")
        await pilot.press("ctrl+b")
        await shot("06-sessions-sidebar")
        await pilot.press("escape", "escape")
        steps: list[tuple[str, Callable[[], Awaitable[None] | None]]] = [
            ("07-profile-picker", app.action_pick_profile),
            ("08-profile-manager", app.action_manage_profiles),
        ]
        for name, open_screen in steps:
            result = open_screen()
            if result is not None:
                await result
            await shot(name)
            await pilot.press("escape")
            await pilot.pause(0.2)
        await _context_view(app, pilot, shot)
        dark = app.theme
        app.theme = "claude-light"
        await shot("09-light-theme")
        app.theme = dark
        await _attachment_chips(app, pilot, send)
        await shot("10-attachment-chips")
        await _request_log(app, pilot, shot)
        await _usage_view(app, pilot, shot)
        await _tool_calls(app, pilot, shot)
    return saved


TOOL_INPUT = {"pattern": "asyncio", "path": "claude_tui", "glob": "*.py"}
TOOL_RESULT = (
    "claude_tui/ui/app.py:12: import asyncio\n"
    "claude_tui/wire/anthropic_stream.py:7: import asyncio\n"
    "claude_tui/demo/relay.py:15: import asyncio\n"
    "claude_tui/conversation/conversation.py:11: import asyncio"
)


async def _tool_calls(app: object, pilot: Any, shot: Callable[[str], Awaitable[None]]) -> None:
    """A new tab with a turn of two tool rounds (shown as one reply, a call's block between
    them), then a call of the next turn waiting on the approval card."""
    from claude_tui.chat_message import ChatMessage
    from claude_tui.conversation.tool_host import ToolCall
    from claude_tui.ui.app import ClaudeTuiApp
    from claude_tui.ui.widgets.conversation.tool_approval_card import ToolApprovalCard

    assert isinstance(app, ClaudeTuiApp)
    await pilot.press("ctrl+n")
    await pilot.pause(0.3)
    pane = app.active_pane
    assert pane is not None
    model = pane.conversation.settings.model
    profile = pane.conversation.profile
    first = ChatMessage(
        role="assistant",
        content=[
            {"type": "text", "text": "Let me search the sources."},
            {"type": "tool_use", "id": "toolu_tour_1", "name": "files__grep", "input": TOOL_INPUT},
        ],
        model=model,
        profile=profile.name,
        stop_reason="tool_use",
    )
    results = ChatMessage(
        role="user",
        content=[{"type": "tool_result", "tool_use_id": "toolu_tour_1", "content": TOOL_RESULT}],
    )
    second = ChatMessage(
        role="assistant",
        content=[{"type": "text", "text": "Four modules import asyncio; the relay uses it most."}],
        model=model,
        profile=profile.name,
        stop_reason="end_turn",
    )
    prompt = ChatMessage.user("Which Python files in the project mention asyncio?")
    pane.conversation.session.messages.extend([prompt, first, results, second])
    pane.view.messages_changed()
    await shot("13-tool-call-block")
    call = ToolCall(
        id="toolu_tour_2",
        name="files__read",
        input={"path": "claude_tui/demo/relay.py", "lines": {"from": 1, "to": 40}},
        server="files",
        tool="read",
    )

    async def turn() -> Any:
        await app.ask_tool_approval(call, profile)
        return
        yield

    pane.start_reply(turn())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10.0
    while loop.time() < deadline and not (
        pane.query(ToolApprovalCard) and pane.query_one(ToolApprovalCard).shown
    ):
        await asyncio.sleep(0.05)
    await shot("14-tool-approval-card")
    await pilot.press("escape")


async def _request_log(
    app: object, pilot: Any, shot: Callable[[str], Awaitable[None]], seconds: float = 10.0
) -> None:
    """/log (F8) on the newest request: the reply, the 529 and its retries."""
    from claude_tui.ui.app import ClaudeTuiApp
    from claude_tui.ui.screens.request_log_screen import RequestLogScreen

    assert isinstance(app, ClaudeTuiApp)
    await pilot.press("escape")  # out of the attachment chips, back to the composer
    await pilot.press("f8")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        screen = app.screen
        if isinstance(screen, RequestLogScreen) and screen.shown and screen.table.row_count:
            break
        await asyncio.sleep(0.05)
    await shot("12-request-log")
    await pilot.press("escape")


async def _usage_view(app: object, pilot: Any, shot: Callable[[str], Awaitable[None]]) -> None:
    """/usage (F9) over three weeks of made-up history on the example profiles (imported as
    sessions, as an export would be), beside the tour's own replies on the demo."""
    from claude_tui.ui.app import ClaudeTuiApp
    from claude_tui.ui.screens.usage_screen import UsageScreen

    assert isinstance(app, ClaudeTuiApp)
    _seed_usage_history(app)
    await pilot.press("f9")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10.0
    while not isinstance(app.screen, UsageScreen) and loop.time() < deadline:
        await asyncio.sleep(0.05)
    await shot("usage")
    await pilot.press("escape")


def _seed_usage_history(app: Any) -> None:
    import time

    from claude_tui.chat_message import ChatMessage, Usage
    from claude_tui.sessions.session_settings import SessionSettings

    now = time.time()
    plans = (("anthropic", "claude-sonnet-4-5", 1.0), ("relay", "claude-opus-4-5", 0.6))
    plans += (("openrouter", "anthropic/claude-sonnet-4.5", 0.3),)
    for back in range(21):
        day = now - back * 86_400
        for number, (profile, model, share) in enumerate(plans):
            turns = int((3 + (back * 7 + number * 5) % 9) * share * (2 if back % 6 == 2 else 1))
            messages: list[ChatMessage] = []
            for turn in range(turns):
                prompt = ChatMessage.user(f"Question {turn}")
                prompt.created = day - turn * 60
                reply = ChatMessage(
                    role="assistant",
                    content=[{"type": "text", "text": "An answer."}],
                    model=model,
                    profile=profile,
                    usage=Usage(
                        input_tokens=2_000 + 300 * turn,
                        output_tokens=900 + 211 * ((turn + back) % 7),
                        cache_read_input_tokens=18_000 * turn,
                        cache_creation_input_tokens=4_000 if turn == 0 else 1_200,
                    ),
                    reply_to=prompt.id,
                )
                reply.created = prompt.created + 20
                messages += [prompt, reply]
            if messages:
                app.store.import_session(
                    messages=messages,
                    settings=SessionSettings(profile=profile, model=model),
                    title=f"{profile} work, {back} days ago",
                    created=day - 3_600,
                )


async def _attachment_chips(
    app: object, pilot: object, send: Callable[[str], Awaitable[None]]
) -> None:
    """A new tab where a prompt went with a screenshot and a spec, and two more files wait
    as chips above the composer."""
    from textual.pilot import Pilot

    from claude_tui.ui.app import ClaudeTuiApp

    assert isinstance(app, ClaudeTuiApp) and isinstance(pilot, Pilot)
    home = Path(os.environ["HOME"])
    (home / "login-screen.png").write_bytes(_grey_png(1440, 900))
    (home / "spec.pdf").write_bytes(_three_page_pdf())
    (home / "auth.py").write_text("def login(user: str) -> bool:\n    ...\n" * 40)
    (home / "error-dialog.png").write_bytes(_grey_png(800, 600))
    await pilot.press("ctrl+n")
    await pilot.pause(0.3)
    await send("/attach ~/login-screen.png ~/spec.pdf")
    await _wait_chips(app, 2)
    await send("Does the login screen match the spec? List what differs.")
    await send("/attach ~/auth.py ~/error-dialog.png")
    await _wait_chips(app, 2)
    pane = app.active_pane
    assert pane is not None
    pane.composer.set_text("And this dialog: which branch of login() shows it?")
    pane.view.scroll_home(animate=False)  # the sent prompt, its attachments listed


async def _wait_chips(app: object, count: int, seconds: float = 10.0) -> None:
    from claude_tui.ui.app import ClaudeTuiApp

    assert isinstance(app, ClaudeTuiApp)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        pane = app.active_pane
        if pane is not None and len(pane.composer.attachments) >= count:
            return
        await asyncio.sleep(0.05)


def _grey_png(width: int, height: int) -> bytes:
    """A real PNG of plain grey (small on disk, its size in the header)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = (b"\x00" + b"\x90" * 3 * width) * height
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _three_page_pdf() -> bytes:
    pages = " ".join(f"{3 + n} 0 R" for n in range(3))
    body = [
        "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
        f"2 0 obj << /Type /Pages /Kids [{pages}] /Count 3 >> endobj",
        *(f"{3 + n} 0 obj << /Type /Page /Parent 2 0 R >> endobj" for n in range(3)),
    ]
    return ("%PDF-1.4\n" + "\n".join(body) + "\n%%EOF\n").encode("ascii")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: the folder to write into (default ``screenshots``)."""
    parser = argparse.ArgumentParser(prog="python -m claude_tui.ui.screenshot_tour")
    parser.add_argument("folder", nargs="?", default="screenshots", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="claude-tui-tour-") as home:
        # A throwaway home laid out as a real one, so paths show as ~/.config/claude-tui/...
        os.environ["HOME"] = home
        os.environ["CLAUDE_TUI_CONFIG_DIR"] = str(Path(home) / ".config" / "claude-tui")
        os.environ["CLAUDE_TUI_DATA_DIR"] = str(Path(home) / ".local" / "share" / "claude-tui")
        saved = asyncio.run(take_screenshots(args.folder))
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
