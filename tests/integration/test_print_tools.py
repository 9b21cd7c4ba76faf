"""Print mode with tools: ``--allowed-tools`` answers the host's approvals (print mode cannot
ask). A stub host is given through the one factory (``tool_host_for``), the replies come from
the demo relay over real sockets."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from config_files import write_config_file

from claude_tui.cli.exit_codes import EXIT_FAILURE, EXIT_OK
from claude_tui.cli.main import build_parser
from claude_tui.cli.print_mode import run_print_mode
from claude_tui.conversation import tool_host_choice
from claude_tui.conversation.tool_loop import DECLINED
from claude_tui.demo import DemoRelay
from claude_tui.sessions.session_store import SessionStore

from .tool_hosts import StubHost


def configure(relay: DemoRelay, api_format: str = "anthropic", **table: Any) -> None:
    profile = {
        "base_url": relay.base_url,
        "auth": "none",
        "model": "claude-demo",
        "max_retries": 0,
        "api_format": api_format,
        **table,
    }
    write_config_file({"relay": profile}, default_profile="relay")


def run(argv: list[str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    args = build_parser().parse_args(["-p", *argv])
    code = run_print_mode(args, stdin=io.StringIO(""), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def hosts(monkeypatch: pytest.MonkeyPatch) -> list[StubHost]:
    """The hosts print mode built (each asking print mode's ``--allowed-tools`` answer)."""
    made: list[StubHost] = []

    def stub_host_for(config: object, *, ask: Any, notice: Any = None) -> StubHost:
        made.append(StubHost(ask=ask))
        return made[-1]

    monkeypatch.setattr(tool_host_choice, "tool_host_for", stub_host_for)
    return made


def saved_results() -> list[dict[str, Any]]:
    latest = SessionStore().latest()
    assert latest is not None
    session = SessionStore().open(latest.id)
    return [b for m in session.messages if m.tool_results for b in m.content]


@pytest.mark.parametrize("api_format", ["anthropic", "openai"])
def test_listed_tools_run_and_others_are_declined_on_stderr(
    demo_relay: DemoRelay, isolated_dirs: Path, hosts: list[StubHost], api_format: str
) -> None:
    configure(demo_relay, api_format)

    code, out, err = run(["--allowed-tools", "files__read", "[demo:tools=2] read and delete"])

    assert code == EXIT_OK
    assert [call.name for call in hosts[0].ran] == ["files__read"]
    assert "claude-tui: declined tool call files__delete (not in --allowed-tools)" in err
    assert "files__read" not in err  # allowed: not noted
    # Both rounds' text on stdout, as one reply.
    assert out.startswith("Let me call files__read, files__delete.\n\nThe tool returned: read demo")
    results = saved_results()
    assert [r.get("is_error", False) for r in results] == [False, True]
    assert results[1]["content"] == DECLINED


def test_all_allows_every_tool(
    demo_relay: DemoRelay, isolated_dirs: Path, hosts: list[StubHost]
) -> None:
    configure(demo_relay)

    code, _out, err = run(["--allowed-tools", "all", "[demo:tools=2] both"])

    assert code == EXIT_OK
    assert [call.name for call in hosts[0].ran] == ["files__read", "files__delete"]
    assert "declined" not in err
    assert "tool files__delete: failed" in err  # a failed call is always said


def test_without_the_flag_every_call_is_declined(
    demo_relay: DemoRelay, isolated_dirs: Path, hosts: list[StubHost]
) -> None:
    configure(demo_relay)

    code, out, err = run(["[demo:tool] read"])

    assert code == EXIT_OK
    assert hosts[0].ran == []
    assert "declined tool call files__read (not in --allowed-tools)" in err
    assert "The user declined this call." in out


def test_names_may_be_given_in_several_flags_and_comma_lists(
    demo_relay: DemoRelay, isolated_dirs: Path, hosts: list[StubHost]
) -> None:
    configure(demo_relay)

    code, _out, err = run(
        [
            "--allowed-tools",
            "x__y, files__read",
            "--allowedTools",
            "files__delete",
            "[demo:tools=2]",
        ]
    )

    assert code == EXIT_OK and "declined" not in err
    assert len(hosts[0].ran) == 2


def test_reaching_max_tool_rounds_fails_with_the_note(
    demo_relay: DemoRelay, isolated_dirs: Path, hosts: list[StubHost]
) -> None:
    configure(demo_relay, max_tool_rounds=1)

    code, _out, err = run(["--allowed-tools", "all", "[demo:tool] [demo:tool_rounds=3] dig"])

    assert code == EXIT_FAILURE
    assert "stopped after 1 tool rounds (max_tool_rounds)" in err


def test_without_mcp_servers_the_flag_is_said_to_do_nothing(
    demo_relay: DemoRelay, isolated_dirs: Path
) -> None:
    configure(demo_relay)

    code, out, err = run(["--allowed-tools", "all", "[demo:tool] hello"])

    assert code == EXIT_OK and out
    assert "--allowed-tools has no effect: no MCP servers are configured" in err
    assert "tools" not in demo_relay.requests[-1].json


def test_the_flag_needs_print_mode(isolated_dirs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from claude_tui.cli.main import main

    with pytest.raises(SystemExit) as stopped:
        main(["--allowed-tools", "all"])

    assert stopped.value.code == 2
    assert "--allowed-tools needs -p/--print" in capsys.readouterr().err
