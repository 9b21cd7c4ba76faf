"""The message list: a line-API scroll view that paints only the visible lines.

It never mounts a widget per message or per paragraph. Each message has a cached
:class:`MessageLayout`; the view keeps prefix sums of their heights and, in
:meth:`render_line`, finds the message under a screen row by binary search. Long histories
are windowed: only the newest messages are laid out at first, and older ones are laid out
when the user scrolls to the top.

While a reply streams, a refresh repaints only what changed: the layouts say when their
lines are the same as last time, and the rows from the first changed line down are marked
dirty, so a delta that only lengthens the last line repaints a line or two, not the screen.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from claude_tui.chat_message import ChatMessage
from claude_tui.history_summary import HistorySummary
from claude_tui.ui.rendering.block_render import BlockRenderer
from claude_tui.ui.widgets.conversation.conversation_find import (
    FindMatch,
    find_matches,
    highlight,
    line_of_occurrence,
)
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
from claude_tui.ui.widgets.conversation.message_layout import LayoutContext, MessageLayout
from claude_tui.ui.widgets.conversation.scroll_anchor import anchored_top, top_anchor
from claude_tui.ui.widgets.conversation.scrollbar_thumb import move_scrollbar
from claude_tui.ui.widgets.conversation.styled_line_cache import StyledLineCache
from claude_tui.ui.widgets.conversation.tool_rounds import ToolRounds

if TYPE_CHECKING:
    from claude_tui.conversation.tool_events import ToolCallChanged
    from claude_tui.ui.widgets.conversation.summary_block import SummaryBlock

GUTTER = 2
INITIAL_SCREENS = 3  # lay out this many screens of history at first, newest first
FRAME_INTERVAL = 1 / 5
"""Streaming repaints at most this often. A delta after a quiet spell is painted at once
(after :data:`COALESCE_DELAY`); a steady stream is painted on this clock, however many
deltas it brings. Five frames a second still reads as text arriving a few words at a
time (Rich's Live paints four), and every frame costs the same few milliseconds of
Textual's machinery whatever it shows: a 600-token reply at 30 tokens/s (20 s, ten deltas
a second) cost 0.75 s of CPU painted at eight frames a second, about 0.65 s at six, and
with the rest of this session's changes 0.62-0.64 s at six against 0.56 s at five,
measured back to back."""
COALESCE_DELAY = 1 / 100  # a burst of deltas read in one go makes one frame
FAST_FRAME_INTERVAL = 1 / 20
"""The clock while a reply pours in (:data:`FAST_STREAM_CHANGES` deltas or more since the
last frame): smaller frames keep a keystroke's wait short and the last words come sooner
(measured: a 20,000-token burst at 1/8 s frames took a fifth longer, keys up to 68 ms)."""
FAST_STREAM_CHANGES = 4
FRAME_BUDGET = 0.008  # seconds of block rendering per refresh; the rest waits a turn
CATCH_UP_INTERVAL = 0.001
FOLLOW_SCREENS = 2
"""A view following a streaming reply draws its blocks this many screens up from the end;
the blocks above wait for the reply's end, or for the user to scroll away from the end."""
GUTTER_CACHE_SIZE = 4096


class ConversationView(ScrollView, can_focus=True):
    """Shows a list of :class:`ChatMessage`; call :meth:`message_changed` as they stream."""

    DEFAULT_CSS = """
    ConversationView {
        background: $background;
        padding: 0 1;
        /* Lines are wrapped to the width: reserve the scrollbar's column from the start, so
           a scrollbar appearing after the first layout never leaves lines too wide. */
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    """

    BINDINGS = [
        Binding("up,k", "select(-1)", "Prev message", show=False, id="view.prev"),
        Binding("down,j", "select(1)", "Next message", show=False, id="view.next"),
        # Enter unfolds the selected reply's tool calls, else its thinking.
        Binding("enter", "toggle_selected_thinking", "Thinking", show=False, id="view.thinking"),
        Binding("c", "copy_selected", "Copy", id="view.copy"),
        Binding("e", "edit_selected", "Edit", id="view.edit"),
        Binding("r", "retry_selected", "Retry", id="view.retry"),
        Binding("d", "delete_selected", "Delete", id="view.delete"),
        Binding("v", "view_thinking", "Thinking viewer", id="view.thinking_viewer"),
        Binding("home", "load_all_and_top", "Top", show=False, id="view.top"),
        Binding("end", "jump_bottom", "Bottom", show=False, id="view.bottom"),
        Binding("question_mark", "app.help", "Help", show=False, id="view.help"),
        # While a find is open (Ctrl+F): n older match, N newer, Esc closes it.
        Binding("n", "find_step(-1)", "Older match", show=False, id="view.find_older"),
        Binding("N", "find_step(1)", "Newer match", show=False, id="view.find_newer"),
        Binding("escape", "find_close", "Close find", show=False, id="view.find_close"),
    ]

    selected: reactive[int | None] = reactive(None, layout=False)

    class Action(Message):
        """A message-level action the pane must carry out (retry, edit, copy...)."""

        def __init__(self, kind: str, message_id: str, argument: int | None = None) -> None:
            super().__init__()
            self.kind = kind
            self.message_id = message_id
            self.argument = argument

    class NewContentBelow(Message):
        """Content arrived while the user reads further up (the pane shows a hint)."""

        def __init__(self, below: bool) -> None:
            super().__init__()
            self.below = below

    def __init__(
        self,
        messages: list[ChatMessage],
        *,
        styles: LayoutStyles,
        renderer: BlockRenderer,
        cost_of: Callable[[ChatMessage], float | None],
        id: str | None = None,
        alert_of: Callable[[ChatMessage], str | None] | None = None,
    ) -> None:
        super().__init__(id=id)
        self._styled_lines = StyledLineCache()  # rows reused across scrolls
        self._styles_cache = self._styled_lines
        self.messages = messages
        self.layout_styles = styles
        self.renderer = renderer
        self.cost_of = cost_of
        self.alert_of = alert_of
        self.expand_all_thinking = False
        self.status_notes: dict[str, str] = {}
        self.tool_rounds = ToolRounds()  # tool calls' live states, results, folds, rounds
        self._layouts: dict[str, MessageLayout] = {}
        self._window_start = len(messages)  # index of the oldest laid-out message
        self._offsets: list[int] = [0]  # prefix sums of heights of laid-out messages
        self._content_width = 0
        # The pending repaint, if any: a plain loop timer (a Textual Timer is a task of its
        # own, and a streaming reply sets one per frame).
        self._flush_timer: asyncio.TimerHandle | None = None
        self._flush_due = 0.0  # when it fires (monotonic)
        self._last_flush = 0.0  # when the last one ran
        self._changes_since_flush = 0  # message changes told since then: how fast it streams
        self._follow = True
        self._last_mouse_message: str | None = None
        self._new_below = False
        self._hold_until = 0.0
        self.empty_hint = ""  # shown while the conversation has no messages
        self._gutter_cache: dict[tuple[int, bool], tuple[Strip, Strip]] = {}
        self._frame_style = Style()
        self._frame_style_stale = True  # styles changed since _frame_style was read
        self._frame_width = 0  # the content width, read once per frame
        # Where the next request's trimming cuts the history: (index of the first message
        # sent, the divider's words), asked for whenever the messages change.
        self.trim_cut: Callable[[], tuple[int, str] | None] | None = None
        self._dividers: dict[str, str] = {}
        # The /compact summary in effect (asked for whenever the messages change), the
        # progress of a compaction running (set by the pane), and what they draw.
        self.summary_source: Callable[[], HistorySummary | None] | None = None
        self.compaction_progress: SummaryBlock | None = None
        self.summary_expanded = False
        self._summary_block: SummaryBlock | None = None
        self._dimmed: frozenset[str] = frozenset()
        self._find_needle = ""  # the find's query, lower case; empty: no find open
        self._find_matches: list[FindMatch] = []
        self._find_index = -1
        self._find_at: tuple[str, int, int] | None = None  # (message id, line, char) on show
        self.find_listener: Callable[[], None] | None = None  # told when the find moves/ends
        self.find_open = False  # a find bar is showing for this view (it sets this)

    # -- public API ------------------------------------------------------------------------

    def set_theme(self, styles: LayoutStyles, renderer: BlockRenderer) -> None:
        """Repaint everything in a new theme."""
        self.layout_styles = styles
        self.renderer = renderer
        self._frame_style_stale = True
        self._relayout()

    def reset(self, messages: list[ChatMessage]) -> None:
        """Show another message list (session switch, /clear)."""
        self.messages = messages
        if self._find_needle:
            self._find_matches = find_matches(messages, self._find_needle)
            self._find_index = len(self._find_matches) - 1
            self._find_at = None
            self._tell_find_listener()
        self._layouts.clear()
        self.tool_rounds = ToolRounds()
        self._window_start = len(messages)
        self.summary_expanded = False
        self.compaction_progress = None
        self.selected = None
        self._follow = True
        self._relayout()

    def message_changed(self, message_id: str | None = None) -> None:
        """Something in ``message_id`` (or the list) changed; repaint on the frame clock
        (:data:`FRAME_INTERVAL`)."""
        if message_id is not None and message_id in self._layouts:
            self._layouts[message_id].dirty = True
        self._changes_since_flush += 1
        fast = self._changes_since_flush >= FAST_STREAM_CHANGES
        interval = FAST_FRAME_INTERVAL if fast else FRAME_INTERVAL
        next_frame = self._last_flush + interval - time.monotonic()
        self._schedule_flush(max(next_frame, COALESCE_DELAY))

    def tool_call_changed(self, event: ToolCallChanged, message_id: str) -> None:
        """A call of the reply ``message_id`` changed state (the pane passes the loop's
        events on): draw it on the next frame."""
        self.tool_rounds.changed(event, message_id)
        self.message_changed(message_id)

    def tool_turn_ended(self) -> None:
        """The turn is over: calls still waiting or running are shown from what was saved."""
        self.tool_rounds.forget_unfinished()

    def action_toggle_tool_call(self, call_id: str) -> None:
        """Fold or unfold one call (a click on its line)."""
        self._toggle_tool_calls([call_id])

    def _toggle_tool_calls(self, call_ids: list[str]) -> None:
        self.tool_rounds.toggle(call_ids)
        for layout in self._layouts.values():
            if any(call_id in layout.tool_call_ids for call_id in call_ids):
                layout.dirty = True
        self._follow = False
        self._recompute_offsets(self._layout_context())
        self.refresh()

    def _schedule_flush(self, delay: float) -> None:
        """Flush in ``delay`` seconds, or sooner if one is already due sooner."""
        due = time.monotonic() + delay
        if self._flush_timer is not None:
            if self._flush_due <= due:
                return
            self._flush_timer.cancel()
        self._flush_due = due
        loop = asyncio.get_running_loop()
        self._flush_timer = loop.call_later(delay, self._flush_from_loop)

    def _flush_from_loop(self) -> None:
        """The flush, called by the loop at its time rather than posted to the view's
        queue (a wake of the view's message pump cost ~0.4 ms a frame, a tenth of a paced
        reply's CPU). The view has no async handler it could interrupt; a failure goes to
        the app as one in a handler would."""
        if not self.is_attached:
            self._flush_timer = None
            return
        try:
            self._flush()
        except Exception as error:  # the app shows it and exits
            self.app._handle_exception(error)

    def on_unmount(self) -> None:
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None

    def messages_changed(self) -> None:
        """Messages were added or removed: lay out again now."""
        self._relayout()
        if self._find_needle:
            self._refresh_find()

    def _refresh_find(self) -> None:
        """Count the find's matches again (a reply arrived, a message went), staying put."""
        current = self.find_current
        self._find_matches = find_matches(self.messages, self._find_needle)
        if current is not None and current in self._find_matches:
            self._find_index = self._find_matches.index(current)
        else:
            self._find_index = min(self._find_index, len(self._find_matches) - 1)
            if self._find_matches and self._find_index < 0:
                self._find_index = 0
        self.refresh()
        self._tell_find_listener()

    def _update_dividers(self) -> None:
        """Ask where trimming cuts the history now, and draw the divider there."""
        cut = self.trim_cut() if self.trim_cut is not None else None
        dividers: dict[str, str] = {}
        if cut is not None and 0 < cut[0] < len(self.messages):
            dividers[self.messages[cut[0]].id] = cut[1]
        if dividers != self._dividers:
            self._dividers.clear()
            self._dividers.update(dividers)

    def _update_summary(self) -> None:
        """Where the summary block goes and which messages are dimmed: the running
        compaction's progress, else the summary in effect (after the last message it
        replaced), else none."""
        block = self.compaction_progress
        dimmed: frozenset[str] = frozenset()
        summary = self.summary_source() if self.summary_source is not None else None
        if block is None and summary is not None:
            ids = [message.id for message in self.messages]
            cut = summary.replaced_end(ids)
            if cut:
                from claude_tui.ui.widgets.conversation.summary_block import (
                    SummaryBlock,
                    summary_title,
                )

                note = f"auto-compacted {summary.reason}" if summary.auto else ""
                block = SummaryBlock(
                    anchor_id=ids[cut - 1],
                    title=summary_title(cut),
                    text=summary.text,
                    expanded=self.summary_expanded,
                    note=note,
                )
                dimmed = frozenset(ids[:cut])
        self._summary_block = block
        self._dimmed = dimmed

    def summary_changed(self) -> None:
        """The summary, or a compaction's progress, changed: redraw the block soon."""
        self._update_summary()
        self.message_changed()

    @property
    def summary_block(self) -> SummaryBlock | None:
        """The summary block drawn now (None: no summary in effect)."""
        return self._summary_block

    @property
    def dimmed(self) -> frozenset[str]:
        """Ids of the messages drawn dimmed: replaced by the summary, not sent."""
        return self._dimmed

    def action_toggle_summary(self) -> None:
        """Fold or unfold the summary block (Enter on its message, or a click on it)."""
        block = self._summary_block
        if block is None or block.pending:
            return
        self.summary_expanded = not self.summary_expanded
        self._update_summary()
        self._follow = False
        self._recompute_offsets(self._layout_context())
        self.refresh()

    @property
    def dividers(self) -> dict[str, str]:
        """Lines drawn above messages (message id -> words): where trimming cuts."""
        return dict(self._dividers)

    def layout_for(self, message_id: str) -> MessageLayout | None:
        """The layout of a message, if laid out."""
        return self._layouts.get(message_id)

    def toggle_all_thinking(self) -> None:
        """Expand or collapse every thinking block in the view."""
        self.expand_all_thinking = not self.expand_all_thinking
        for layout in self._layouts.values():
            layout.thinking_expanded = None
            layout.dirty = True
        self._relayout()

    def scroll_to_bottom(self) -> None:
        """Jump to the newest message and follow the stream again."""
        self._follow = True
        self._set_new_below(False)
        self.scroll_end(animate=False, immediate=True, x_axis=False)

    # -- find ----------------------------------------------------------------------------

    def find(self, query: str) -> None:
        """Find ``query`` (ignoring case) in every message, and show the newest match at
        or above the bottom of the screen; an empty query clears the find."""
        self._find_needle = query.lower()
        self._find_matches = find_matches(self.messages, query)
        self._find_index = -1
        self._find_at = None
        if self._find_matches:
            self._find_index = self._nearest_match()
            self._show_match()
        self.refresh()
        self._tell_find_listener()

    def find_step(self, step: int) -> None:
        """Move to the next (1, newer) or previous (-1, older) match, wrapping around."""
        if not self._find_matches:
            return
        self._find_index = (self._find_index + step) % len(self._find_matches)
        self._show_match()
        self.refresh()
        self._tell_find_listener()

    def _tell_find_listener(self) -> None:
        if self.find_listener is not None:
            self.find_listener()

    def find_close(self) -> None:
        """Forget the find and its highlights."""
        self.find("")

    @property
    def find_active(self) -> bool:
        """True while a find query is set."""
        return bool(self._find_needle)

    @property
    def find_status(self) -> str:
        """``3/17`` (the current match of all), ``0/0`` with none, empty with no query."""
        if not self._find_needle:
            return ""
        total = len(self._find_matches)
        return f"{self._find_index + 1}/{total}" if total else "0/0"

    @property
    def find_current(self) -> FindMatch | None:
        """The match being shown."""
        if 0 <= self._find_index < len(self._find_matches):
            return self._find_matches[self._find_index]
        return None

    def _nearest_match(self) -> int:
        """The last match in a message that starts above the bottom of the screen."""
        bottom = int(self.scroll_y) + max(self.scrollable_content_region.height, 1)
        last_shown = self._message_at_line(bottom - 1)
        if last_shown is None:
            return len(self._find_matches) - 1
        for index in range(len(self._find_matches) - 1, -1, -1):
            if self._find_matches[index].message_index <= last_shown:
                return index
        return len(self._find_matches) - 1

    def _message_at_line(self, line_number: int) -> int | None:
        if not self.messages or self._offsets[-1] == 0:
            return None
        line_number = max(0, min(line_number, self._offsets[-1] - 1))
        return self._window_start + bisect.bisect_right(self._offsets, line_number) - 1

    def _show_match(self) -> None:
        """Scroll the current match into view: its message laid out, its thinking opened
        when the match is there, and the occurrence's line on screen."""
        match = self.find_current
        if match is None or match.message_index >= len(self.messages):
            return
        while match.message_index < self._window_start:
            self._load_older()
        message = self.messages[match.message_index]
        layout = self._layout_of(message)
        ctx = self._layout_context()
        if match.part == "thinking" and not layout._thinking_open(ctx):
            layout.thinking_expanded = True
            layout.dirty = True
        self._recompute_offsets(self._layout_context())
        lines = layout.lines[layout.body_start :]
        line, char = line_of_occurrence(lines, self._find_needle, match.ordinal)
        line += layout.body_start
        self._find_at = (message.id, line, char) if char >= 0 else None
        self.selected = match.message_index
        position = match.message_index - self._window_start
        target = self._offsets[position] + line
        height = self.scrollable_content_region.height
        if not self.scroll_y <= target < self.scroll_y + height:
            self._follow = False
            self.scroll_to(y=max(0, target - height // 3), animate=False, immediate=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "find_step":
            return self.find_active  # else n is just a key
        if action == "find_close":
            return self.find_active or self.find_open  # else Esc goes on to the app (stop)
        return True

    def action_find_step(self, step: int) -> None:
        self.find_step(step)

    def action_find_close(self) -> None:
        self.find_open = False
        self.find_close()  # the find bar hears of it and closes too

    @property
    def line_count(self) -> int:
        """Lines laid out (for tests and the benchmark)."""
        return self._offsets[-1]

    @property
    def window_start(self) -> int:
        """Index of the oldest laid-out message."""
        return self._window_start

    def visible_text(self) -> str:
        """The text of the lines on screen (for tests)."""
        height = self.scrollable_content_region.height
        top = int(self.scroll_y)
        return "\n".join(self._line(top + y).text for y in range(height))

    # -- layout ----------------------------------------------------------------------------

    def _layout_context(self) -> LayoutContext:
        return LayoutContext(
            width=max(self._content_width, 10),
            renderer=self.renderer,
            styles=self.layout_styles,
            expand_all_thinking=self.expand_all_thinking,
            now=time.monotonic(),
            cost_of=self.cost_of,
            status_notes=self.status_notes,
            deadline=time.monotonic() + FRAME_BUDGET,
            dividers=self._dividers,
            summary=self._summary_block,
            dimmed=self._dimmed,
            alert_of=self.alert_of,
            tools=self.tool_rounds,
            follow_lines=FOLLOW_SCREENS * max(self.size.height, 10) if self._follow else None,
        )

    def _layout_of(self, message: ChatMessage) -> MessageLayout:
        layout = self._layouts.get(message.id)
        if layout is None or layout.message is not message:
            layout = MessageLayout(message)
            self._layouts[message.id] = layout
        return layout

    def _relayout(self) -> None:
        """Lay out the window of messages and recompute heights."""
        if not self.size.width:
            return
        self._content_width = max(self.scrollable_content_region.width - GUTTER, 10)
        self._update_dividers()
        self._update_summary()
        for message_id in self.tool_rounds.update(self.messages):
            layout = self._layouts.get(message_id)
            if layout is not None:
                layout.dirty = True
        ctx = self._layout_context()
        if self._window_start > len(self.messages):
            self._window_start = len(self.messages)
        if self._window_start == len(self.messages) or not self._layouts:
            self._window_start = self._initial_window_start(ctx)
        known = {m.id for m in self.messages}
        for message_id in [i for i in self._layouts if i not in known]:
            del self._layouts[message_id]
        self._recompute_offsets(ctx)
        self.refresh()
        if self._follow:
            # force: on the first layout the scrollbars are not sized yet, and without it
            # a resumed long session would open at the top of its window.
            self.scroll_end(animate=False, immediate=True, x_axis=False, force=True)

    def _initial_window_start(self, ctx: LayoutContext) -> int:
        """Newest first: lay out messages from the end until a few screens are full."""
        wanted = max(self.size.height, 10) * INITIAL_SCREENS
        total = 0
        start = len(self.messages)
        while start > 0 and total < wanted:
            start -= 1
            total += len(self._layout_of(self.messages[start]).build(ctx))
        return start

    def _recompute_offsets(self, ctx: LayoutContext) -> int | None:
        """Build the window's layouts and their prefix sums of heights.

        Returns the first content line that differs from what was laid out before (None:
        nothing changed), for :meth:`_flush` to repaint from there down only.
        """
        offsets = [0]
        running = 0
        first_changed: int | None = None
        for message in self.messages[self._window_start :]:
            layout = self._layout_of(message)
            before = layout.lines
            lines = layout.build(ctx)
            if first_changed is None:
                if running != self._offset_at(len(offsets) - 1):
                    first_changed = running  # moved: an earlier message changed height
                elif lines is not before:
                    difference = _first_difference(before, lines)
                    if difference is not None:
                        first_changed = running + difference
            running += len(lines)
            offsets.append(running)
        if first_changed is None and running != self._offsets[-1]:
            first_changed = running
        self._offsets = offsets
        self._set_virtual_size(Size(self._content_width + GUTTER, running))
        if any(layout.incomplete for layout in self._layouts.values()):
            self._schedule_flush(CATCH_UP_INTERVAL)
        return first_changed

    def _set_virtual_size(self, size: Size) -> None:
        """Set the scrollable size, without a screen layout when only the height grew.

        ``virtual_size`` is a layout reactive: each change lays out and repaints the whole
        screen, and a streaming reply grows by a line every second or so. When the width is
        the same and the scrollbar neither appears nor goes (its column is reserved either
        way: ``scrollbar-gutter: stable``), nothing but the scrollbar's proportions changes,
        so only those are updated.
        """
        old = self.virtual_size
        if old == size:
            return
        viewport = self.scrollable_content_region.height
        shown = self.show_vertical_scrollbar
        if (
            size.width != old.width
            or not old.height
            or (old.height > viewport) != shown
            or (size.height > viewport) != shown
        ):
            self.virtual_size = size
            return
        self.set_reactive(ConversationView.virtual_size, size)
        if shown:
            move_scrollbar(self.vertical_scrollbar, virtual_size=size.height)

    def _offset_at(self, position: int) -> int:
        """Where message ``position`` of the window started in the previous layout."""
        return self._offsets[position] if position < len(self._offsets) else -1

    def hold_repaints(self, seconds: float) -> None:
        """Skip repaints for a moment: the user is typing, and the frame that shows their
        keystroke should not also redraw the whole conversation."""
        self._hold_until = time.monotonic() + seconds

    def _flush(self) -> None:
        """Throttled repaint of changed (streaming) messages."""
        self._flush_timer = None
        held = self._hold_until - time.monotonic()
        if held > 0:
            self._schedule_flush(held)
            return
        self._last_flush = time.monotonic()
        self._changes_since_flush = 0
        at_bottom = self._follow
        height = self._offsets[-1]
        # A reader away from the end keeps their place (scroll_anchor); a view following
        # the stream, the hot path, needs none.
        window = [] if at_bottom else self.messages[self._window_start :]
        anchor = (
            None
            if at_bottom
            else top_anchor(
                window, self._layouts, self._offsets, round(self.scroll_y), self.size.height
            )
        )
        first_changed = self._recompute_offsets(self._layout_context())
        if anchor is not None and first_changed is not None:
            # Lines above the reader changed height (blocks a burst left for later, drawn
            # now): they keep their place.
            top = anchored_top(anchor, window, self._layouts, self._offsets)
            if top is not None and top != round(self.scroll_y):
                self.scroll_to(y=top, animate=False, immediate=True)
        if first_changed is not None:
            # Only the rows from the first changed line down: a delta that lengthens the
            # last line repaints that line, not the screen (a scroll repaints it all anyway).
            bottom = max(height, self._offsets[-1])
            self.refresh_lines(first_changed, max(bottom - first_changed, 1))
            if at_bottom:
                if self._offsets[-1] != height:
                    self.scroll_end(animate=False, immediate=True, x_axis=False)
            else:
                self._set_new_below(True)
        if any(
            (layout.animated and layout.streaming) or layout.tool_clock
            for layout in self._layouts.values()
        ):
            self.message_changed()  # keep spinners and elapsed times moving

    def _load_older(self) -> None:
        """Lay out older messages above the window, keeping the view where it was."""
        if self._window_start == 0:
            return
        ctx = self._layout_context()
        wanted = max(self.size.height, 10) * INITIAL_SCREENS
        added = 0
        start = self._window_start
        while start > 0 and added < wanted:
            start -= 1
            added += len(self._layout_of(self.messages[start]).build(ctx))
        self._window_start = start
        self._recompute_offsets(ctx)
        self.scroll_to(y=self.scroll_y + added, animate=False, immediate=True)
        self.refresh()

    # -- painting --------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Line-API widgets paint their own background: cells without a background would
        # show the terminal's. ``rich_style`` walks the DOM (~0.3 ms), so it is looked up
        # again only after the styles changed (theme, focus tint; Textual says so in
        # notify_style_update), which also empties the styled-line caches.
        if self._frame_style_stale:
            self._frame_style_stale = False
            style = self.rich_style
            if style != self._frame_style:
                self._frame_style = style
                self._gutter_cache.clear()
        self._frame_width = self.scrollable_content_region.width
        return super().render_lines(crop)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._frame_style_stale = True
        self._styled_lines.forget()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        strip = self._line(scroll_y + y)
        width = self._frame_width or self.scrollable_content_region.width
        return strip.crop_extend(scroll_x, scroll_x + width, self._frame_style)

    def _line(self, line_number: int) -> Strip:
        if not self.messages:
            return self._welcome_line(line_number)
        if line_number < 0 or line_number >= self._offsets[-1]:
            return Strip.blank(self._content_width + GUTTER, self._frame_style)
        position = bisect.bisect_right(self._offsets, line_number) - 1
        message = self.messages[self._window_start + position]
        layout = self._layouts.get(message.id)
        if layout is None:  # replaced (retry) since the last layout; relaid out shortly
            return Strip.blank(self._content_width + GUTTER, self._frame_style)
        inner = line_number - self._offsets[position]
        if inner >= len(layout.lines):
            return Strip.blank(self._content_width + GUTTER, self._frame_style)
        strip = layout.lines[inner]
        selected = self.selected == self._window_start + position
        if self._find_needle and inner >= layout.body_start:
            found = self._found_line(strip, message.id, inner, selected)
            if found is not None:
                return found
        key = (id(strip), selected)
        cached = self._gutter_cache.get(key)
        if cached is not None and cached[0] is strip:
            return cached[1]
        gutter = Segment("▎ ", self.layout_styles.gutter_selected) if selected else Segment("  ")
        with_gutter = Strip([gutter, *strip], strip.cell_length + GUTTER).apply_style(
            self._frame_style
        )
        if len(self._gutter_cache) > GUTTER_CACHE_SIZE:
            self._gutter_cache.clear()
        # Keyed by id, with the strip itself kept to rule out a reused id.
        self._gutter_cache[key] = (strip, with_gutter)
        return with_gutter

    def _with_gutter(self, strip: Strip, selected: bool) -> Strip:
        gutter = Segment("▎ ", self.layout_styles.gutter_selected) if selected else Segment("  ")
        return Strip([gutter, *strip], strip.cell_length + GUTTER).apply_style(self._frame_style)

    def _found_line(
        self, strip: Strip, message_id: str, inner: int, selected: bool
    ) -> Strip | None:
        """The line with the find's occurrences painted over it, None if it has none."""
        if self._find_needle not in strip.text.lower():
            return None
        at = self._find_at
        current = at[2] if at is not None and at[:2] == (message_id, inner) else None
        warning = self.layout_styles.warning.color
        painted = highlight(
            strip,
            self._find_needle,
            Style(reverse=True),
            current,
            Style(bgcolor=warning, color="black", bold=True) if warning else Style(bold=True),
        )
        return self._with_gutter(painted, selected)

    def _welcome_line(self, line_number: int) -> Strip:
        """A quiet hint in the middle of an empty conversation."""
        width = self._content_width + GUTTER
        lines = ["", "claude-tui", "", *self.empty_hint.splitlines()]
        top = max((self.scrollable_content_region.height - len(lines)) // 2, 0)
        index = line_number - top
        if not 0 <= index < len(lines):
            return Strip.blank(width, self._frame_style)
        style = self.layout_styles.assistant_label if index == 1 else self.layout_styles.muted
        text = lines[index][:width].center(width)
        return Strip([Segment(text, self._frame_style + style)], width)

    def _message_at_row(self, row: int) -> int | None:
        line_number = int(self.scroll_y) + row
        if line_number < 0 or line_number >= self._offsets[-1]:
            return None
        return self._window_start + bisect.bisect_right(self._offsets, line_number) - 1

    # -- events ----------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def watch_scroll_y(self, old: float, new: float) -> None:
        # As ScrollView's, but the scrollbar is repainted only when its thumb moves.
        if self.show_vertical_scrollbar:
            move_scrollbar(self.vertical_scrollbar, position=new)
        if round(old) != round(new):
            self.refresh(self.size.region)
        follow = new >= self.max_scroll_y
        if self._follow and not follow and any(x.deferred for x in self._layouts.values()):
            self._schedule_flush(0)  # the blocks a burst left for later are wanted now
        self._follow = follow
        if self._follow:
            self._set_new_below(False)
        if new <= 0 and self._window_start > 0:
            self.call_after_refresh(self._load_older)

    def watch_selected(self, old: int | None, new: int | None) -> None:
        self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._message_at_row(event.y)
        self._last_mouse_message = self.messages[index].id if index is not None else None
        if index is not None:
            self.selected = index

    def _set_new_below(self, below: bool) -> None:
        if below != self._new_below:
            self._new_below = below
            self.post_message(self.NewContentBelow(below))

    # -- actions ---------------------------------------------------------------------------

    def _selected_message(self) -> ChatMessage | None:
        if self.selected is None or not self.messages:
            hidden = self.tool_rounds.hidden
            shown = [m for m in self.messages[-2:] if m.id not in hidden]
            return shown[-1] if shown else (self.messages[-1] if self.messages else None)
        return self.messages[min(self.selected, len(self.messages) - 1)]

    def action_select(self, step: int) -> None:
        if not self.messages:
            return
        current = len(self.messages) if self.selected is None else self.selected
        target = max(0, min(len(self.messages) - 1, current + step))
        hidden = self.tool_rounds.hidden
        while hidden and self.messages[target].id in hidden:  # tool results: not drawn
            if not 0 <= target + step < len(self.messages):
                target = current if 0 <= current < len(self.messages) else target - step
                break
            target += step
        while target < self._window_start:
            self._load_older()
        self.selected = target
        top = self._offsets[target - self._window_start]
        bottom = self._offsets[target - self._window_start + 1]
        height = self.scrollable_content_region.height
        if top < self.scroll_y or bottom > self.scroll_y + height:
            self.scroll_to(y=max(0, min(top, bottom - height)), animate=False)

    def action_toggle_thinking(self, message_id: str) -> None:
        layout = self._layouts.get(message_id)
        if layout is None:
            return
        layout.thinking_expanded = not layout._thinking_open(self._layout_context())
        layout.dirty = True
        self._follow = False
        self._recompute_offsets(self._layout_context())
        self.refresh()

    def action_toggle_selected_thinking(self) -> None:
        message = self._selected_message()
        block = self._summary_block
        if message is not None and block is not None and block.anchor_id == message.id:
            self.action_toggle_summary()  # Enter on the last replaced message: the summary
        elif message is not None:
            calls = self._turn_tool_calls(message)
            if calls:
                self._toggle_tool_calls(calls)
            else:
                self.action_toggle_thinking(message.id)

    def _turn_tool_calls(self, message: ChatMessage) -> list[str]:
        """The tool calls of the reply ``message`` belongs to: all the rounds of its turn,
        which read as one reply (from the prompt above to the next prompt)."""
        if message.role != "assistant":
            return []
        index = self.messages.index(message)
        hidden = self.tool_rounds.hidden
        start = index
        while start > 0 and (
            self.messages[start - 1].role == "assistant" or self.messages[start - 1].id in hidden
        ):
            start -= 1
        end = index + 1
        while end < len(self.messages) and (
            self.messages[end].role == "assistant" or self.messages[end].id in hidden
        ):
            end += 1
        calls: list[str] = []
        for turn_message in self.messages[start:end]:
            layout = self._layouts.get(turn_message.id)
            if layout is not None:
                calls.extend(layout.tool_call_ids)
        return calls

    def action_copy_code(self, index: int) -> None:
        if self._last_mouse_message is not None:
            self.post_message(self.Action("copy_code", self._last_mouse_message, index))

    def action_retry(self, message_id: str) -> None:
        self.post_message(self.Action("retry", message_id))

    def action_continue_reply(self, message_id: str) -> None:
        self.post_message(self.Action("continue", message_id))

    def action_page_version(self, message_id: str, step: int) -> None:
        self.post_message(self.Action("version", message_id, step))

    def _post_for_selected(self, kind: str) -> None:
        message = self._selected_message()
        if message is not None:
            self.post_message(self.Action(kind, message.id))

    def action_copy_selected(self) -> None:
        self._post_for_selected("copy")

    def action_edit_selected(self) -> None:
        self._post_for_selected("edit")

    def action_retry_selected(self) -> None:
        self._post_for_selected("retry")

    def action_delete_selected(self) -> None:
        self._post_for_selected("delete")

    def action_view_thinking(self) -> None:
        self._post_for_selected("view_thinking")

    def action_load_all_and_top(self) -> None:
        while self._window_start > 0:
            self._load_older()
        self._follow = False
        self.scroll_home(animate=False)

    def action_jump_bottom(self) -> None:
        self.scroll_to_bottom()


def _first_difference(before: list[Strip], after: list[Strip]) -> int | None:
    """The index of the first line that differs, None if none does (compared by identity,
    then by content: a block rendered once keeps its strips, the header and the open block
    are drawn afresh)."""
    for index, (old, new) in enumerate(zip(before, after, strict=False)):
        if old is not new and old != new:
            return index
    if len(before) == len(after):
        return None
    return min(len(before), len(after))
