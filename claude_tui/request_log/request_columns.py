"""The words the request log shows for a record: its row's cells and its details.

Kept apart from the screen so that the view stays a thin layer and the texts are tested
without Textual; the same words would serve a ``claude-tui`` subcommand that prints a log.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, NamedTuple

from claude_tui.request_log.attachment_sizes import attachment_sizes, size_text

if TYPE_CHECKING:
    from claude_tui.chat_message import Usage
    from claude_tui.wire import RequestRecord

COLUMNS: tuple[str, ...] = (
    "Time",
    "Status",
    "Latency",
    "First token",
    "Try",
    "Tokens",
    "Body",
    "Failover",
    "Request",
    "Request id",
)
"""The log's columns, in order; :func:`row_cells` gives a record's cell for each. The
long ones (URL, request id) come last, so a narrow window still shows the figures."""

NO_VALUE = "–"


class DetailLine(NamedTuple):
    """One line of a request's details: a label and its value."""

    label: str
    value: str


def row_cells(record: RequestRecord) -> tuple[str, ...]:
    """The record's cell for each of :data:`COLUMNS`."""
    return (
        time.strftime("%H:%M:%S", time.localtime(record.started)),
        status_text(record),
        _milliseconds(record.latency_ms),
        _milliseconds(record.ttft_ms),
        str(record.attempt),
        tokens_text(record.usage),
        size_text(record.body_bytes),
        f"from {record.failover_from}" if record.failover_from else "",
        f"{record.method} {record.url}",
        record.request_id or "",
    )


def status_text(record: RequestRecord) -> str:
    """``200``, ``529``, ``200 cut`` (answered, then broken) or ``no answer``."""
    if record.status is None:
        return "no answer"
    if record.error and 200 <= record.status < 300:
        return f"{record.status} cut"
    return str(record.status)


def tokens_text(usage: Usage | None) -> str:
    """``1,204 in · 88 out``, with the cache's share when there is one."""
    if usage is None:
        return ""
    text = f"{usage.input_tokens:,} in · {usage.output_tokens:,} out"
    if usage.cache_read_input_tokens:
        text += f" · {usage.cache_read_input_tokens:,} cache read"
    if usage.cache_creation_input_tokens:
        text += f" · {usage.cache_creation_input_tokens:,} cache write"
    return text


def detail_lines(record: RequestRecord) -> list[DetailLine]:
    """Everything the log knows of one request, headers masked, attachments as sizes."""
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.started))
    lines = [
        DetailLine("Request", f"{record.method} {record.url}"),
        DetailLine("Sent", when),
        DetailLine("Profile", record.profile),
        DetailLine("Status", status_text(record)),
        DetailLine("Request id", record.request_id or NO_VALUE),
        DetailLine("Latency", _milliseconds(record.latency_ms)),
        DetailLine("First token", _milliseconds(record.ttft_ms)),
        DetailLine("Duration", _milliseconds(record.duration_ms)),
        DetailLine("Try", _attempt_text(record.attempt)),
    ]
    if record.failover_from:
        lines.append(DetailLine("Failover", f"failed on {record.failover_from} first"))
    if record.key_position is not None:
        lines.append(DetailLine("Key", f"position {record.key_position} of the profile's keys"))
    lines.append(DetailLine("Tokens", tokens_text(record.usage) or NO_VALUE))
    body = f"{record.body_bytes:,} bytes ({size_text(record.body_bytes)})"
    if record.body_forgotten:
        body += "; no longer kept, so it cannot be copied as curl"
    lines.append(DetailLine("Body", body))
    for size in attachment_sizes(record.body):
        lines.append(DetailLine("Attachment", size.describe()))
    if record.error:
        lines.append(DetailLine("Error", record.error))
    if record.session_id:
        lines.append(DetailLine("Session", record.session_id))
    for number, (name, value) in enumerate(record.request_headers.items()):
        lines.append(DetailLine("" if number else "Headers", f"{name}: {value}"))
    return lines


def _attempt_text(attempt: int) -> str:
    if attempt <= 1:
        return "1 (the first)"
    return f"{attempt} (retry {attempt - 1})"


def _milliseconds(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    if value >= 10_000:
        return f"{value / 1000:.1f} s"
    return f"{value:,.0f} ms"
