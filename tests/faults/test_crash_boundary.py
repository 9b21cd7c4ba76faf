"""A bug of ours never prints a key, and the app keeps running where it can (issue 8, item 1).

Textual's crash screen shows every frame's locals, ``headers`` among them; these tests raise a
bug deep in the wire layer, while the request headers hold the key, and check what the user
sees and what is written.
"""

from __future__ import annotations

import stat
from typing import Any

import pytest
import tomli_w
from app_driving import (
    SHORT,
    pane_of,
    relay_table,
    run,
    screen_text,
    send,
    wait_until,
    wait_until_shown,
)

from claude_tui import crash_report, paths
from claude_tui.crash_report import bug_summary, format_report, scrub
from claude_tui.demo import DemoRelay
from claude_tui.profiles import load_config
from claude_tui.ui.app import ClaudeTuiApp

KEY = "sk-ant-api03-THISISTHESECRETKEYVALUE0123456789"


def _config_with_key(base_url: str) -> Any:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    table = relay_table(base_url, auth="bearer", api_key=KEY, thinking="off")
    path.write_text(tomli_w.dumps({"profiles": {"relay": table}}), encoding="utf-8")
    path.chmod(0o600)
    return load_config()


def _reports() -> list[str]:
    folder = crash_report.reports_dir()
    return [p.read_text() for p in sorted(folder.glob("crash-*.txt"))] if folder.exists() else []


async def test_a_bug_under_the_request_shows_a_card_not_the_key_and_the_app_goes_on(
    demo_relay: DemoRelay, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claude_tui.wire import anthropic_format

    real_body = anthropic_format.anthropic_body

    def broken_body(request: Any) -> Any:
        headers = {"authorization": f"Bearer {KEY}"}  # a local, as in the real crash
        raise RuntimeError(f"cannot encode header {headers!r}")

    monkeypatch.setattr(anthropic_format, "anthropic_body", broken_body)
    app = ClaudeTuiApp(_config_with_key(demo_relay.base_url), profile_name="relay")
    async with run(app) as pilot:
        await send(pilot, "hello")
        await wait_until_shown(pilot, "claude-tui hit a bug")
        shown = await screen_text(pilot)
        assert "RuntimeError" in shown
        assert KEY not in shown and KEY[-12:] not in shown
        assert pane_of(pilot).alert.shown
        [report] = _reports()
        assert "RuntimeError" in report and "Traceback" in report
        assert KEY not in report and KEY[-12:] not in report
        report_file = next(crash_report.reports_dir().glob("crash-*.txt"))
        assert stat.S_IMODE(report_file.stat().st_mode) == 0o600
        # The app is still alive: the next prompt, with the bug gone, gets its reply.
        monkeypatch.setattr(anthropic_format, "anthropic_body", real_body)
        await send(pilot, SHORT)
        pane = pane_of(pilot)
        await wait_until(pilot, lambda: pane.conversation.session.messages[-1].text != "")
        assert not pane.alert.shown  # the next send clears the card


async def test_an_uncaught_error_exits_with_a_scrubbed_line_and_no_locals(
    demo_relay: DemoRelay, capsys: pytest.CaptureFixture[str]
) -> None:
    app = ClaudeTuiApp(_config_with_key(demo_relay.base_url), profile_name="relay")

    def crash() -> None:
        headers = {"x-api-key": KEY}  # noqa: F841  # what Textual's screen would print
        raise ValueError(f"boom with {KEY}")

    with pytest.raises(ValueError):
        async with run(app) as pilot:
            app.call_later(crash)
            await pilot.pause(0.2)
    printed = capsys.readouterr()
    everything = printed.out + printed.err + "".join(str(r) for r in app._exit_renderables)
    assert KEY not in everything
    assert "headers" not in everything  # no frame locals
    assert app.return_code == 1
    [report] = _reports()
    assert "ValueError" in report and KEY not in report


def test_scrub_removes_known_keys_and_credential_shapes() -> None:
    text = (
        f"x-api-key: {KEY}\n{{'authorization': 'Bearer abc.def-123456'}}\n"
        "Illegal header value b'Bearer tok_0123456789'\nkey sk-or-v1-abcdefabcdef0123 here\n"
        "max_tokens = 5"
    )
    cleaned = scrub(text, [KEY])
    assert KEY not in cleaned
    assert "abc.def-123456" not in cleaned
    assert "tok_0123456789" not in cleaned
    assert "sk-or-v1-abcdefabcdef0123" not in cleaned
    assert "max_tokens = 5" in cleaned  # ordinary text is left alone


def test_a_summary_names_the_type_and_the_place_in_claude_tui() -> None:
    try:
        scrub(None, [])  # type: ignore[arg-type]  # a real TypeError raised in claude_tui
    except Exception as error:
        summary = bug_summary(error)
        report = format_report(error)
    assert summary.startswith("TypeError in claude_tui/")
    assert "line " in summary
    assert "Traceback (most recent call last)" in report


def test_a_report_that_cannot_be_written_is_not_a_second_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(crash_report, "write_atomic", refuse)
    text = crash_report.describe_crash(RuntimeError("x"))
    assert "No report could be written" in text
