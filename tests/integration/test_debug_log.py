"""``claude-tui -p --debug-log FILE`` against the demo relay, as a script would run it: the
file holds one JSON line per HTTP request (a retry is a line of its own) and never the key."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from attachments import sample_files

from claude_tui.cli.main import main
from claude_tui.demo import DemoRelay, Fault
from claude_tui.request_log import DebugLog

from .test_print_mode import RELAY_KEY, claude_tui, relay_config, write_config


def log_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_request_is_a_line_with_its_status_latency_and_tokens_and_never_the_key(
    demo_relay: DemoRelay, isolated_dirs: Path, tmp_path: Path
) -> None:
    write_config(isolated_dirs, relay_config(demo_relay.base_url))
    log = tmp_path / "requests.jsonl"
    first = claude_tui("-p", "--debug-log", str(log), "hello")
    assert first.code == 0, first.stderr
    second = claude_tui("-p", "-c", "--debug-log", str(log), "and again")
    assert second.code == 0, second.stderr
    text = log.read_text(encoding="utf-8")
    assert RELAY_KEY not in text and RELAY_KEY[-12:] not in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    lines = log_lines(log)
    assert len(lines) == 2  # appended by the second run
    for line in lines:
        assert line["status"] == 200
        assert line["url"] == f"{demo_relay.base_url}/v1/messages"
        assert line["method"] == "POST"
        assert line["profile"] == "relay"
        assert line["latency_ms"] > 0 and line["ttft_ms"] >= line["latency_ms"]
        usage = line["usage"]
        sent = sum(
            usage[k]
            for k in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
        )
        assert sent > 0 and usage["output_tokens"] > 0  # the relay caches the prompt
        assert line["request_id"]
        assert line["error"] is None and line["retries"] == 0
        assert line["body_bytes"] == len(demo_relay.requests[lines.index(line)].body)
        assert line["request_headers"]["authorization"].startswith("Bearer ")
        assert "…" in line["request_headers"]["authorization"]
    assert lines[0]["session_id"] == lines[1]["session_id"]  # -c went on with the same one


def test_a_retried_request_is_two_lines(
    demo_relay: DemoRelay, isolated_dirs: Path, tmp_path: Path
) -> None:
    write_config(isolated_dirs, relay_config(demo_relay.base_url, max_retries=1))
    demo_relay.queue_fault(Fault.http_error(529, headers={"retry-after-ms": "10"}))
    log = tmp_path / "requests.jsonl"
    run = claude_tui("-p", "--debug-log", str(log), "hello")
    assert run.code == 0, run.stderr
    overloaded, answered = log_lines(log)
    assert (overloaded["status"], overloaded["attempt"], overloaded["retries"]) == (529, 1, 0)
    assert overloaded["error"] and overloaded["usage"] is None
    assert (answered["status"], answered["attempt"], answered["retries"]) == (200, 2, 1)
    assert answered["usage"]["output_tokens"] > 0
    assert RELAY_KEY not in log.read_text(encoding="utf-8")


def test_an_unwritable_log_is_refused_at_start_and_nothing_is_sent(
    demo_relay: DemoRelay, isolated_dirs: Path, tmp_path: Path
) -> None:
    write_config(isolated_dirs, relay_config(demo_relay.base_url))
    run = claude_tui("-p", "--debug-log", str(tmp_path / "missing" / "log.jsonl"), "hello")
    assert run.code == 2
    assert "Cannot write the debug log" in run.stderr
    assert "choose a file in a folder that exists" in run.stderr
    assert demo_relay.requests == []


def test_attachments_are_logged_as_sizes_never_their_bytes(
    demo_relay: DemoRelay, isolated_dirs: Path, tmp_path: Path
) -> None:
    write_config(isolated_dirs, relay_config(demo_relay.base_url))
    image = sample_files.png(64, 48)
    (tmp_path / "shot.png").write_bytes(image)
    log = tmp_path / "requests.jsonl"
    run = claude_tui("-p", "--debug-log", str(log), "--attach", str(tmp_path / "shot.png"), "What?")
    assert run.code == 0, run.stderr
    (line,) = log_lines(log)
    encoded = base64.b64encode(image).decode()
    assert line["attachments"] == [
        {"kind": "image", "media_type": "image/png", "characters": len(encoded), "message": 1}
    ]
    assert encoded[:24] not in log.read_text(encoding="utf-8")


def test_the_ui_gives_its_requests_to_the_debug_log(
    demo_relay: DemoRelay, isolated_dirs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``claude-tui --debug-log FILE``: the app it launches has the log as its request sink
    (the app's own conversations hand their records to that sink: tests/ui/request_log)."""
    write_config(isolated_dirs, relay_config(demo_relay.base_url))
    launched: list[Any] = []
    monkeypatch.setattr("claude_tui.ui.launch.run_app", lambda app: launched.append(app) or 0)
    log = tmp_path / "ui.jsonl"
    assert main(["--debug-log", str(log)]) == 0
    (app,) = launched
    sink = app.turn_services.request_sink
    assert isinstance(sink, DebugLog) and sink.path == log
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
