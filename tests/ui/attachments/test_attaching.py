"""Each way of attaching, driven like a user drives it, against the demo relay: the chip it
makes, what the request carried, the transcript's line, and the chips again on resume."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from app_driving import (
    pane_of,
    relay_table,
    reply_requests,
    run,
    screen_text,
    send,
    submit,
    tap,
    wait_until,
    wait_until_shown,
    write_config,
)
from attachments import sample_files
from textual import events
from textual.pilot import Pilot

from claude_tui.demo import DemoRelay
from claude_tui.profiles import Config
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.widgets.composer_attachments import AttachmentChip

PROMPT = "What is this? [demo:long=1]"


@pytest.fixture
def config(demo_relay: DemoRelay) -> Config:
    return write_config({"relay": relay_table(demo_relay.base_url)})


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder the app runs in, holding a few files to attach."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "shot.png").write_bytes(sample_files.png(1000, 750))
    (folder / "notes.md").write_text("# Notes\n\nship it\n", encoding="utf-8")
    (folder / "bundle.zip").write_bytes(b"PK\x03\x04not really")
    monkeypatch.chdir(folder)
    return folder


def _app(config: Config, **options: Any) -> ClaudeTuiApp:
    return ClaudeTuiApp(config, profile_name="relay", **options)


def _chips(pilot: Pilot[Any]) -> list[str]:
    return [str(block["name"]) for block in pane_of(pilot).composer.attachments]


def _first_user_content(relay: DemoRelay) -> list[dict[str, Any]]:
    content: list[dict[str, Any]] = reply_requests(relay)[-1].json["messages"][0]["content"]
    return content


async def test_attach_command_makes_a_chip_that_goes_with_the_next_message_and_resumes(
    config: Config, demo_relay: DemoRelay, workdir: Path
) -> None:
    async with run(_app(config)) as pilot:
        await submit(pilot, "/attach shot.png")
        await wait_until(pilot, lambda: _chips(pilot) == ["shot.png"])
        await wait_until_shown(pilot, "📎 shot.png · image · ")
        assert "~1.0k tokens" in await screen_text(pilot)
        await send(pilot, PROMPT)
        content = _first_user_content(demo_relay)
        assert [block["type"] for block in content] == ["image", "text"]
        assert content[0]["source"]["media_type"] == "image/png"
        assert _chips(pilot) == []  # sent: the chips are gone from above the composer
        session_id = pane_of(pilot).conversation.session.id
        assert "📎 shot.png · image" in pane_of(pilot).view.visible_text()
    saved = SessionStore().open(session_id).messages[0]
    assert [block["name"] for block in saved.attachments] == ["shot.png"]
    async with run(_app(config, resume=session_id)) as pilot:
        await wait_until(pilot, lambda: "📎 shot.png · image" in pane_of(pilot).view.visible_text())


async def test_attach_completes_paths_with_tab(config: Config, workdir: Path) -> None:
    async with run(_app(config)) as pilot:
        composer = pane_of(pilot).composer.composer
        composer.insert("/attach sh")
        await pilot.pause()
        await tap(pilot, "tab")
        await wait_until(pilot, lambda: composer.text == "/attach shot.png")


async def test_a_refused_file_is_named_with_its_type_and_makes_no_chip(
    config: Config, demo_relay: DemoRelay, workdir: Path
) -> None:
    async with run(_app(config)) as pilot:
        await submit(pilot, "/attach bundle.zip")
        await wait_until_shown(pilot, "bundle.zip is a ZIP archive")
        assert _chips(pilot) == []
        assert demo_relay.requests == []


async def test_an_at_mention_completes_stays_in_the_text_and_sends_the_file(
    config: Config, demo_relay: DemoRelay, workdir: Path
) -> None:
    async with run(_app(config)) as pilot:
        composer = pane_of(pilot).composer.composer
        composer.insert("Summarise @no")
        await pilot.pause()
        await tap(pilot, "tab")
        await wait_until(pilot, lambda: composer.text == "Summarise @notes.md")
        composer.insert(" [demo:long=1]")
        await tap(pilot, "enter")
        await wait_until(pilot, lambda: bool(reply_requests(demo_relay)))
        await wait_until(pilot, lambda: not pane_of(pilot).streaming)
        content = _first_user_content(demo_relay)
        assert content[0] == {
            "type": "text",
            "text": '<file name="notes.md">\n# Notes\n\nship it\n\n</file>',
        }
        assert content[1] == {
            "type": "text",
            "text": "Summarise @notes.md [demo:long=1]",
            "cache_control": {"type": "ephemeral"},  # prompt caching's newest-turn breakpoint
        }


async def test_a_pasted_file_path_is_offered_and_tab_attaches_it(
    config: Config, workdir: Path
) -> None:
    async with run(_app(config)) as pilot:
        composer = pane_of(pilot).composer.composer
        composer.insert("see ")
        composer.focus()
        await pilot.pause()
        dropped = f"'{workdir / 'shot.png'}' '{workdir / 'notes.md'}'"
        pilot.app.post_message(events.Paste(dropped))
        await wait_until_shown(pilot, "You pasted file paths (shot.png, notes.md)")
        await tap(pilot, "tab")
        await wait_until(pilot, lambda: _chips(pilot) == ["shot.png", "notes.md"])
        assert composer.text == "see "  # the paths left the text
        assert "You pasted" not in await screen_text(pilot)


async def test_typing_on_after_a_pasted_path_keeps_it_as_text(
    config: Config, workdir: Path
) -> None:
    async with run(_app(config)) as pilot:
        composer = pane_of(pilot).composer.composer
        composer.focus()
        await pilot.pause()
        pilot.app.post_message(events.Paste(str(workdir / "shot.png")))
        await wait_until_shown(pilot, "You pasted a file path (shot.png)")
        await tap(pilot, "x")
        await wait_until(pilot, lambda: composer.text.endswith("shot.pngx"))
        assert "You pasted" not in await screen_text(pilot)
        assert _chips(pilot) == []


def _fake_clipboard_tool(folder: Path, image: Path) -> None:
    """A ``wl-paste`` that offers a PNG, put first on PATH."""
    tool = folder / "wl-paste"
    tool.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--list-types" ]; then printf "text/plain\\nimage/png\\n"; exit 0; fi\n'
        f"exec /bin/cat '{image}'\n",
        encoding="utf-8",
    )
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)


async def test_ctrl_v_attaches_the_clipboard_image(
    config: Config, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    _fake_clipboard_tool(tools, workdir / "shot.png")
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ.get('PATH', '')}")
    async with run(_app(config)) as pilot:
        pane_of(pilot).focus_composer()
        await pilot.pause()
        await tap(pilot, "ctrl+v")
        await wait_until(pilot, lambda: _chips(pilot) == ["clipboard.png"])


async def test_ctrl_v_without_a_clipboard_tool_says_what_to_install(
    config: Config, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    async with run(_app(config)) as pilot:
        pane_of(pilot).focus_composer()
        await pilot.pause()
        await tap(pilot, "ctrl+v")
        await wait_until_shown(pilot, "No clipboard tool was found")
        assert _chips(pilot) == []


async def test_chips_are_removed_from_the_keyboard(config: Config, workdir: Path) -> None:
    async with run(_app(config)) as pilot:
        await submit(pilot, "/attach shot.png notes.md")
        await wait_until(pilot, lambda: _chips(pilot) == ["shot.png", "notes.md"])
        await tap(pilot, "alt+a")
        await wait_until(pilot, lambda: isinstance(pilot.app.focused, AttachmentChip))
        await tap(pilot, "right", "delete")
        await wait_until(pilot, lambda: _chips(pilot) == ["shot.png"])
        await tap(pilot, "backspace")
        await wait_until(pilot, lambda: _chips(pilot) == [])
        await wait_until(pilot, lambda: pilot.app.focused is pane_of(pilot).composer.composer)


async def test_a_pdf_is_refused_on_an_openai_profile_before_it_is_attached(
    demo_relay: DemoRelay, workdir: Path
) -> None:
    (workdir / "spec.pdf").write_bytes(sample_files.pdf(1))
    config = write_config(
        {"gpt": relay_table(demo_relay.base_url + "/v1", api_format="openai", thinking="off")}
    )
    async with run(ClaudeTuiApp(config, profile_name="gpt")) as pilot:
        await submit(pilot, "/attach spec.pdf")
        await wait_until_shown(pilot, "spec.pdf is a PDF")
        assert _chips(pilot) == []


async def test_typing_while_a_chip_has_the_focus_lands_in_the_composer(
    config: Config, workdir: Path
) -> None:
    async with run(_app(config)) as pilot:
        await submit(pilot, "/attach shot.png")
        await wait_until(pilot, lambda: _chips(pilot) == ["shot.png"])
        await tap(pilot, "alt+a")
        await wait_until(pilot, lambda: isinstance(pilot.app.focused, AttachmentChip))
        pilot.app.post_message(events.Key("h", "h"))
        pilot.app.post_message(events.Key("i", "i"))
        composer = pane_of(pilot).composer.composer
        await wait_until(pilot, lambda: composer.text == "hi")
        assert pilot.app.focused is composer
        assert _chips(pilot) == ["shot.png"]


async def test_editing_a_prompt_brings_its_attachments_back_as_chips(
    config: Config, demo_relay: DemoRelay, workdir: Path
) -> None:
    async with run(_app(config)) as pilot:
        await submit(pilot, "/attach notes.md")
        await wait_until(pilot, lambda: _chips(pilot) == ["notes.md"])
        await send(pilot, PROMPT)
        await submit(pilot, "/edit")
        await wait_until(pilot, lambda: _chips(pilot) == ["notes.md"])
        composer = pane_of(pilot).composer.composer
        assert composer.text == PROMPT


async def test_attachments_can_go_without_a_word(
    config: Config, demo_relay: DemoRelay, workdir: Path
) -> None:
    async with run(_app(config)) as pilot:
        await submit(pilot, "/attach shot.png")
        await wait_until(pilot, lambda: _chips(pilot) == ["shot.png"])
        await tap(pilot, "enter")
        await wait_until(pilot, lambda: bool(reply_requests(demo_relay)))
        await wait_until(pilot, lambda: not pane_of(pilot).streaming)
        assert [block["type"] for block in _first_user_content(demo_relay)] == ["image"]
        await tap(pilot, "enter")  # nothing waits now: an empty Enter sends nothing
        await pilot.pause(0.2)
        assert len(reply_requests(demo_relay)) == 1
