"""The profile editor: one form, checked as it is typed, that saves to ``config.toml``.

Every change builds a candidate :class:`Profile` with ``with_changes`` (the same checks the
config loader runs), so what the form accepts is exactly what will load next time. Settings
the form does not show (system prompt, timeouts, prices, …) are carried over untouched.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, TextArea

from claude_tui.profiles import (
    ConfigError,
    Profile,
    default_auth,
    save_profile,
    set_default_profile,
)
from claude_tui.profiles.profile_draft import (
    DRAFT_FIELDS,
    KeyKind,
    ProfileDraft,
    ThinkingChoice,
    editable_key_value,
)
from claude_tui.profiles.profile_values import (
    API_FORMATS,
    AUTH_STYLES,
    PROMPT_CACHE_MODES,
    THINKING_DIALECTS,
    ApiFormat,
)
from claude_tui.ui.screens.model_picker import ModelPicker

KEY_KINDS: tuple[tuple[str, KeyKind], ...] = (
    ("Environment variable", "env"),
    ("Command that prints the key", "command"),
    ("Inline in config.toml (discouraged)", "inline"),
    ("No key", "none"),
)
_KEY_PLACEHOLDERS: dict[KeyKind, str] = {
    "env": "Variable name, e.g. RELAY_KEY",
    "command": "e.g. pass show relay",
    "inline": "The key (stored in config.toml, mode 0600)",
    "none": "No key is sent",
}
SAVED_KEY_PLACEHOLDER = "•••••••• (saved key; type to replace it)"
"""Shown for a saved inline key: the same width whatever the key's length."""
THINKING_CHOICES = (("Off", "off"), ("Adaptive", "adaptive"), ("Token budget", "budget"))
ERROR_FIELDS = (*DRAFT_FIELDS, "other")


class ProfileForm(ModalScreen[Profile | None]):
    """Edit ``base`` and save it; dismisses with the saved profile, or None when cancelled.

    ``original_name`` is the profile's name in the file when editing (None when adding or
    duplicating): renaming saves the new table, moves the default over and deletes the old
    one. ``taken_names`` are names the profile may not take. ``name_text`` and
    ``base_url_text`` override what those fields show at first (a copy of the demo starts
    with an empty URL: its relay's port changes every run). Every edit re-checks the whole
    form and shows each problem beside its field; Save stays disabled until there are none.
    A save that fails (the file does not parse, a disk error) is shown, not raised.
    """

    CSS_PATH = "profile_form.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="profile_form.cancel"),
        Binding("ctrl+s", "save", "Save", id="profile_form.save"),
    ]

    def __init__(
        self,
        base: Profile,
        *,
        original_name: str | None = None,
        taken_names: Collection[str] = (),
        config_path: Path | None = None,
        is_default: bool = False,
        name_text: str | None = None,
        base_url_text: str | None = None,
        note: str = "",
    ) -> None:
        super().__init__()
        self.base = base
        self.original_name = original_name
        self.taken_names = frozenset(taken_names)
        self.config_path = config_path
        self.is_default = is_default
        self.note = note
        self.candidate: Profile | None = None
        """The profile the form describes, None while it has problems."""
        self.errors: dict[str, str] = {}
        """Problems keyed by field (see ``DRAFT_FIELDS``; ``other`` for the rest)."""
        draft = ProfileDraft.from_profile(base)
        self._start = draft
        self._name_text = base.name if name_text is None else name_text
        self._base_url_text = draft.base_url if base_url_text is None else base_url_text
        self._format = draft.api_format
        self._key_kind: KeyKind = draft.key_kind

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        start = self._start
        title = f"Edit profile {self.original_name}" if self.original_name else "New profile"
        with Vertical(id="dialog"):
            yield Label(title, id="title", markup=False)
            if self.note:
                yield Label(self.note, id="note", markup=False)
            with VerticalScroll(id="fields"):
                with self._field("name", "Name"):
                    yield Input(self._name_text, placeholder="e.g. relay", id="name")
                    yield self._error("name")
                with self._field("base_url", "Base URL"):
                    yield Input(
                        self._base_url_text, placeholder="https://relay.example", id="base_url"
                    )
                    yield self._error("base_url")
                with Horizontal(classes="pair"):
                    with self._field("api_format", "API format"):
                        yield _select(API_FORMATS, start.api_format, "api_format")
                        yield self._error("api_format")
                    with self._field("auth", "Send the key as"):
                        yield _select(AUTH_STYLES, start.auth, "auth")
                        yield self._error("auth")
                with self._field("key", "API key from"):
                    yield Select(KEY_KINDS, value=self._key_kind, allow_blank=False, id="key_kind")
                    yield Input(
                        start.key_value,
                        placeholder=self._key_placeholder(self._key_kind),
                        password=self._key_kind == "inline",
                        disabled=self._key_kind == "none",
                        id="key_value",
                    )
                    yield self._error("key")
                with self._field("model", "Model"):
                    with Horizontal(classes="with-button"):
                        yield Input(start.model, id="model")
                        yield Button("Models…", id="pick-model")
                    yield self._error("model")
                with self._field("thinking", "Thinking"):
                    with Horizontal(classes="with-input"):
                        yield Select(
                            THINKING_CHOICES, value=start.thinking, allow_blank=False, id="thinking"
                        )
                        yield Input(
                            start.thinking_budget,
                            placeholder="tokens, ≥ 1024",
                            disabled=start.thinking != "budget",
                            id="thinking_budget",
                        )
                    yield self._error("thinking")
                with self._field("thinking_dialect", "Send thinking as (OpenAI format)"):
                    yield _select(THINKING_DIALECTS, start.thinking_dialect, "thinking_dialect")
                    yield self._error("thinking_dialect")
                with self._field("cache", "Prompt caching (auto = 5 minutes)"):
                    yield _select(PROMPT_CACHE_MODES, start.cache, "cache")
                    yield self._error("cache")
                with Horizontal(classes="pair"):
                    with self._field("max_tokens", "Max tokens per reply"):
                        yield Input(start.max_tokens, id="max_tokens")
                        yield self._error("max_tokens")
                    with self._field("price_multiplier", "Price multiplier"):
                        yield Input(start.price_multiplier, id="price_multiplier")
                        yield self._error("price_multiplier")
                with self._field("headers", "Extra headers (Name: Value, one per line)"):
                    yield TextArea(start.headers, id="headers")
                    yield self._error("headers")
                yield Checkbox(
                    "Start with this profile (default)",
                    value=self.is_default,
                    disabled=self.is_default,
                    id="make_default",
                )
                yield self._error("other")
            yield Label("", id="status", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def _field(self, name: str, title: str) -> Vertical:
        """A titled field; its error label (``#NAME-error``) follows its inputs."""
        container = Vertical(classes="field", id=f"field-{name}")
        container.compose_add_child(Label(title, classes="field-title"))
        return container

    def _error(self, name: str) -> Label:
        return Label("", id=f"{name}-error", classes="field-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        self._show_openai_fields()
        self.validate()

    def _show_openai_fields(self) -> None:
        """The thinking dialect matters only to Chat Completions: shown for ``openai``."""
        self.query_one("#field-thinking_dialect").display = self._format == "openai"

    # --- checking ----------------------------------------------------------------------------

    def draft(self) -> ProfileDraft:
        """What the form holds now."""
        return ProfileDraft(
            name=self._text("name"),
            base_url=self._text("base_url"),
            api_format=self._choice("api_format"),
            auth=self._choice("auth"),
            key_kind=cast(KeyKind, self._choice("key_kind")),
            key_value=self._text("key_value"),
            model=self._text("model"),
            thinking=cast(ThinkingChoice, self._choice("thinking")),
            thinking_budget=self._text("thinking_budget"),
            max_tokens=self._text("max_tokens"),
            price_multiplier=self._text("price_multiplier"),
            headers=self.query_one("#headers", TextArea).text,
            thinking_dialect=self._choice("thinking_dialect"),
            cache=self._choice("cache"),
        )

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def _choice(self, widget_id: str) -> str:
        return str(self.query_one(f"#{widget_id}", Select).value)

    def validate(self) -> bool:
        """Check the form, show each problem beside its field; True when it can be saved."""
        draft = self.draft()
        self.candidate, self.errors = draft.build(
            self.base, original_name=self.original_name, taken_names=self.taken_names
        )
        for name in ERROR_FIELDS:
            label = self.query_one(f"#{name}-error", Label)
            label.update(self.errors.get(name, ""))
            label.display = name in self.errors
        self.query_one("#save", Button).disabled = self.candidate is None
        self.query_one("#pick-model", Button).disabled = self.candidate is None
        if self.errors:
            count = len(self.errors)
            self._status(f"Fix the {count} marked field{'s' * (count > 1)} to save.", "-error")
        elif self.candidate is not None and self.candidate.needs_key and draft.key_kind == "none":
            self._status(
                "Warning: this profile sends no key; choose a key source or set auth to none.",
                "-warning",
            )
        else:
            self._status("Ready to save (Ctrl+S).", "")
        return self.candidate is not None

    def _status(self, text: str, state: str) -> None:
        status = self.query_one("#status", Label)
        status.update(text)
        status.set_class(state == "-error", "-error")
        status.set_class(state == "-warning", "-warning")

    # --- reacting to edits -------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.validate()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.validate()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = str(event.value)
        if event.select.id == "api_format" and value != self._format:
            auth = self.query_one("#auth", Select)
            if auth.value == default_auth(cast(ApiFormat, self._format)):
                auth.value = default_auth(cast(ApiFormat, value))
            self._format = value
            self._show_openai_fields()
        elif event.select.id == "key_kind" and value != self._key_kind:
            self._switch_key_kind(cast(KeyKind, value))
        elif event.select.id == "thinking":
            self.query_one("#thinking_budget", Input).disabled = value != "budget"
        self.validate()

    def _switch_key_kind(self, kind: KeyKind) -> None:
        """Show the new kind's value; never carry an inline key into a plain-text field."""
        self._key_kind = kind
        key_input = self.query_one("#key_value", Input)
        key_input.password = kind == "inline"
        key_input.placeholder = self._key_placeholder(kind)
        key_input.value = editable_key_value(self.base, kind)
        key_input.disabled = kind == "none"

    def _key_placeholder(self, kind: KeyKind) -> str:
        if kind == "inline" and self.base.api_key is not None:
            return SAVED_KEY_PLACEHOLDER
        return _KEY_PLACEHOLDERS[kind]

    # --- buttons -----------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()
        elif event.button.id == "pick-model" and self.candidate is not None:
            self.app.push_screen(ModelPicker(self.candidate), self._model_picked)

    def _model_picked(self, model: str | None) -> None:
        if model:
            self.query_one("#model", Input).value = model

    def action_save(self) -> None:
        """Write the profile (and the default, and a rename) to config.toml."""
        if not self.validate() or self.candidate is None:
            self.notify("The profile has problems; they are marked in red.", severity="error")
            return
        profile = self.candidate
        make_default = self.query_one("#make_default", Checkbox).value
        renamed = self.original_name is not None and self.original_name != profile.name
        try:
            # A rename renames the table in place (its comments stay) and moves the default.
            save_profile(profile, self.config_path, replacing=self.original_name)
            if make_default and (renamed or not self.is_default):
                set_default_profile(profile.name, self.config_path)
        except ConfigError as error:
            self._status(f"Not saved: {error}", "-error")
            return
        except OSError as error:
            self._status(f"Not saved: could not write the config file: {error}", "-error")
            return
        self.dismiss(profile)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _select(choices: Collection[str], value: str, widget_id: str) -> Select[str]:
    return Select([(c, c) for c in choices], value=value, allow_blank=False, id=widget_id)
