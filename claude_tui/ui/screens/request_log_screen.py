"""``/log``: the HTTP requests of the conversation in front, newest last, one per row.

Each row is one attempt (a retry, a key switch and a failover are rows of their own), as
:class:`~claude_tui.wire.RequestRecord` holds it; the highlighted row's details (headers
masked, attachments as sizes) show below the table, Enter gives them the screen's height,
and ``c`` copies the request as a curl command whose key is its variable (``$RELAY_KEY``).
Rows come from ``Conversation.request_log``, the records of this run, and the view follows
it while open, so a reply streaming behind the view adds its row when it ends. A DataTable
keeps hundreds of rows fast; a row's details are worked out only when it is highlighted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from claude_tui.request_log import curl_command
from claude_tui.request_log.request_columns import COLUMNS, detail_lines, row_cells
from claude_tui.terminal_text import safe_for_terminal

if TYPE_CHECKING:
    from claude_tui.wire import RequestRecord

FOLLOW_INTERVAL = 0.5
"""How often the open view looks for requests that ended since (seconds)."""

EMPTY_TEXT = (
    "No requests yet in this conversation: each reply's HTTP requests show here "
    "(this run's only; --debug-log FILE keeps them in a file)."
)


class RequestLogScreen(ModalScreen[None]):
    """The request log of one conversation, with one request's details and copy as curl."""

    CSS_PATH = "request_log_screen.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="request-log.close"),
        Binding("c", "copy_curl", "Copy as curl", id="request-log.copy-curl"),
    ]

    def __init__(self, records: list[RequestRecord], title: str = "") -> None:
        """``records``: the conversation's log itself (a list it appends to), followed live."""
        super().__init__()
        self.records = records
        self.title_text = title
        self.shown = 0
        """How many of the records have a row (the rest are added at the next look)."""
        self._details: dict[int, Table] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="request-log-body"):
            yield Static(Text(safe_for_terminal(self.title_text)), id="request-log-title")
            yield Static(EMPTY_TEXT, id="request-log-empty")
            table: DataTable[str | Text] = DataTable(
                id="request-log-table", cursor_type="row", zebra_stripes=True
            )
            yield table
            with VerticalScroll(id="request-log-details"):
                yield Static(id="request-log-detail")
            yield Static(
                "Up/Down choose · Enter details full size · c copies as curl · Esc closes",
                id="request-log-keys",
            )

    def on_mount(self) -> None:
        # After the first refresh: in the app, the container's own children may still be
        # mounting when the screen's Mount arrives.
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        table = self.table
        table.add_columns(*COLUMNS)
        self._add_new_rows()
        table.focus()
        self.set_interval(FOLLOW_INTERVAL, self._add_new_rows)

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#request-log-table", DataTable)

    def _add_new_rows(self) -> None:
        """Add the requests that ended since the last look; the cursor follows the newest
        when it was on the newest (or on nothing)."""
        records = self.records
        if len(records) == self.shown:
            self.set_class(not records, "-empty")
            return
        table = self.table
        following = table.row_count == 0 or table.cursor_row >= table.row_count - 1
        table.add_rows(
            [_cells(record) for record in records[self.shown :]],
        )
        self.shown = len(records)
        self.set_class(False, "-empty")
        if following:
            table.move_cursor(row=table.row_count - 1)
        self._show_details(table.cursor_row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_details(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.toggle_class("-details-full")

    def _show_details(self, row: int) -> None:
        if not 0 <= row < self.shown:
            return
        details = self._details.get(row)
        if details is None:
            details = self._details[row] = _details_table(self.records[row])
        self.query_one("#request-log-detail", Static).update(details)

    @property
    def highlighted(self) -> RequestRecord | None:
        """The request under the cursor, if any."""
        row = self.table.cursor_row
        return self.records[row] if 0 <= row < self.shown else None

    def action_copy_curl(self) -> None:
        record = self.highlighted
        if record is None:
            self.notify("There is no request to copy yet.", severity="warning")
            return
        if record.body_forgotten:
            self.notify(
                "This request's body is no longer kept (the log keeps the newest requests' "
                "bodies only, to bound memory): copy a newer request.",
                severity="warning",
            )
            return
        command = curl_command(record)
        self.app.copy_to_clipboard(command)
        variable = record.key_variable
        key_note = f"; it reads the key from {variable}" if variable else ""
        self.notify(
            f"Copied the request as curl ({len(command):,} characters) to the clipboard{key_note}."
        )

    def action_close(self) -> None:
        self.dismiss(None)


def _cells(record: RequestRecord) -> list[str | Text]:
    cells: list[str | Text] = [safe_for_terminal(cell) for cell in row_cells(record)]
    failed = record.error is not None or record.status is None or record.status >= 400
    if failed:
        cells[1] = Text(str(cells[1]), style="bold red")
    return cells


def _details_table(record: RequestRecord) -> Table:
    table = Table(expand=True, show_edge=False, box=None, padding=(0, 1), show_header=False)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column("", ratio=1, overflow="fold")
    for line in detail_lines(record):
        table.add_row(safe_for_terminal(line.label), Text(safe_for_terminal(line.value)))
    return table
