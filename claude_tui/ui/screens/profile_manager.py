"""Manage profiles: list, add, edit, duplicate, delete, choose the default, test one live."""

from __future__ import annotations

import contextlib
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Label, Static

from claude_tui import paths
from claude_tui.conversation.profile_test_run import ProfileTestReport, run_profile_test
from claude_tui.profiles import (
    RESERVED_PROFILE_NAMES,
    Config,
    ConfigError,
    Profile,
    delete_profile,
    demo_profile,
    load_config,
    set_default_profile,
)
from claude_tui.profiles.key_origin import key_description
from claude_tui.profiles.model_cache import ModelCache
from claude_tui.ui.screens.confirm_screen import ConfirmScreen
from claude_tui.ui.screens.profile_form import ProfileForm
from claude_tui.ui.screens.profile_picker import profile_location

NEW_PROFILE_TEMPLATE = Profile(name="new", api_key_env="ANTHROPIC_API_KEY")
"""What "add" starts from: the official API, key from ``$ANTHROPIC_API_KEY``."""
DEMO_COPY_NOTE = (
    "The demo relay's address changes every run, so a copy needs a real base URL: "
    "enter your relay's."
)


class ProfileManager(Screen[bool]):
    """Every profile with its settings and actions; dismisses with True if anything was saved.

    Each write also posts :class:`ProfileManager.Changed` with the reloaded config, so the app
    can pick changes up at once. The built-in ``demo`` and ``env`` profiles are read-only
    (duplicate them to get an editable copy); a broken config file is reported, never rewritten.
    """

    CSS_PATH = "profile_manager.tcss"
    BINDINGS = [
        Binding("a", "add", "Add", id="profile_manager.add"),
        Binding("e", "edit", "Edit", id="profile_manager.edit"),
        Binding("c", "duplicate", "Duplicate", id="profile_manager.duplicate"),
        Binding("d,delete", "delete", "Delete", id="profile_manager.delete"),
        Binding("s", "set_default", "Set default", id="profile_manager.set_default"),
        Binding("t", "test", "Test", id="profile_manager.test"),
        Binding("escape,q", "close", "Close", id="profile_manager.close"),
    ]

    class Changed(Message):
        """``config.toml`` was written; ``config`` is what it loads as now."""

        def __init__(self, config: Config) -> None:
            super().__init__()
            self.config = config

    def __init__(self, config_path: Path | None = None) -> None:
        super().__init__()
        self.config_path = config_path if config_path is not None else paths.config_file()
        self.config = Config(path=self.config_path, profiles={"demo": demo_profile()})
        self.saved = False
        self.load_error: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="body"):
            yield Label(f"Profiles in {paths.shown(self.config_path)}", id="title", markup=False)
            yield Label("", id="load-error", markup=False)
            yield DataTable(id="profiles", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="actions"):
                yield Button("Add", id="add")
                yield Button("Edit", id="edit")
                yield Button("Duplicate", id="duplicate")
                yield Button("Delete", id="delete", variant="warning")
                yield Button("Set default", id="set_default")
                yield Button("Test", id="test", variant="primary")
            with Vertical(id="test-panel"):
                yield Label("Test", id="test-title")
                yield Static(
                    "Select a profile and press t to send it one real request.",
                    id="test-result",
                    markup=False,
                )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#profiles", DataTable)
        table.add_columns("", "Name", "Format", "Base URL", "Model", "Key")
        self.reload()
        table.focus()

    # --- the list ----------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Read the config again and redraw the table, keeping (or moving to) a selection."""
        select = select or self.selected_name
        try:
            self.config = load_config(self.config_path)
            self.load_error = None
        except ConfigError as error:
            # Only the demo is certain to work; the file is left alone for the user to fix.
            self.config = Config(path=self.config_path, profiles={"demo": demo_profile()})
            self.load_error = f"The config file has a problem, so its profiles are hidden: {error}"
        banner = self.query_one("#load-error", Label)
        banner.update(self.load_error or "")
        banner.display = self.load_error is not None
        table = self.query_one("#profiles", DataTable)
        table.clear()
        for name, profile in self.config.profiles.items():
            table.add_row(*self._row(profile), key=name)
        names = list(self.config.profiles)
        if select in names:
            table.move_cursor(row=names.index(select))

    def _row(self, profile: Profile) -> tuple[str, ...]:
        default = "*" if profile.name == self.config.default_profile_name else ""
        name = profile.name + (" (built-in)" if self._read_only(profile) else "")
        return (
            default,
            name,
            profile.api_format,
            profile_location(profile),
            profile.model,
            key_description(profile),
        )

    @property
    def selected_name(self) -> str | None:
        """The name of the profile under the cursor."""
        if not self.is_mounted:
            return None
        table = self.query_one("#profiles", DataTable)
        if not table.row_count:
            return None
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return row_key.value

    def _selected(self) -> Profile | None:
        name = self.selected_name
        return self.config.profiles.get(name) if name is not None else None

    @staticmethod
    def _read_only(profile: Profile) -> bool:
        return profile.is_demo or profile.name in RESERVED_PROFILE_NAMES

    def _changed(self, select: str | None = None) -> None:
        self.saved = True
        self.reload(select)
        self.post_message(self.Changed(self.config))

    # --- actions -----------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "add": self.action_add,
            "edit": self.action_edit,
            "duplicate": self.action_duplicate,
            "delete": self.action_delete,
            "set_default": self.action_set_default,
            "test": self.action_test,
        }
        if event.button.id in actions:
            actions[event.button.id]()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_add(self) -> None:
        self._open_form(self._form(NEW_PROFILE_TEMPLATE, name_text=""))

    def action_edit(self) -> None:
        profile = self._selected()
        if profile is None:
            return
        if self._read_only(profile):
            self.notify(
                f"The built-in {profile.name} profile cannot be edited; "
                "duplicate it (c) to get an editable copy.",
                severity="warning",
            )
            return
        is_default = profile.name == self.config.default_profile_name
        self._open_form(self._form(profile, original_name=profile.name, is_default=is_default))

    def action_duplicate(self) -> None:
        profile = self._selected()
        if profile is None:
            return
        copy = profile.with_changes(name=self._copy_name(profile.name), is_demo=False)
        if profile.is_demo:
            self._open_form(self._form(copy, base_url_text="", note=DEMO_COPY_NOTE))
        else:
            self._open_form(self._form(copy))

    def _form(
        self,
        base: Profile,
        *,
        original_name: str | None = None,
        is_default: bool = False,
        name_text: str | None = None,
        base_url_text: str | None = None,
        note: str = "",
    ) -> ProfileForm:
        return ProfileForm(
            base,
            original_name=original_name,
            taken_names=set(self.config.profiles),
            config_path=self.config_path,
            is_default=is_default,
            name_text=name_text,
            base_url_text=base_url_text,
            note=note,
        )

    def _open_form(self, form: ProfileForm) -> None:
        original = form.original_name

        def saved(profile: Profile | None) -> None:
            if profile is None:
                return
            if original is not None and original != profile.name:
                _forget_cached_models(original)
            self._changed(profile.name)
            self.notify(f"Saved profile {profile.name}.")

        self.app.push_screen(form, saved)

    def _copy_name(self, name: str) -> str:
        candidate, number = f"{name}-copy", 2
        while candidate in self.config.profiles or candidate in RESERVED_PROFILE_NAMES:
            candidate, number = f"{name}-copy-{number}", number + 1
        return candidate

    def action_delete(self) -> None:
        profile = self._selected()
        if profile is None:
            return
        if self._read_only(profile):
            self.notify(
                f"The built-in {profile.name} profile cannot be deleted.", severity="warning"
            )
            return
        name = profile.name

        def confirmed(answer: bool | None) -> None:
            if not answer:
                return
            try:
                delete_profile(name, self.config_path)
            except (ConfigError, OSError) as error:
                self.notify(f"Not deleted: {error}", severity="error", timeout=10)
                return
            _forget_cached_models(name)
            self._changed()
            self.notify(f"Deleted profile {name}.")

        question = (
            f"Delete profile {name}? Its table is removed from {paths.shown(self.config_path)}."
        )
        self.app.push_screen(ConfirmScreen(question, yes="Delete"), confirmed)

    def action_set_default(self) -> None:
        profile = self._selected()
        if profile is None:
            return
        if profile.name == self.config.default_profile_name:
            self.notify(f"{profile.name} already is the default profile.")
            return
        try:
            set_default_profile(profile.name, self.config_path)
        except (ConfigError, OSError) as error:
            self.notify(f"Default not changed: {error}", severity="error", timeout=10)
            return
        self._changed(profile.name)
        self.notify(f"New conversations now start with {profile.name}.")

    def action_test(self) -> None:
        profile = self._selected()
        if profile is None:
            return
        result = self.query_one("#test-result", Static)
        result.remove_class("-ok", "-failed")
        result.update(f"Testing {profile.name}…")
        self.query_one("#test-panel").loading = True
        self.run_worker(self._test(profile), group="test", exclusive=True, exit_on_error=False)

    async def _test(self, profile: Profile) -> None:
        try:
            report = await run_profile_test(profile)
        except Exception as error:  # a test must never take the app down
            report = ProfileTestReport(profile=profile.name, status=f"FAILED: {error}")
        if not report.status:
            report.status = "FAILED: the endpoint ended the reply without finishing it"
        if report.models and report.models_error is None:
            with contextlib.suppress(OSError):  # the model picker can use this list now
                ModelCache().put(profile, report.models)
        self.query_one("#test-panel").loading = False
        result = self.query_one("#test-result", Static)
        result.update("\n".join(_report_lines(report)))
        result.set_class(report.ok, "-ok")
        result.set_class(not report.ok, "-failed")

    def action_close(self) -> None:
        self.dismiss(self.saved)


def _report_lines(report: ProfileTestReport) -> list[str]:
    """The CLI's report, with the whole model list (the panel scrolls)."""
    lines = [line for line in report.lines() if not line.lstrip().startswith("models")]
    if report.models:
        lines.append(f"  models ({len(report.models)}): {', '.join(report.models)}")
    elif report.models_error:
        lines.append(f"  models: {report.models_error}")
    return lines


def _forget_cached_models(name: str) -> None:
    """Drop a deleted or renamed profile's cached model list (best effort: it is a cache)."""
    with contextlib.suppress(OSError):
        ModelCache().forget(name)
