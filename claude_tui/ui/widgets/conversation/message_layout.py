"""The lines of one message: header, thinking, reply blocks, error card and footer.

A layout is rebuilt only when its message changed, the width changed, a toggle flipped or
a spinner on it moves. While a reply streams, the layout asks the message for the text
appended since its last frame (:meth:`ChatMessage.text_since`) and feeds just that to an
:class:`IncrementalBlockSplitter`: finished blocks come from the renderer's cache and only
the open block is parsed again, so a refresh costs the same at token 20,000 as at token 20,
and nothing joins or compares the whole reply.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from claude_tui.chat_message import ChatMessage, MessageStatus, TextMark, Usage
from claude_tui.pricing.price_table import format_cost
from claude_tui.terminal_text import safe_for_terminal
from claude_tui.ui.rendering.block_render import BlockRenderer
from claude_tui.ui.rendering.grouped_list import render_grouped_list
from claude_tui.ui.rendering.markdown_blocks import (
    Block,
    IncrementalBlockSplitter,
    estimated_height,
)
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
from claude_tui.ui.widgets.conversation.summary_block import DIMMED, SummaryBlock, summary_lines
from claude_tui.ui.widgets.conversation.tool_rounds import ToolRounds
from claude_tui.wire import CHARS_PER_TOKEN

SPINNER_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


@dataclass
class LayoutContext:
    """What every layout needs to draw itself, shared by the whole view."""

    width: int
    renderer: BlockRenderer
    styles: LayoutStyles
    expand_all_thinking: bool
    now: float
    cost_of: Callable[[ChatMessage], float | None]
    status_notes: dict[str, str]
    deadline: float | None = None  # monotonic time by which a refresh should stop rendering
    dividers: dict[str, str] | None = None  # message id -> a line drawn above it (a cut)
    summary: SummaryBlock | None = None  # /compact: drawn after the last message it replaced
    dimmed: frozenset[str] = frozenset()  # ids of the messages the summary replaced
    alert_of: Callable[[ChatMessage], str | None] | None = None
    """The flag under a finished reply past its profile's alerts (``alert_tokens``)."""
    tools: ToolRounds | None = None  # tool calls' states and results; the rounds of a turn
    follow_lines: int | None = None
    """While a reply streams into a view that follows its end, the closed blocks this many
    lines or more above the end wait for the reply to end (None: draw them all, within
    ``deadline``): the view shows only the last screen, and rendering the rest took most
    of the loop in a burst, so the reply itself came in later."""


class MessageLayout:
    """Cached lines for one :class:`ChatMessage`."""

    def __init__(self, message: ChatMessage) -> None:
        self.message = message
        self.thinking_expanded: bool | None = None  # None: follow the view-wide toggle
        self.lines: list[Strip] = []
        self.code_blocks: list[str] = []
        self.body_start = 0  # lines before the message's text (divider, header)
        self.summary_start = -1  # where the /compact summary block starts (-1: none here)
        self.dirty = True
        self._key: tuple[object, ...] | None = None
        self._splitter = IncrementalBlockSplitter()
        self._text_mark: TextMark | None = None  # how far the splitter has been fed
        self._thinking_mark: TextMark | None = None
        self._thinking_text = ""  # the thinking as of ``_thinking_mark`` (read when shown)
        self._thinking_lines: list[Strip] = []
        self._thinking_key: tuple[object, ...] | None = None  # what they were drawn for
        self.animated = False  # a spinner or a running clock is on show: redraw on a timer
        self._block_lines: list[list[Strip] | None] = []  # per closed block; None: not yet
        self._unfinished_blocks: set[int] = set()  # drawn in part (a list's groups), so far
        self._estimated_heights: dict[int, int] = {}  # closed blocks not drawn yet, by index
        self._closed_lines: list[Strip] = []  # closed blocks joined, blank lines between
        self._closed_dirty = True
        self._closed_key: tuple[int, int] = (0, 0)  # (width, renderer) they were drawn for
        self.incomplete = False  # closed blocks still waiting to be rendered
        self.deferred = False  # closed blocks waiting for the reply's end (``follow_lines``)
        self._streamed = False  # seen streaming in this process (not loaded from history)
        self._renderer: BlockRenderer | None = None
        self._header_key: tuple[object, ...] | None = None
        self._header_lines: list[Strip] = []
        self._open_key: tuple[object, ...] | None = None  # the open block as last drawn
        self._open_lines: list[Strip] = []
        self.tool_clock = False  # a running tool call's elapsed time is on show
        self.tool_call_ids: list[str] = []  # the calls drawn under the reply, in order
        self._tools_key: tuple[object, ...] | None = None
        self._tools_lines: list[Strip] = []
        self._server_key: tuple[object, ...] | None = None  # Claude's server tools, as drawn
        self._server_lines: list[Strip] = []
        self._cited_key: tuple[object, ...] | None = None  # a reply with citations, as drawn
        self._cited_lines: list[Strip] = []
        self._cited_codes: list[str] = []

    @property
    def streaming(self) -> bool:
        """True while the reply is still arriving."""
        return self.message.status == MessageStatus.STREAMING

    def build(self, ctx: LayoutContext) -> list[Strip]:
        """The message's lines at ``ctx.width``; cheap when nothing changed.

        Returns the same list object as last time when nothing changed, so a caller can
        tell a frame that needs painting from one that does not.
        """
        expanded = self._thinking_open(ctx)
        divider = ctx.dividers.get(self.message.id) if ctx.dividers else None
        summary = ctx.summary if ctx.summary and ctx.summary.anchor_id == self.message.id else None
        dimmed = self.message.id in ctx.dimmed
        tools = ctx.tools
        message_id = self.message.id
        hidden = tools is not None and message_id in tools.hidden
        continued = tools is not None and message_id in tools.continued
        ended = tools is not None and message_id in tools.ended
        key = (
            ctx.width,
            id(ctx.styles),
            id(ctx.renderer),
            expanded,
            self.message.status,
            divider,
            dimmed,
            summary.key if summary else None,
            hidden,
            continued,
            ended,
        )
        spinning = self.animated and self.streaming
        if (
            not self.dirty
            and not self.incomplete
            and not (self.deferred and ctx.follow_lines is None)  # the view stopped following
            and key == self._key
            and not spinning
            and (not self.tool_clock or self._tools_same(ctx))  # a tool's clock: by the second
        ):
            return self.lines
        self._key = key
        self.dirty = False
        self.animated = False
        self.tool_clock = False
        self._renderer = ctx.renderer
        lines: list[Strip] = []
        self.code_blocks = []
        if hidden:  # a round's tool results: shown under the calls they answer
            self.body_start = 0
            self.summary_start = -1
            self.lines = lines
            return lines
        if divider:
            lines.append(_divider_line(divider, ctx.width, ctx.styles.muted))
            lines.append(Strip.blank(ctx.width))
        if not continued:  # a later round of a tool turn goes on under the same header
            lines.extend(self._header(ctx))
        self.body_start = len(lines)
        if self.message.role == "user":
            lines.extend(self._attachment_chips(ctx))
            lines.extend(self._plain(self.message.text, ctx.width, ctx.styles.text))
        else:
            thinking = self._thinking(ctx, expanded)
            reply = self._reply(ctx)
            lines.extend(thinking)
            if thinking and reply and expanded:
                lines.append(Strip.blank(ctx.width))  # air between a long thought and the answer
            lines.extend(reply)
            server = self._server_tools(ctx)
            if server and (reply or thinking):
                lines.append(Strip.blank(ctx.width))
            lines.extend(server)
            calls = self._tool_calls(ctx)
            if calls and (reply or thinking):
                lines.append(Strip.blank(ctx.width))
            lines.extend(calls)
            if not (ended and self.message.status == MessageStatus.COMPLETE):
                lines.extend(self._footer(ctx))  # a round answered below: the last one says
        lines.append(Strip.blank(ctx.width))
        if dimmed:  # replaced by the summary: shown, not sent
            lines = [line.apply_style(DIMMED) for line in lines]
        self.summary_start = len(lines) if summary else -1
        if summary:
            lines.extend(
                summary_lines(summary, ctx.width, ctx.styles, ctx.renderer, self._text_lines)
            )
        self.lines = lines
        return lines

    # -- parts -----------------------------------------------------------------------------

    def _header(self, ctx: LayoutContext) -> list[Strip]:
        """The "You" / model · profile line; wrapped once per width and theme, not on
        every streamed frame."""
        key = (ctx.width, id(ctx.styles), self.message.model, self.message.profile)
        if key != self._header_key:
            self._header_key = key
            self._header_lines = self._header_text(ctx)
        return self._header_lines

    def _header_text(self, ctx: LayoutContext) -> list[Strip]:
        styles = ctx.styles
        if self.message.role == "user":
            text = Text("You", style=styles.user_label)
        else:
            # A reply is labelled by the model that wrote it (as the endpoint named it:
            # outside text) and the profile it came through; a relay may serve GPT or Llama.
            model = safe_for_terminal(self.message.model or "") or "Assistant"
            text = Text(model, style=styles.assistant_label)
            if self.message.profile:
                text.append(f" · {safe_for_terminal(self.message.profile)}", style=styles.muted)
        return self._text_lines(text, ctx.width)

    def _thinking_open(self, ctx: LayoutContext) -> bool:
        if self.thinking_expanded is not None:
            return self.thinking_expanded
        return ctx.expand_all_thinking

    def _thinking(self, ctx: LayoutContext, expanded: bool) -> list[Strip]:
        message = self.message
        styles = ctx.styles
        redacted = sum(1 for b in message.content if b.get("type") == "redacted_thinking")
        length = message.thinking_length  # kept by the message: no join, no re-count
        lines: list[Strip] = []
        if length:
            tokens = _tokens_for_length(length)
            live = self.streaming and not message.text_length
            if live:
                self.animated = True
                elapsed = _elapsed_since(message, ctx.now)
                frame = SPINNER_FRAMES[int(ctx.now * 10) % len(SPINNER_FRAMES)]
                summary = Text(f"{frame} Thinking… {elapsed:.0f} s · ~{_short(tokens)} tokens")
                summary.stylize(styles.thinking_summary)
                lines.extend(self._text_lines(summary, ctx.width))
                lines.extend(self._thinking_body(ctx))
            else:
                seconds = (message.thinking_ms or message.duration_ms or 0) / 1000
                took = f"Thought for {seconds:.0f} s" if seconds >= 1 else "Thought"
                marker = "▾" if expanded else "▸"
                summary = Text(
                    f"{marker} {took}, ~{_short(tokens)} tokens", style=styles.thinking_summary
                )
                summary.stylize(
                    Style(meta={"@click": f"toggle_thinking('{message.id}')"}), 0, len(summary)
                )
                lines.extend(self._text_lines(summary, ctx.width))
                if expanded:
                    lines.extend(self._thinking_body(ctx))
        if redacted:
            note = Text(
                f"▪ {redacted} redacted thinking block{'s' if redacted > 1 else ''} "
                "(encrypted by the API; sent back unchanged)",
                style=styles.thinking_summary,
            )
            lines.extend(self._text_lines(note, ctx.width))
        return lines

    def _thinking_body(self, ctx: LayoutContext) -> list[Strip]:
        """The thinking text's lines, drawn again only when thinking arrived (or the width
        or theme changed), not on every spinner frame."""
        since = self.message.text_since(self._thinking_mark, "thinking")
        self._thinking_mark = since.mark
        if since.restarted:
            self._thinking_text = since.text
        elif since.text:
            self._thinking_text += since.text
        key = (since.mark, ctx.width, id(ctx.renderer), id(ctx.styles))
        if key != self._thinking_key:
            self._thinking_key = key
            self._thinking_lines = self._plain(
                self._thinking_text, ctx.width, ctx.styles.thinking, indent=2
            )
        return self._thinking_lines

    def _reply(self, ctx: LayoutContext) -> list[Strip]:
        """Reply blocks: closed ones rendered once and kept, the open one each time.

        While a reply streams, closed blocks are rendered newest first within
        ``ctx.deadline``; a block not rendered yet stands as blank lines of its estimated
        height (``incomplete`` brings the view back at once to finish). A view that follows
        the stream only ever shows the newest lines, so a 20,000-token burst paints its last
        screen without first rendering everything above it, and never blocks the loop.

        Only the text appended since the last frame is fed to the splitter. The message
        says when its text changed otherwise (an edit, a trim, a reply loaded from disk):
        then the splitter starts over on the whole text.
        """
        if not self.streaming and _cites(self.message.content):
            return self._cited_reply(ctx)
        since = self.message.text_since(self._text_mark)
        self._text_mark = since.mark
        fresh = since.text
        # A finished reply that grows again (/continue) cannot be appended to: split afresh.
        resumed = self._splitter.finished and bool(since.text) and not since.restarted
        if since.restarted or resumed or self._closed_key != (ctx.width, id(ctx.renderer)):
            if since.restarted or resumed:
                self._splitter = IncrementalBlockSplitter()
                fresh = since.text if since.restarted else self.message.text
            self._block_lines = []
            self._unfinished_blocks = set()
            self._estimated_heights = {}
            self._closed_lines = []
            self._closed_dirty = True
            self._closed_key = (ctx.width, id(ctx.renderer))
        if fresh:
            self._splitter.append(fresh)
        if not self.streaming and not self._splitter.finished:
            self._splitter.finish()
        closed = self._splitter.closed_blocks
        while len(self._block_lines) < len(closed):
            self._block_lines.append(None)
            self._closed_dirty = True
        # Only a reply that is arriving (or catching up) renders on a budget: a finished
        # message from history is rendered whole so a resumed session opens complete.
        # A reply that streamed here stays on the budget after it completes: if the UI fell
        # behind, its unrendered blocks are finished over a few frames, not in one stall.
        self._streamed = self._streamed or self.streaming
        budgeted = ctx.deadline is not None and (self._streamed or self.incomplete)
        self.incomplete = False
        self.deferred = False
        follow_lines = ctx.follow_lines if self.streaming else None
        code_numbers = self._code_numbers(closed)
        self.code_blocks = [b.text for b in closed if b.kind == "code"]
        # The open block first: it is what a view following the stream shows, and it
        # spends the frame's budget before the closed blocks still waiting do.
        open_block = self._splitter.open_block
        open_lines = (
            self._render_open_block(open_block, ctx, len(self.code_blocks), budgeted)
            if open_block is not None
            else []
        )
        below = len(open_lines)  # lines between a block and the reply's end, so far
        for index in range(len(closed) - 1, -1, -1):  # newest first: nearest the viewport
            if follow_lines is not None and below >= follow_lines:
                self.deferred = None in self._block_lines[: index + 1] or any(
                    unfinished <= index for unfinished in self._unfinished_blocks
                )
                break
            drawn = self._block_lines[index]
            if drawn is not None and index not in self._unfinished_blocks:
                below += len(drawn) + 1
                continue
            if budgeted and ctx.deadline is not None and time.monotonic() > ctx.deadline:
                self.incomplete = True
                break
            lines, final = self._draw_block(closed[index], ctx, code_numbers[index], budgeted)
            below += len(lines) + 1
            self._block_lines[index] = lines
            self._closed_dirty = True
            if not final:  # a long list's older groups wait for the next frame
                self._unfinished_blocks.add(index)
                self.incomplete = True
                break
            self._unfinished_blocks.discard(index)
        if self._closed_dirty:
            self._closed_lines = self._join_blocks(closed, ctx.width)
            self._closed_dirty = False
        lines = list(self._closed_lines)
        if open_block is not None:
            if lines:
                lines.append(Strip.blank(ctx.width))
            lines.extend(open_lines)
            if open_block.kind == "code":
                self.code_blocks.append(open_block.text)
        return lines

    @staticmethod
    def _code_numbers(blocks: Sequence[Block]) -> list[int]:
        """Each block's code-block number (its copy label's index)."""
        numbers: list[int] = []
        count = 0
        for block in blocks:
            numbers.append(count)
            if block.kind == "code":
                count += 1
        return numbers

    def _join_blocks(self, blocks: Sequence[Block], width: int) -> list[Strip]:
        """Closed blocks one blank line apart; unrendered ones as estimated blank lines."""
        lines: list[Strip] = []
        blank = Strip.blank(width)
        for index, block in enumerate(blocks):
            if index:
                lines.append(blank)
            rendered = self._block_lines[index]
            if rendered is None:  # its estimate, worked out once: this runs every frame
                height = self._estimated_heights.get(index)
                if height is None:
                    height = self._estimated_heights[index] = estimated_height(block, width)
                lines.extend([blank] * height)
            else:
                lines.extend(rendered)
        return lines

    def _render_open_block(
        self, block: Block, ctx: LayoutContext, code_number: int, budgeted: bool
    ) -> list[Strip]:
        """The open block; a long list still streaming in cached groups (``grouped_list``)
        so that a frame renders its newest items only. A frame that brought nothing new
        to it (a spinner's, a thinking block's) draws nothing again."""
        key = (block, ctx.width, id(ctx.renderer), code_number)
        if key != self._open_key:
            self._open_lines, final = self._draw_block(block, ctx, code_number, budgeted)
            self._open_key = key if final else None
            if not final:
                self.incomplete = True
        return self._open_lines

    def _draw_block(
        self, block: Block, ctx: LayoutContext, code_number: int, budgeted: bool
    ) -> tuple[list[Strip], bool]:
        """A reply block's lines, and False while some of them are placeholders: a long
        list whose older groups wait for a later frame (``grouped_list``, ``budgeted``)."""
        if block.kind == "code":
            return ctx.renderer.render(block, ctx.width, code_index=code_number), True
        deadline = ctx.deadline if budgeted else None
        grouped = render_grouped_list(block, ctx.renderer, ctx.width, deadline)
        if grouped is not None:
            return grouped.lines, grouped.final
        return ctx.renderer.render(block, ctx.width), True

    def _attachment_chips(self, ctx: LayoutContext) -> list[Strip]:
        """One line per attachment the prompt carried, as its chip read before sending."""
        attached = [b for b in self.message.content if b.get("type") == "attachment"]
        if not attached:
            return []
        from claude_tui.ui.widgets.composer_attachments import chip_label

        lines: list[Strip] = []
        for block in attached:
            # A file name is outside text: no control sequences reach the terminal.
            text = Text(safe_for_terminal(chip_label(block)), style=ctx.styles.muted)
            lines.extend(self._text_lines(text, ctx.width))
        return lines

    def _tool_calls(self, ctx: LayoutContext) -> list[Strip]:
        """A compact block per tool call (see ``tool_call_block``), drawn again only when a
        call's state, result or fold changed, or a running call's clock moved a second."""
        blocks = self._tool_blocks()
        if not blocks:
            self.tool_call_ids = []
            return []
        rounds = ctx.tools if ctx.tools is not None else ToolRounds()
        self.tool_call_ids = [str(block.get("id", "")) for block in blocks]
        key = self._tools_key_for(blocks, rounds, ctx)
        self.tool_clock = any(
            (live := rounds.live.get(call_id)) is not None and live.event.state == "running"
            for call_id in self.tool_call_ids
        )
        if key != self._tools_key:
            self._tools_key = key
            lines: list[Strip] = []
            for block in blocks:
                lines.extend(self._tool_call(block, rounds, ctx))
            self._tools_lines = lines
        return self._tools_lines

    def _tool_blocks(self) -> list[Mapping[str, Any]]:
        return [b for b in self.message.content if b.get("type") == "tool_use"]

    def _server_tools(self, ctx: LayoutContext) -> list[Strip]:
        """Claude's server tool calls with what they found, and the cited sources (see
        ``server_tool_block``, loaded with the first reply that has them)."""
        content = self.message.content
        if not _has_server_blocks(content):
            return []
        from claude_tui.ui.widgets.conversation import server_tool_block

        key = (ctx.width, id(ctx.styles), self.streaming, server_tool_block.drawing_key(content))
        if key != self._server_key:
            self._server_key = key
            self._server_lines = server_tool_block.server_tool_lines(
                content, ctx.styles, ctx.width, self._text_lines, streaming=self.streaming
            )
        return self._server_lines

    def _cited_reply(self, ctx: LayoutContext) -> list[Strip]:
        """A finished reply that cites sources: its text with ``[n]`` after each cited
        passage, drawn whole (the numbers come when the reply is complete)."""
        from claude_tui.ui.widgets.conversation import server_tool_block as server

        content = self.message.content
        text = server.cited_text(content, server.numbered_sources(content))
        key = (ctx.width, id(ctx.renderer), text)
        if key != self._cited_key:
            self._cited_key = key
            self._cited_lines, self._cited_codes = server.cited_reply_lines(
                text,
                ctx.width,
                lambda block, number: self._draw_block(block, ctx, number, False)[0],
            )
        self.code_blocks = list(self._cited_codes)
        return self._cited_lines

    def _tools_key_for(
        self, blocks: Sequence[Mapping[str, Any]], rounds: ToolRounds, ctx: LayoutContext
    ) -> tuple[object, ...]:
        from claude_tui.ui.widgets.conversation.tool_call_block import block_key  # first call

        return (
            ctx.width,
            id(ctx.styles),
            id(ctx.renderer),
            self.streaming,
            self.message.id in rounds.active,
            block_key(blocks, rounds, ctx.now),
        )

    def _tools_same(self, ctx: LayoutContext) -> bool:
        """Whether the tool calls would be drawn as last time (a running call's clock ticks
        by the second; the frames between draw nothing)."""
        rounds = ctx.tools if ctx.tools is not None else ToolRounds()
        return self._tools_key == self._tools_key_for(self._tool_blocks(), rounds, ctx)

    def _tool_call(
        self, block: Mapping[str, Any], rounds: ToolRounds, ctx: LayoutContext
    ) -> list[Strip]:
        from claude_tui.ui.widgets.conversation.tool_call_block import CallState, call_lines

        return call_lines(
            block,
            rounds,
            ctx.styles,
            ctx.width,
            CallState(self.streaming, self.message.id in rounds.active, ctx.now),
            self._text_lines,
            self._plain,
        )

    def _footer(self, ctx: LayoutContext) -> list[Strip]:
        message = self.message
        styles = ctx.styles
        note = ctx.status_notes.get(message.id)
        # A regenerated reply: "‹ 2/3 ›", its arrows clickable, ahead of the rest.
        pager = Text()
        if message.version_count > 1:
            for arrow, step in (("‹", -1), ("›", 1)):
                click = Style(meta={"@click": f"page_version('{message.id}', {step})"})
                pager.append(arrow, style=styles.action + click)
                if step < 0:
                    number = f" {message.version + 1}/{message.version_count} "
                    pager.append(number, style=styles.muted)
            pager.append("  ")
        if self.streaming:
            if message.text_length or message.thinking_length:
                return []
            self.animated = True
            elapsed = _elapsed_since(message, ctx.now)
            frame = SPINNER_FRAMES[int(ctx.now * 10) % len(SPINNER_FRAMES)]
            wait = Text(f"{frame} {note or 'Waiting for the first token…'} {elapsed:.1f} s")
            wait.stylize(styles.muted)
            return self._text_lines(wait, ctx.width)
        if message.status == MessageStatus.ERROR:
            card = self._error_card(ctx)
            return [*card, *self._text_lines(pager, ctx.width)] if pager else card
        if message.status == MessageStatus.INTERRUPTED:
            text = pager.copy()
            text.append("⚠ partial reply", style=styles.warning)
            if message.error:
                text.append(f" — {safe_for_terminal(message.error)}", style=styles.muted)
            text.append("   ")
            text.append_text(_action("continue", f"continue_reply('{message.id}')", styles))
            text.append("  ")
            text.append_text(_action("retry", f"retry('{message.id}')", styles))
            return self._text_lines(text, ctx.width)
        stats = Text(_stats(message, ctx.cost_of(message)), style=styles.muted)
        alert = ctx.alert_of(message) if ctx.alert_of is not None else None
        if alert:  # once per finished reply: the footer is cached with the layout
            stats.append(f"  {alert}", style=styles.warning)
        if message.error:  # a note on a complete reply: paused by the server, a tool limit
            stats.append(f"  {safe_for_terminal(message.error)}", style=styles.warning)
        return self._text_lines(Text.assemble(pager, stats) if pager else stats, ctx.width)

    def _error_card(self, ctx: LayoutContext) -> list[Strip]:
        styles = ctx.styles
        error = safe_for_terminal(self.message.error or "") or "The request failed."
        body = Text(error, style=styles.error_text)  # errors quote the server: outside text
        if self.message.request_id and self.message.request_id not in body.plain:
            body.append(f"\nrequest-id {self.message.request_id}", style=styles.muted)
        if not self.message.text_length:  # the prompt above got no reply: say what becomes of it
            fate = (
                "Your message above was refused, so it is left out of later requests; "
                "retry or edit it to send it again."
                if self.message.refused
                else "Your message above got no reply; it goes along with your next message."
            )
            body.append(f"\n{fate}", style=styles.muted)
        body.append("\n")
        body.append_text(_action("retry", f"retry('{self.message.id}')", styles))
        body.append("  ")
        body.append_text(_action("switch profile", "app.pick_profile", styles))
        if self.message.text_length:
            body.append("  ")
            body.append_text(_action("continue", f"continue_reply('{self.message.id}')", styles))
        panel = Panel(body, title="Error", title_align="left", border_style=styles.error_border)
        return ctx.renderer.render_renderable(panel, ctx.width)

    # -- helpers ---------------------------------------------------------------------------

    def _plain(self, text: str, width: int, style: Style, *, indent: int = 0) -> list[Strip]:
        if not text:
            return []
        rendered = self._renderer_plain(text, max(width - indent, 10), style)
        if not indent:
            return rendered
        pad = Segment(" " * indent)
        return [Strip([pad, *line], line.cell_length + indent) for line in rendered]

    def _renderer_plain(self, text: str, width: int, style: Style) -> list[Strip]:
        assert self._renderer is not None
        return self._renderer.render_plain_lines(text, width, style)

    @staticmethod
    def _text_lines(text: Text, width: int) -> list[Strip]:
        lines = text.wrap(_CONSOLE, width)
        return [Strip(list(line.render(_CONSOLE)), line.cell_len) for line in lines]


def _has_server_blocks(content: Sequence[Mapping[str, Any]]) -> bool:
    """A server tool's call or result (``*_tool_result``), or cited text: cheap, by name."""
    for block in content:
        kind = str(block.get("type", ""))
        if kind == "server_tool_use" or kind.endswith("_tool_result") or block.get("citations"):
            return True
    return False


def _cites(content: Sequence[Mapping[str, Any]]) -> bool:
    return any(block.get("citations") for block in content if block.get("type") == "text")


def _divider_line(words: str, width: int, style: Style) -> Strip:
    """``── words ──`` across the width (the words cut short on a narrow view)."""
    label = f" {words} "[: max(width - 4, 0)]
    left = max((width - len(label)) // 2, 0)
    line = ("─" * left + label).ljust(width, "─")[:width]
    return Strip([Segment(line, style)], width)


def _action(label: str, action: str, styles: LayoutStyles) -> Text:
    return Text(f"[{label}]", style=styles.action + Style(meta={"@click": action}))


def _elapsed_since(message: ChatMessage, now_monotonic: float) -> float:
    # ``created`` is wall-clock time; the argument keeps call sites honest about "now".
    return max(time.time() - message.created, 0.0)


def _tokens_for_length(length: int) -> int:
    """``estimate_text_tokens`` of a text ``length`` characters long, from the length the
    message keeps, so a long thought is not joined and counted again each frame."""
    return int(length / CHARS_PER_TOKEN + 0.999) if length else 0


def _short(tokens: int) -> str:
    return f"{tokens / 1000:.1f}k" if tokens >= 1000 else str(tokens)


def _stats(message: ChatMessage, cost: float | None) -> str:
    parts: list[str] = []
    if message.failover:  # another profile answered: say so before the figures
        parts.append(f"↪ {safe_for_terminal(message.failover)}")
    if message.key_position is not None:
        parts.append(f"key {message.key_position}")
    if message.ttft_ms is not None:
        parts.append(f"first token {message.ttft_ms / 1000:.2f} s")
    usage = message.usage
    if usage is not None and usage.output_tokens:
        if message.duration_ms and message.ttft_ms is not None:
            streaming_s = (message.duration_ms - message.ttft_ms) / 1000
            if streaming_s > 0.05:
                parts.append(f"{usage.output_tokens / streaming_s:.0f} tok/s")
        parts.append(f"{usage.total_input_tokens:,} in · {usage.output_tokens:,} out")
    if usage is not None:
        parts.extend(_cache_stats(usage))
    if cost is not None:
        parts.append(format_cost(cost))
    return " · ".join(parts)


def _cache_stats(usage: Usage) -> list[str]:
    """The prompt cache's share of a reply's input: read back ("12.3k cached", billed at a
    tenth of the input price) and written for the next turn ("4.1k to cache")."""
    parts: list[str] = []
    if usage.cache_read_input_tokens:
        parts.append(f"{_short(usage.cache_read_input_tokens)} cached")
    if usage.cache_creation_input_tokens:
        parts.append(f"{_short(usage.cache_creation_input_tokens)} to cache")
    return parts


_CONSOLE = Console(
    file=io.StringIO(), width=200, color_system="truecolor", force_terminal=True, _environ={}
)  # only wraps short one-line Texts (headers, summaries); blocks go through BlockRenderer
