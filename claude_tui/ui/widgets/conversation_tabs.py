"""Open conversations as tabs: a one-line tab bar over a switcher of panes.

Textual's ``TabbedContent`` cost about 100 ms of the launch (its tabs, underline animation
and panes); this holds the same panes in a ``ContentSwitcher`` under a single ``Static``
that draws the titles, and hides the bar while only one conversation is open.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher, Static

from claude_tui.terminal_text import safe_for_terminal
from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane

MAX_TITLE = 24


class ConversationTabs(Vertical):
    """Tabs of :class:`ConversationPane`; the app adds, removes and activates them."""

    DEFAULT_CSS = """
    ConversationTabs {
        height: 1fr;
    }
    ConversationTabs > #tab-bar {
        height: 1;
        background: $panel;
        color: $text-muted;
        display: none;
    }
    ConversationTabs.-several > #tab-bar {
        display: block;
    }
    ConversationTabs > ContentSwitcher {
        height: 1fr;
    }
    """

    class Activated(Message):
        """Another conversation came to the front."""

        def __init__(self, pane: ConversationPane) -> None:
            super().__init__()
            self.pane = pane

    def __init__(self, first: ConversationPane, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._first = first
        self._titles: dict[str, str] = {}
        self._streaming: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(id="tab-bar")
        with ContentSwitcher(initial=self._first.id):
            yield self._first

    @property
    def switcher(self) -> ContentSwitcher:
        """The container holding the panes."""
        return self.query_one(ContentSwitcher)

    @property
    def panes(self) -> list[ConversationPane]:
        """Open conversations, in tab order."""
        return list(self.switcher.query_children(ConversationPane))

    @property
    def active_pane(self) -> ConversationPane | None:
        """The conversation on screen."""
        current = self.switcher.current
        for pane in self.panes:
            if pane.id == current:
                return pane
        return None

    async def add(self, pane: ConversationPane) -> None:
        """Open ``pane`` as a new tab and show it."""
        await self.switcher.mount(pane)
        self.activate(pane)

    async def remove(self, pane: ConversationPane) -> None:
        """Close ``pane``'s tab; the neighbour comes to the front."""
        panes = self.panes
        if pane not in panes:
            return
        index = panes.index(pane)
        was_active = self.switcher.current == pane.id
        await pane.remove()
        self._titles.pop(pane.id or "", None)
        rest = self.panes
        if was_active and rest:
            self.activate(rest[min(index, len(rest) - 1)])
        self._redraw()

    def activate(self, pane: ConversationPane) -> None:
        """Bring ``pane`` to the front."""
        self.switcher.current = pane.id
        self._redraw()
        self.post_message(self.Activated(pane))

    def step(self, offset: int) -> None:
        """Activate the tab ``offset`` places away, wrapping around."""
        panes = self.panes
        active = self.active_pane
        if active is None or len(panes) < 2:
            return
        self.activate(panes[(panes.index(active) + offset) % len(panes)])

    def set_title(self, pane: ConversationPane, title: str, *, streaming: bool = False) -> None:
        """Retitle a tab (a rename, the first prompt, or the streaming dot)."""
        key = pane.id or ""
        self._titles[key] = title
        if streaming:
            self._streaming.add(key)
        else:
            self._streaming.discard(key)
        self._redraw()

    def labels(self) -> list[str]:
        """Tab labels as shown, in order (for tests and the help screen)."""
        return [self._label(pane) for pane in self.panes]

    def action_activate(self, pane_id: str) -> None:
        """Click on a tab title."""
        for pane in self.panes:
            if pane.id == pane_id:
                self.activate(pane)

    def on_mount(self) -> None:
        self._redraw()

    def _label(self, pane: ConversationPane) -> str:
        key = pane.id or ""
        title = self._titles.get(key) or pane.conversation.session.title or "New chat"
        title = safe_for_terminal(title)  # a title is a prompt's first line: outside text
        title = title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"
        return f"● {title}" if key in self._streaming else title

    def _redraw(self) -> None:
        if not self.is_mounted:
            return
        panes = self.panes
        self.set_class(len(panes) > 1, "-several")
        current = self.switcher.current
        bar = Text(no_wrap=True, overflow="ellipsis")
        for number, pane in enumerate(panes, start=1):
            style = Style(bold=True, reverse=True) if pane.id == current else Style()
            click = Style(meta={"@click": f"app.activate_tab('{pane.id}')"})
            bar.append(f" {number}:{self._label(pane)} ", style + click)
            bar.append(" ")
        self.query_one("#tab-bar", Static).update(bar)
