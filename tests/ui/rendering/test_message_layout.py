"""MessageLayout while a reply streams: it draws only what the message says was appended,
and still draws the right thing when the text changed some other way."""

from __future__ import annotations

import json
import time
from dataclasses import replace

from textual.strip import Strip
from textual.theme import BUILTIN_THEMES

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.ui.rendering import DARK_THEME, LIGHT_THEME, BlockRenderer
from claude_tui.ui.rendering.markdown_blocks import Block
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
from claude_tui.ui.widgets.conversation.message_layout import LayoutContext, MessageLayout
from claude_tui.wire.accumulator import MessageAccumulator
from claude_tui.wire.events import MessageStopped, TextDelta, ThinkingDelta
from claude_tui.wire.token_estimate import estimate_text_tokens

STYLES = LayoutStyles.from_theme(BUILTIN_THEMES["textual-dark"])
DARK = BlockRenderer(DARK_THEME)
LIGHT = BlockRenderer(LIGHT_THEME)

REPLY = (
    "# Title\n\nA first paragraph that runs long enough to wrap at a narrow width, "
    "more than once.\n\n- one\n- two\n\n```python\nprint('hi')\n```\n\nThe end."
)


def context(width: int = 60, renderer: BlockRenderer = DARK) -> LayoutContext:
    return LayoutContext(
        width=width,
        renderer=renderer,
        styles=STYLES,
        expand_all_thinking=False,
        now=0.0,
        cost_of=lambda message: None,
        status_notes={},
    )


def texts(lines: list[Strip]) -> list[str]:
    return [line.text.rstrip() for line in lines]


def shows(lines: list[Strip], words: str) -> bool:
    return any(words in line for line in texts(lines))


def fresh(message: ChatMessage, ctx: LayoutContext) -> list[str]:
    """What a new layout draws for the message as it is now."""
    return texts(MessageLayout(message).build(ctx))


def deltas(text: str, size: int = 7) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def stream(layout: MessageLayout, acc: MessageAccumulator, text: str, ctx: LayoutContext) -> None:
    """Apply ``text`` delta by delta, drawing a frame after each as the view would."""
    for piece in deltas(text):
        acc.apply(TextDelta(0, piece))
        layout.dirty = True
        layout.build(ctx)


class CountingMessage(ChatMessage):
    """Counts how often the whole reply or thinking is joined."""

    joins = 0

    @property
    def text(self) -> str:
        CountingMessage.joins += 1
        return super().text

    @property
    def thinking_text(self) -> str:
        CountingMessage.joins += 1
        return super().thinking_text


def test_a_streamed_reply_is_drawn_without_joining_it_again() -> None:
    CountingMessage.joins = 0
    message = CountingMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    layout = MessageLayout(message)
    ctx = context()
    for piece in deltas(REPLY * 3):
        acc.apply(ThinkingDelta(0, "hmm ")) if not message.content else None
        acc.apply(TextDelta(1, piece))
        layout.dirty = True
        layout.build(ctx)
    assert CountingMessage.joins == 0
    assert texts(layout.lines) == fresh(message, ctx)


def test_the_lines_match_a_fresh_layout_at_every_step() -> None:
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    layout = MessageLayout(message)
    ctx = context()
    for piece in deltas(REPLY, 11):
        acc.apply(TextDelta(0, piece))
        layout.dirty = True
        assert texts(layout.build(ctx)) == fresh(message, ctx)
    acc.apply(MessageStopped())
    layout.dirty = True
    assert texts(layout.build(ctx)) == fresh(message, ctx)
    assert shows(layout.lines, "The end.")


def test_a_frame_with_nothing_new_reuses_the_lines() -> None:
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    layout = MessageLayout(message)
    ctx = context()
    acc.apply(TextDelta(0, "Some text"))
    lines = layout.build(ctx)
    assert layout.build(ctx) is lines  # still streaming, but nothing changed: no redraw
    acc.apply(TextDelta(0, " and more"))
    layout.dirty = True
    assert layout.build(ctx) is not lines


def test_the_wait_for_the_first_token_keeps_its_spinner_moving() -> None:
    message = ChatMessage(role="assistant", content=[], status=MessageStatus.STREAMING)
    layout = MessageLayout(message)
    lines = layout.build(context())
    later = LayoutContext(**{**context().__dict__, "now": 0.5})
    assert texts(layout.build(later)) != texts(lines)


def test_text_replaced_under_the_layout_is_drawn_anew() -> None:
    message = ChatMessage(role="assistant", content=[{"type": "text", "text": "Old answer."}])
    layout = MessageLayout(message)
    ctx = context()
    layout.build(ctx)
    message.content[0]["text"] = "New answer."  # an edit or a regenerate in place
    layout.dirty = True
    drawn = layout.build(ctx)
    assert shows(drawn, "New answer.")
    assert not shows(drawn, "Old answer.")
    message.content = [{"type": "text", "text": "Short"}]  # shorter, a new list
    layout.dirty = True
    assert texts(layout.build(ctx)) == fresh(message, ctx)


def test_continue_grows_a_finished_reply() -> None:
    message = ChatMessage(role="assistant", content=[{"type": "text", "text": REPLY[:40]}])
    layout = MessageLayout(message)
    ctx = context()
    layout.build(ctx)  # drawn finished: its splitter is closed
    acc = MessageAccumulator(message, continue_text=True)
    stream(layout, acc, REPLY[40:], ctx)
    acc.apply(MessageStopped())
    layout.dirty = True
    assert message.text == REPLY
    assert texts(layout.build(ctx)) == fresh(message, ctx)


def test_a_width_change_mid_stream_redraws_at_the_new_width() -> None:
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    layout = MessageLayout(message)
    stream(layout, acc, REPLY[:60], context(60))
    narrow = context(30)
    assert texts(layout.build(narrow)) == fresh(message, narrow)
    stream(layout, acc, REPLY[60:], narrow)
    assert texts(layout.lines) == fresh(message, narrow)


def test_a_theme_change_redraws_with_the_new_renderer() -> None:
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    layout = MessageLayout(message)
    stream(layout, acc, REPLY, context())
    dark = layout.lines
    light = context(renderer=LIGHT)
    lines = layout.build(light)
    expected = MessageLayout(message).build(light)
    assert lines == expected
    assert lines != dark


def test_a_reply_loaded_from_disk_is_drawn_whole() -> None:
    saved = ChatMessage(role="assistant", content=[{"type": "text", "text": REPLY}]).to_json()
    message = ChatMessage.from_json(json.loads(json.dumps(saved)))
    drawn = MessageLayout(message).build(context())
    assert shows(drawn, "The end.")
    assert shows(drawn, "print('hi')")


def test_the_thinking_estimate_follows_the_stream() -> None:
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    layout = MessageLayout(message)
    ctx = context()
    for piece in deltas("Considering the question carefully. " * 40):
        acc.apply(ThinkingDelta(0, piece))
        layout.dirty = True
        layout.build(ctx)
    tokens = estimate_text_tokens(message.thinking_text)
    summary = texts(layout.lines)[1]
    assert f"~{tokens / 1000:.1f}k tokens" in summary or f"~{tokens} tokens" in summary
    assert "Considering the question" in "\n".join(texts(layout.lines))  # shown while live


def test_a_reply_is_labelled_by_its_model_and_profile_not_as_claude() -> None:
    reply = ChatMessage(
        role="assistant",
        content=[{"type": "text", "text": "Hi."}],
        model="gpt-4o-mini",
        profile="openrouter",
    )
    header = fresh(reply, context())[0]
    assert header.startswith("gpt-4o-mini · openrouter")
    assert "Claude" not in header
    unnamed = ChatMessage(role="assistant", content=[{"type": "text", "text": "Hi."}])
    assert fresh(unnamed, context())[0].startswith("Assistant")


def test_closing_a_long_list_renders_its_last_group_only() -> None:
    # A 300-row list drawn whole when it closed took one ~120 ms step; its groups were
    # already rendered while it streamed, and the closed list is drawn from them.
    renderer = BlockRenderer(DARK_THEME)
    ctx = context(renderer=renderer)
    rows = "\n".join(f"{n}. Row {n}: check **pools** against case {n * 7}." for n in range(1, 301))
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    layout = MessageLayout(message)
    for piece in deltas("Intro.\n\n" + rows, 400):  # frames as a fast stream brings them
        acc.apply(TextDelta(0, piece))
        layout.dirty = True
        layout.build(ctx)
    rendered: list[str] = []  # the text of every block the renderer draws afresh from now
    draw = renderer._render

    def counting(block: Block, width: int, code_index: int | None) -> list[Strip]:
        rendered.append(block.text)
        return draw(block, width, code_index)

    renderer._render = counting  # type: ignore[method-assign]
    acc.apply(TextDelta(0, "\n\nAfter the list."))
    layout.dirty = True
    layout.build(ctx)
    assert rendered and max(len(text) for text in rendered) < len(rows) // 10
    whole = BlockRenderer(DARK_THEME).render(Block("markdown", rows), ctx.width)
    drawn = texts(layout.lines)
    start = drawn.index(texts(whole)[0])
    assert drawn[start : start + len(whole)] == texts(whole)
    acc.apply(MessageStopped())
    layout.dirty = True
    assert texts(layout.build(ctx)) == fresh(message, ctx)


def _frames_until_whole(
    layout: MessageLayout, renderer: BlockRenderer, monkeypatch, first_text: str
) -> list[int]:
    """Build frames as the view does (each with an 8 ms budget on a clock that a render
    moves on by 5 ms) until nothing is left to draw; the renders each frame cost."""
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    draw = renderer._render
    renders = [0]

    def costly(block: Block, width: int, code_index: int | None) -> list[Strip]:
        renders[0] += 1
        clock[0] += 0.005
        return draw(block, width, code_index)

    renderer._render = costly  # type: ignore[method-assign]
    per_frame = []
    for _ in range(60):
        renders[0] = 0
        layout.build(replace(context(renderer=renderer), deadline=clock[0] + 0.008))
        per_frame.append(renders[0])
        assert shows(layout.lines, first_text)  # the newest text is there from the first frame
        if not layout.incomplete:
            break
    return per_frame


ROWS = "\n".join(f"{n}. Row {n}: check **pools** against case {n * 7}." for n in range(1, 301))


def test_a_long_list_that_arrived_whole_between_frames_is_drawn_over_several(
    monkeypatch,
) -> None:
    # A fast stream can bring a whole 300-row list between two frames: rendering its 19
    # groups in the next one stalled the loop for 90-150 ms.
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    acc.apply(TextDelta(0, "Intro.\n\n" + ROWS + "\n\nAfter the list, still arri"))
    layout = MessageLayout(message)
    per_frame = _frames_until_whole(layout, BlockRenderer(DARK_THEME), monkeypatch, "still arri")
    assert len(per_frame) > 3 and max(per_frame) <= 3
    assert texts(layout.lines) == fresh(message, context())


def test_a_long_open_list_first_seen_half_done_is_drawn_over_several(monkeypatch) -> None:
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    acc.apply(TextDelta(0, "Intro.\n\n" + ROWS[: len(ROWS) // 2]))
    layout = MessageLayout(message)
    last_words = ROWS[: len(ROWS) // 2].rsplit("\n", 1)[1][-8:]
    per_frame = _frames_until_whole(layout, BlockRenderer(DARK_THEME), monkeypatch, last_words)
    assert len(per_frame) > 3 and max(per_frame) <= 3
    assert texts(layout.lines) == fresh(message, context())


def test_a_view_following_a_burst_draws_only_the_last_screens_until_the_end() -> None:
    """Blocks far above the end of a streaming reply wait (as placeholders) while the view
    follows it; they are drawn once the reply ends, or as soon as the view stops
    following, and the reply then matches a fresh layout."""
    renderer = BlockRenderer(DARK_THEME)
    paragraphs = [f"Paragraph {n} says something about pools and keys." for n in range(200)]
    text = "\n\n".join(paragraphs) + "\n\nThe last words still arri"
    rendered: list[str] = []
    draw = renderer._render

    def counting(block: Block, width: int, code_index: int | None) -> list[Strip]:
        rendered.append(block.text)
        return draw(block, width, code_index)

    renderer._render = counting  # type: ignore[method-assign]
    following = replace(context(renderer=renderer), follow_lines=40)
    message = ChatMessage(role="assistant", content=[])
    acc = MessageAccumulator(message)
    layout = MessageLayout(message)
    acc.apply(TextDelta(0, text))  # a burst: the whole text between two frames
    lines = layout.build(following)
    assert shows(lines, "The last words still arri")
    assert layout.deferred and not layout.incomplete
    assert 0 < len(rendered) <= 25  # the blocks of about two screens, not all 200
    assert not shows(lines, "Paragraph 0 ")
    assert layout.build(following) is lines  # nothing asks for them while it follows

    # The user scrolls up: the view lays out without follow_lines, and they are drawn.
    scrolled = texts(layout.build(context(renderer=renderer)))
    assert not layout.deferred and "Paragraph 0 says something about pools and keys." in scrolled

    # Or the reply ends while the view still follows: drawn then too.
    ended = ChatMessage(role="assistant", content=[])
    ended_acc = MessageAccumulator(ended)
    ended_layout = MessageLayout(ended)
    ended_acc.apply(TextDelta(0, text))
    ended_layout.build(following)
    ended_acc.apply(MessageStopped())
    ended_layout.dirty = True
    assert texts(ended_layout.build(following)) == fresh(ended, context())
    assert not ended_layout.deferred
