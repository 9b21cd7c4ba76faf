"""The ``--debug-log`` writer: one JSON line per record, appended, private, never the body."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest

from claude_tui.request_log import DebugLogError, open_debug_log

from .records import KEY, body_of, record


def lines_of(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_record_is_one_line_written_through_at_once(tmp_path: Path) -> None:
    path = tmp_path / "requests.jsonl"
    log = open_debug_log(path)
    log(record(status=529, attempt=1, error="Overloaded", usage=None))
    assert len(lines_of(path)) == 1  # readable before the log is closed (tail -f)
    log(record(attempt=2))
    log.close()
    first, second = lines_of(path)
    assert first["status"] == 529 and first["retries"] == 0 and first["error"] == "Overloaded"
    assert second["status"] == 200 and second["attempt"] == 2 and second["retries"] == 1
    assert second["usage"] == {
        "input_tokens": 1204,
        "output_tokens": 88,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 512,
    }
    assert second["latency_ms"] == 42.5 and second["ttft_ms"] == 80.0
    assert second["request_id"] == "req_011CTest"
    assert "body" not in second
    assert second["sent_at"] == "2026-05-28T20:26:40.000+00:00"  # records.record's time
    assert log.lines_written == 2


def test_the_file_is_created_private_and_appended_to(tmp_path: Path) -> None:
    path = tmp_path / "requests.jsonl"
    log = open_debug_log(path)
    log(record())
    log.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = open_debug_log(path)
    again(record(attempt=3))
    again.close()
    assert [line["attempt"] for line in lines_of(path)] == [1, 3]


def test_attachments_are_written_as_sizes_never_their_bytes(tmp_path: Path) -> None:
    image = base64.b64encode(b"\x89PNG" + bytes(3000)).decode()
    body = json.dumps(
        {
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image",
                            "source": {"type": "base64", "media_type": "image/png", "data": image},
                        },
                        {"type": "text", "text": "what is it?"},
                    ],
                }
            ]
        }
    )
    path = tmp_path / "requests.jsonl"
    log = open_debug_log(path)
    log(record(body=body))
    log.close()
    text = path.read_text(encoding="utf-8")
    assert image not in text and image[:40] not in text
    (line,) = lines_of(path)
    assert line["attachments"] == [
        {"kind": "image", "media_type": "image/png", "characters": len(image), "message": 1}
    ]


def test_the_key_never_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "requests.jsonl"
    log = open_debug_log(path)
    log(record(body=body_of("hi")))
    log.close()
    assert KEY not in path.read_text(encoding="utf-8")


def test_an_unwritable_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DebugLogError, match=r"Cannot write the debug log .*choose a file"):
        open_debug_log(tmp_path / "no-such-folder" / "requests.jsonl")
    with pytest.raises(DebugLogError, match="is a folder"):
        open_debug_log(tmp_path)


def test_a_path_under_a_file_is_a_clear_error(tmp_path: Path) -> None:
    """Unwritable for root too (a read-only folder is not): the parent is a file."""
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(DebugLogError, match=r"Cannot write the debug log"):
        open_debug_log(tmp_path / "notes.txt" / "requests.jsonl")


def test_a_failed_write_stops_the_log_without_breaking_the_reply(tmp_path: Path) -> None:
    log = open_debug_log(tmp_path / "requests.jsonl")
    told: list[str] = []
    log.on_failure = told.append
    os.close(log._descriptor or 0)  # the disk goes away under it
    log(record())  # does not raise
    log(record())
    assert log.failure is not None and "Writing the debug log" in log.failure
    assert told == [log.failure]
