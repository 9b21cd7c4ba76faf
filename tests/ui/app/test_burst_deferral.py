"""A view following a burst draws its last screens only; a reader who scrolls up mid-stream
gets the rest drawn, and keeps their place while it is."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.theme import BUILTIN_THEMES

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.ui.main_screen import MainScreen
from claude_tui.ui.rendering import DARK_THEME, BlockRenderer
from claude_tui.ui.widgets.conversation.conversation_view import ConversationView
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
from claude_tui.wire.accumulator import MessageAccumulator
from claude_tui.wire.events import MessageStopped, TextDelta

# Paragraphs of different lengths, so estimated heights are off the real ones.
BURST = "\n\n".join(
    f"Paragraph {n}: " + " ".join(["pools and keys"] * (1 + n % 9)) for n in range(240)
)


class _ViewApp(App[None]):
    def __init__(self, messages: list[ChatMessage]) -> None:
        super().__init__()
        self.messages = messages

    def get_default_screen(self) -> MainScreen:
        return MainScreen()

    def compose(self) -> ComposeResult:
        yield ConversationView(
            self.messages,
            styles=LayoutStyles.from_theme(BUILTIN_THEMES["textual-dark"]),
            renderer=BlockRenderer(DARK_THEME),
            cost_of=lambda message: None,
        )


def _top_text(view: ConversationView) -> str:
    return next(line for line in view.visible_text().splitlines() if line.strip())


async def test_scrolling_up_mid_burst_draws_what_waited_and_keeps_the_readers_place() -> None:
    reply = ChatMessage(role="assistant", content=[], status=MessageStatus.STREAMING)
    messages = [ChatMessage.user("tell me everything"), reply]
    app = _ViewApp(messages)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ConversationView)
        view.messages_changed()
        MessageAccumulator(reply).apply(TextDelta(0, BURST + "\n\nStill arri"))
        view.message_changed(reply.id)
        await pilot.pause(0.3)
        view.scroll_to_bottom()  # as the pane does when a reply starts
        view.message_changed(reply.id)
        await pilot.pause(0.3)
        layout = view.layout_for(reply.id)
        assert layout is not None and layout.deferred  # the first paragraphs wait
        assert "Still arri" in view.visible_text()

        view.scroll_to(y=view.scroll_y - 10, animate=False, immediate=True)
        top = _top_text(view)
        for _ in range(50):  # the flushes that draw what waited
            await pilot.pause(0.02)
            if not layout.deferred and not layout.incomplete:
                break
        assert not layout.deferred and not layout.incomplete
        assert _top_text(view) == top  # the lines above grew or shrank; the reader did not move
        assert any("Paragraph 0:" in line.text for line in layout.lines)

        MessageAccumulator(reply).apply(MessageStopped())
        reply.status = MessageStatus.COMPLETE
        view.message_changed(reply.id)
        await pilot.pause(0.2)
        assert _top_text(view) == top
