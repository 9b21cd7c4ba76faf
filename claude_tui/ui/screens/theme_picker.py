"""Pick the UI theme with a live preview: every registered theme, ours first, then Textual's."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.theme import BUILTIN_THEMES, Theme
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

SWATCH_KEYS = ("background", "surface", "primary", "secondary", "accent")
"""The colours shown beside each name, left to right."""


def is_textual_builtin(theme: Theme) -> bool:
    """True for Textual's own themes; False for bundled and user ones (even if they replace one)."""
    return BUILTIN_THEMES.get(theme.name) is theme


class ThemePicker(ModalScreen[str | None]):
    """Dismisses with the chosen theme's name (Enter) or None (Esc).

    Moving the highlight switches ``app.theme`` at once, so the whole app is the preview;
    Esc puts back the theme that was on when the picker opened. Typing filters by name.
    Saving the choice is the caller's business (``theme_registry.save_theme_choice``).
    """

    CSS_PATH = "theme_picker.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="theme_picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="theme_picker.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="theme_picker.previous"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.original_theme = ""
        """The theme when the picker opened; set on mount, restored by Esc."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Theme", id="title")
            yield Input(placeholder="Filter themes…", id="filter")
            yield OptionList(id="themes")
            yield Label("↑↓: preview · Enter: keep · Esc: put back", id="hint")

    def on_mount(self) -> None:
        self.original_theme = self.app.theme
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, query: str) -> None:
        """Show the themes matching ``query`` in two groups, keeping the shown theme highlighted."""
        words = query.lower().split()
        themes = sorted(self.app.available_themes.values(), key=lambda theme: theme.name)
        matching = [theme for theme in themes if all(word in theme.name.lower() for word in words)]
        options: list[Option] = []
        for heading, builtin in (("claude-tui", False), ("Textual", True)):
            group = [theme for theme in matching if is_textual_builtin(theme) == builtin]
            if group:
                options.append(Option(Text(heading, style="italic"), disabled=True))
                options.extend(Option(self._prompt(theme), id=theme.name) for theme in group)
        option_list = self.query_one("#themes", OptionList)
        option_list.set_options(options)
        names = [option.id for option in options]
        if self.app.theme in names:
            option_list.highlighted = names.index(self.app.theme)
        else:
            option_list.action_first()  # the first theme, skipping the disabled heading

    def _prompt(self, theme: Theme) -> Text:
        prompt = Text(f"  {theme.name}", style="bold")
        prompt.append("  ")
        for key in SWATCH_KEYS:
            value = getattr(theme, key)
            if value is None:
                continue
            try:
                prompt.append("██", style=Style(color=Color.parse(value).rich_color))
            except ColorParseError:
                continue
        prompt.append(f"  {'dark' if theme.dark else 'light'}", style="dim")
        if theme.name == self.original_theme:
            prompt.append("  current", style="italic")
        return prompt

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        name = event.option.id
        if name is not None and name != self.app.theme and name in self.app.available_themes:
            self.app.theme = name

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._keep(event.option.id)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.query_one("#themes", OptionList).highlighted_option
        if option is None or option.id is None:
            self.notify("No theme matches the filter.", severity="warning")
            return
        self._keep(option.id)

    def _keep(self, name: str | None) -> None:
        if name is None:
            return
        self.app.theme = name
        self.dismiss(name)

    def action_move(self, step: int) -> None:
        option_list = self.query_one("#themes", OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_cancel(self) -> None:
        if self.original_theme in self.app.available_themes:
            self.app.theme = self.original_theme
        self.dismiss(None)
