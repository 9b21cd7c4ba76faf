"""Pick the profile the conversation talks to: a filterable list of every configured profile."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from claude_tui.profiles import Config, Profile

DEMO_LOCATION = "built-in loopback relay"


def profile_location(profile: Profile) -> str:
    """Where a profile sends requests, as shown to a user (the demo's URL is not real)."""
    return DEMO_LOCATION if profile.is_demo else profile.base_url


def profile_summary(profile: Profile) -> str:
    """``anthropic · https://relay · claude-sonnet-4-5``: one line a filter can match."""
    return f"{profile.api_format} · {profile_location(profile)} · {profile.model}"


class ProfilePicker(ModalScreen[str | None]):
    """Dismisses with the chosen profile's name (Enter) or None (Esc).

    Typing filters the list by name, URL, format or model; Up and Down move the highlight
    without leaving the filter. With an empty filter the current profile is highlighted; once
    the user types, the first match is, so Enter picks the row they see first rather than
    silently keeping the profile they are trying to leave.
    """

    CSS_PATH = "profile_picker.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="profile_picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="profile_picker.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="profile_picker.previous"),
    ]

    def __init__(self, config: Config, current: str) -> None:
        super().__init__()
        self.config = config
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Switch profile", id="title")
            yield Input(placeholder="Filter profiles…", id="filter")
            yield OptionList(id="profiles")
            yield Label("Enter: switch · Esc: cancel", id="hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, query: str) -> None:
        """Show the profiles matching ``query``: the current one highlighted when nothing is
        typed, the first match otherwise."""
        words = query.lower().split()
        options: list[Option] = []
        for name, profile in self.config.profiles.items():
            haystack = f"{name} {profile_summary(profile)}".lower()
            if all(word in haystack for word in words):
                options.append(Option(self._prompt(profile), id=name))
        option_list = self.query_one("#profiles", OptionList)
        option_list.set_options(options)
        names = [option.id for option in options]
        if not names:
            return
        if not words and self.current in names:
            option_list.highlighted = names.index(self.current)
        else:
            option_list.highlighted = 0

    def _prompt(self, profile: Profile) -> Text:
        prompt = Text(profile.name, style="bold")
        if profile.name == self.current:
            prompt.append("  current", style="italic")
        if profile.name == self.config.default_profile_name:
            prompt.append("  default", style="italic")
        prompt.append(f"\n  {profile_summary(profile)}", style="dim")
        return prompt

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.query_one("#profiles", OptionList).highlighted_option
        if option is None:
            self.notify("No profile matches the filter.", severity="warning")
            return
        self.dismiss(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        option_list = self.query_one("#profiles", OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
