"""``claude-tui usage`` in-process: the table, its flags, and the arguments it refuses."""

from __future__ import annotations

import json

import pytest
from config_files import write_config

from claude_tui.cli.main import main
from claude_tui.sessions.session_store import SessionStore

from .usage_sessions import add_reply, new_session, usage


def _seed() -> None:
    table = {"base_url": "http://127.0.0.1:9", "api_key": "sk-test", "model": "claude-demo"}
    write_config({"relay": {**table, "alert_tokens": 1000, "alert_daily_usd": 0.5}})
    session = new_session(SessionStore())
    add_reply(session, usage(input=2000, output=100_000))  # $1.506, 102k tokens


def test_the_table_has_a_row_per_day_a_bar_and_the_flags(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _seed()
    assert main(["usage", "--days", "3"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Usage ") and lines[0].endswith("(3 days), by day")
    day_rows = [line for line in lines if line[:4].isdigit() and line[4] == "-"]
    assert len(day_rows) == 3
    assert "$1.51" in day_rows[-1] and "█" in day_rows[-1] and "⚑" in day_rows[-1]
    assert "Days over alert_daily_usd:" in out
    assert "Replies over alert_tokens:" in out and "102.0k tokens" in out


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    _seed()
    assert main(["usage", "--json", "--by", "model"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"][0]["model"] == "claude-demo"
    assert report["total"]["replies"] == 1
    assert report["flagged_replies"][0]["tokens"] == 102_000


@pytest.mark.parametrize("argument", [["--days", "0"], ["--days", "x"], ["--by", "week"]])
def test_bad_arguments_are_usage_errors(
    argument: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["usage", *argument])
    assert exited.value.code == 2
    assert "claude-tui usage" in capsys.readouterr().err
