"""The words of the /log view: a row's cells and a request's details."""

from __future__ import annotations

import json

from claude_tui.request_log.request_columns import COLUMNS, detail_lines, row_cells

from .records import KEY, MASKED_KEY, record


def cells_by_column(**changes: object) -> dict[str, str]:
    return dict(zip(COLUMNS, row_cells(record(**changes)), strict=True))


def test_a_row_has_each_figure() -> None:
    cells = cells_by_column()
    assert cells["Status"] == "200"
    assert cells["Latency"] == "42 ms" and cells["First token"] == "80 ms"
    assert cells["Try"] == "1"
    assert cells["Tokens"] == "1,204 in · 88 out · 512 cache read"
    assert cells["Request"] == "POST http://127.0.0.1:9/v1/messages"
    assert cells["Request id"] == "req_011CTest"
    assert cells["Failover"] == ""


def test_failures_retries_and_failovers_read_as_such() -> None:
    assert cells_by_column(status=None, error="refused", usage=None)["Status"] == "no answer"
    assert cells_by_column(error="cut off")["Status"] == "200 cut"
    assert cells_by_column(status=529, error="Overloaded")["Status"] == "529"
    retried = cells_by_column(attempt=3, failover_from="relay-a", latency_ms=12_345.0)
    assert retried["Try"] == "3" and retried["Failover"] == "from relay-a"
    assert retried["Latency"] == "12.3 s"
    assert cells_by_column(usage=None, ttft_ms=None)["First token"] == "–"


def test_details_mask_headers_and_show_attachments_as_sizes() -> None:
    data = "Q" * 5000
    body = json.dumps(
        {
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image",
                            "source": {"type": "base64", "media_type": "image/gif", "data": data},
                        }
                    ],
                }
            ]
        }
    )
    lines = detail_lines(record(body=body, attempt=2, failover_from="relay-a", error="boom"))
    text = "\n".join(f"{line.label}: {line.value}" for line in lines)
    assert "Try: 2 (retry 1)" in text
    assert "Failover: failed on relay-a first" in text
    assert "Attachment: image image/gif, 5.0 kB of base64 (message 1)" in text
    assert "Error: boom" in text
    assert "Headers: user-agent: claude-tui/test" in text
    assert f"authorization: Bearer {MASKED_KEY}" in text
    assert data not in text and KEY not in text
    forgotten = detail_lines(record(body=None, body_forgotten=True))
    assert any("no longer kept" in line.value for line in forgotten)
