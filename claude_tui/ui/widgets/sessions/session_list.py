"""The list of saved sessions: a line-API scroll view that paints only the visible rows.

Every row is two lines (title; profile, model, age and message count), so the row under a
screen line is found by division and nothing is measured per session: showing 10,000
sessions costs what showing ten does. Textual's ``OptionList`` measures the height of every
option when it is filled: ``tests/perf/bench_sidebar.py`` has it take 1.2 s to show 10,000
two-line options (55 times as long as ten), where this list takes a few milliseconds.
"""

from __future__ import annotations

import textwrap
import time
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from claude_tui.sessions.session_index import SessionSummary
from claude_tui.terminal_text import safe_for_terminal

ROW_HEIGHT = 2
"""Lines per session: the title, then the details."""

UNTITLED = "Untitled"


def format_age(seconds: float, *, short: bool = False) -> str:
    """How long ago, in few characters: "3m ago" ("3m" when ``short``)."""
    if seconds < 60:
        return "now" if short else "just now"
    amount, unit = int(seconds // 60), "m"
    for size, name in ((31_536_000, "y"), (2_592_000, "mo"), (86_400, "d"), (3_600, "h")):
        if seconds >= size:
            amount, unit = int(seconds // size), name
            break
    return f"{amount}{unit}" if short else f"{amount}{unit} ago"


def row_details(summary: SessionSummary, width: int, now: float) -> str:
    """The second line of a row, "profile · model · 3m ago · 12 msgs", in ``width`` cells at
    most. When it is too long the age loses its "ago", then the profile and the model are
    shortened (the profile first), so that the age and message count stay readable."""
    count = f"{summary.message_count} msg{'' if summary.message_count == 1 else 's'}"
    age = now - summary.updated
    profile, model = summary.profile, summary.model
    line = f"{profile} · {model} · {format_age(age)} · {count}"
    if cell_len(line) <= width:
        return line
    tail = f" · {format_age(age, short=True)} · {count}"
    room = width - cell_len(tail) - 3  # 3: the " · " between profile and model
    if cell_len(profile) + cell_len(model) > room:
        profile = fit(profile, max(room - cell_len(model), min(cell_len(profile), 4)))
        model = fit(model, room - cell_len(profile))
    return fit(f"{profile} · {model}{tail}", width)


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis when longer (never padded)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


class SessionList(ScrollView, can_focus=True):
    """Shows session summaries, newest first, with a highlighted row (the cursor).

    The sidebar decides what is shown (:meth:`show`); the list reports what the user asks
    for with :class:`Action` messages naming the highlighted session.
    """

    DEFAULT_CSS = """
    SessionList {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        & > .session-list--title {
            color: $foreground;
            text-style: bold;
        }
        & > .session-list--details {
            color: $text-muted;
        }
        & > .session-list--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus > .session-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
        }
        & > .session-list--empty {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    COMPONENT_CLASSES = {
        "session-list--title",
        "session-list--details",
        "session-list--cursor",
        "session-list--empty",
    }

    BINDINGS = [
        Binding("up,k", "up", "Up", show=False, id="session_list.up"),
        Binding("down,j", "move(1)", "Down", show=False, id="session_list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="session_list.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="session_list.page_down"),
        Binding("home", "first", "First", show=False, id="session_list.first"),
        Binding("end", "last", "Last", show=False, id="session_list.last"),
        Binding("enter", "request('open')", "Open", id="session_list.open"),
        Binding("o", "request('open_tab')", "Open in tab", id="session_list.open_tab"),
        Binding("r", "request('rename')", "Rename", id="session_list.rename"),
        Binding("d", "request('delete')", "Delete", id="session_list.delete"),
        Binding("f", "request('fork')", "Fork", id="session_list.fork"),
        Binding("x", "request('export_md')", "Export md", id="session_list.export_md"),
        Binding(
            "X,shift+x", "request('export_json')", "Export json", id="session_list.export_json"
        ),
        Binding("slash", "to_filter", "Filter", show=False, id="session_list.filter"),
        Binding("escape", "to_filter", "Filter", show=False, id="session_list.escape"),
    ]

    cursor: reactive[int] = reactive(0, layout=False, always_update=False)
    """Index of the highlighted row in the shown sessions."""

    class Action(Message):
        """The user asked for something to be done to the highlighted session.

        ``kind`` is one of "open", "open_tab", "rename", "delete", "fork", "export_md",
        "export_json".
        """

        def __init__(self, kind: str, session_id: str) -> None:
            super().__init__()
            self.kind = kind
            self.session_id = session_id

    class FilterWanted(Message):
        """The user wants the filter back: ``text`` is what they typed to get there (a key
        that is not a command here), to be added to the filter; "" for ``/``, Esc or Up on
        the first row."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sessions: Sequence[SessionSummary] = ()
        self.empty_text = ""
        self._strips: LRUCache[tuple[int, int, bool, int], Strip] = LRUCache(256)
        self._row_styles: dict[str, Style] | None = None
        self._painted = False
        self._last_clicked: int | None = None

    # -- public API ------------------------------------------------------------------------

    def show(
        self,
        sessions: Sequence[SessionSummary],
        *,
        empty_text: str = "",
        keep_highlight: bool = True,
    ) -> None:
        """Show these sessions (in this order), keeping the highlight on the same session
        when it is still there (on the first one when not ``keep_highlight``);
        ``empty_text`` is shown when there are none."""
        keep = self.highlighted_id if keep_highlight else None
        self.sessions = sessions
        self.empty_text = empty_text
        self._strips.clear()
        self._update_virtual_size()
        index = 0
        if keep is not None:
            index = next((i for i, s in enumerate(sessions) if s.id == keep), 0)
        self.set_reactive(SessionList.cursor, self._clamp(index))
        self._scroll_to_cursor()
        self.refresh()

    @property
    def highlighted(self) -> SessionSummary | None:
        """The session under the cursor, if any is shown."""
        if not self.sessions:
            return None
        return self.sessions[self._clamp(self.cursor)]

    @property
    def highlighted_id(self) -> str | None:
        """The id of the session under the cursor."""
        summary = self.highlighted
        return summary.id if summary is not None else None

    def highlight(self, session_id: str) -> bool:
        """Move the cursor to a session; False when it is not shown."""
        for index, summary in enumerate(self.sessions):
            if summary.id == session_id:
                self.cursor = index
                return True
        return False

    def move(self, step: int) -> None:
        """Move the cursor ``step`` rows (negative: up), stopping at the ends."""
        self.cursor = self._clamp(self.cursor + step)

    def refresh_rows(self) -> None:
        """Repaint every row (ages move on)."""
        self._strips.clear()
        self.refresh()

    @property
    def painted(self) -> bool:
        """Whether rows have been painted at least once (for the benchmark)."""
        return self._painted

    def visible_text(self) -> str:
        """The text of the lines on screen (for tests)."""
        top = int(self.scroll_y)
        height = self.scrollable_content_region.height
        return "\n".join(self._line(top + y).text.rstrip() for y in range(height))

    # -- painting --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if self.sessions:
            self._painted = True
        return self._line(scroll_y + y).crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _line(self, line_number: int) -> Strip:
        width = self.scrollable_content_region.width
        if not self.sessions:
            return self._empty_line(line_number, width)
        index, part = divmod(line_number, ROW_HEIGHT)
        if not 0 <= index < len(self.sessions):
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        key = (index, part, selected, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._row_line(self.sessions[index], part, selected, width)
            self._strips[key] = strip
        return strip

    def _row_line(self, summary: SessionSummary, part: int, selected: bool, width: int) -> Strip:
        styles = self._styles_by_name()
        inner = max(width - 2, 0)
        if part == 0:
            text = set_cell_size(
                fit(safe_for_terminal(summary.title or "") or UNTITLED, inner), inner
            )
            style = styles["cursor"] + Style(bold=True) if selected else styles["title"]
        else:
            text = set_cell_size(safe_for_terminal(row_details(summary, inner, time.time())), inner)
            style = styles["cursor"] + Style(dim=True) if selected else styles["details"]
        pad = Segment(" ", styles["cursor"] if selected else self.rich_style)
        return Strip([pad, Segment(text, style), pad], width)

    def _empty_line(self, line_number: int, width: int) -> Strip:
        lines = textwrap.wrap(self.empty_text, max(width - 2, 1))
        index = line_number - 1  # one blank line above the text
        if not 0 <= index < len(lines):
            return Strip.blank(width, self.rich_style)
        text = set_cell_size(" " + lines[index], width)
        return Strip([Segment(text, self._styles_by_name()["empty"])], width)

    def _styles_by_name(self) -> dict[str, Style]:
        if self._row_styles is None:
            base = self.rich_style
            self._row_styles = {
                name: base + self.get_component_rich_style(f"session-list--{name}")
                for name in ("title", "details", "cursor", "empty")
            }
        return self._row_styles

    def notify_style_update(self) -> None:
        """Theme or focus changed: styles must be looked up again."""
        super().notify_style_update()
        self._row_styles = None
        self._strips.clear()

    # -- cursor ----------------------------------------------------------------------------

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self.sessions) - 1))

    def validate_cursor(self, cursor: int) -> int:
        return self._clamp(cursor)

    def watch_cursor(self) -> None:
        self._last_clicked = None
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        if not self.sessions or not self.size.height:
            return
        region = Region(0, self.cursor * ROW_HEIGHT, max(self.size.width, 1), ROW_HEIGHT)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, len(self.sessions) * ROW_HEIGHT)

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self._update_virtual_size()
        self._scroll_to_cursor()

    # -- input -----------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row; a second click on it (or a double click) opens it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (int(self.scroll_y) + offset.y) // ROW_HEIGHT
        if not 0 <= index < len(self.sessions):
            return
        again = index == self._last_clicked or event.chain >= 2
        self.cursor = index
        if again:
            self._last_clicked = None
            self.post_message(self.Action("open", self.sessions[index].id))
        else:
            self._last_clicked = index

    def on_key(self, event: events.Key) -> None:
        """A printable key that is no command here goes to the filter, so typing to search
        works wherever the keyboard is in the sidebar (commands are single letters, and a
        letter must never do both)."""
        if event.key in self.screen.active_bindings:
            return  # a command: the binding runs it
        if not event.is_printable or not event.character:
            return
        event.stop()
        event.prevent_default()
        self.post_message(self.FilterWanted(event.character))

    def action_move(self, step: int) -> None:
        self.move(step)

    def action_up(self) -> None:
        """Up moves the highlight; on the first row it goes back to the filter above."""
        if self.cursor <= 0:
            self.post_message(self.FilterWanted(""))
        else:
            self.move(-1)

    def action_to_filter(self) -> None:
        self.post_message(self.FilterWanted(""))

    def action_page(self, direction: int) -> None:
        rows = max(self.scrollable_content_region.height // ROW_HEIGHT - 1, 1)
        self.move(direction * rows)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.sessions) - 1

    def action_request(self, kind: str) -> None:
        session_id = self.highlighted_id
        if session_id is not None:
            self.post_message(self.Action(kind, session_id))
