"""The profile picker, profile manager (and its editor form) and model picker, with Pilot."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest
from config_files import write_config_file
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Label, OptionList, Select, Static, TextArea

from claude_tui import paths
from claude_tui.demo import DemoRelay, Fault
from claude_tui.profiles import Profile, load_config
from claude_tui.profiles.model_cache import ModelCache
from claude_tui.ui.screens.confirm_screen import ConfirmScreen
from claude_tui.ui.screens.model_picker import ModelPicker
from claude_tui.ui.screens.profile_form import SAVED_KEY_PLACEHOLDER, ProfileForm
from claude_tui.ui.screens.profile_manager import ProfileManager
from claude_tui.ui.screens.profile_picker import ProfilePicker

SIZE = (120, 60)
DEMO_MODELS = ["claude-demo", "claude-demo-fast", "claude-demo-thinking"]


class ScreenApp(App[None]):
    """Pushes one screen on mount and records what it dismissed with."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.screen_under_test = screen
        self.results: list[Any] = []
        self.changes: list[ProfileManager.Changed] = []

    def on_mount(self) -> None:
        self.push_screen(self.screen_under_test, self.results.append)

    def on_profile_manager_changed(self, event: ProfileManager.Changed) -> None:
        self.changes.append(event)


def write_config(text: str) -> Path:
    return write_config_file(text)


def two_relays(base_url: str = "https://relay.example") -> Path:
    return write_config(
        f"""\
default_profile = "relay"
theme = "nord"

[profiles.relay]
base_url = "{base_url}"
auth = "none"
model = "claude-demo"
max_retries = 0

[profiles.backup]
base_url = "https://backup.example/v1"
api_format = "openai"
api_key_env = "BACKUP_KEY"
model = "gpt-ish"
"""
    )


def saved() -> dict[str, Any]:
    return tomllib.loads(paths.config_file().read_text())


def text_of(widget: Label | Static) -> str:
    return str(widget.content)


async def set_input(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Replace an input's text, as a paste would (Pilot types a key in ~50 ms)."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.pause()


async def select_row(pilot: Pilot[Any], name: str) -> None:
    table = pilot.app.screen.query_one("#profiles", DataTable)
    names = [key.value for key in table.rows]
    table.move_cursor(row=names.index(name))
    table.focus()
    await pilot.pause()


async def open_form(pilot: Pilot[Any], key: str, row: str | None = None) -> ProfileForm:
    """Press ``key`` in the manager (on ``row``, when given) and return the form it opens."""
    if row is not None:
        await select_row(pilot, row)
    await pilot.press(key)
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, ProfileForm)
    return form


async def wait_for_workers(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# --- profile picker ------------------------------------------------------------------------


async def test_picker_lists_every_profile_and_returns_the_chosen_name() -> None:
    two_relays()
    app = ScreenApp(ProfilePicker(load_config(), current="relay"))
    async with app.run_test(size=SIZE) as pilot:
        options = app.screen.query_one("#profiles", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["relay", "backup", "demo"]
        assert options.highlighted == 0  # the current profile
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(3)]
        assert "anthropic · https://relay.example · claude-demo" in prompts[0]
        assert "openai · https://backup.example · gpt-ish" in prompts[1]
        assert "built-in loopback relay" in prompts[2]

        await pilot.press(*"backu")
        await pilot.pause()
        assert options.option_count == 1
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["backup"]


async def test_picker_arrows_move_and_escape_returns_none() -> None:
    two_relays()
    app = ScreenApp(ProfilePicker(load_config(), current="relay"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "up")
        assert app.screen.query_one("#profiles", OptionList).highlighted == 1
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_picker_filter_highlights_the_first_match_not_the_current_profile() -> None:
    two_relays()
    app = ScreenApp(ProfilePicker(load_config(), current="backup"))
    async with app.run_test(size=SIZE) as pilot:
        options = app.screen.query_one("#profiles", OptionList)
        assert options.highlighted == 1  # empty filter: the current profile
        await set_input(pilot, "#filter", "example")  # matches relay and backup
        assert options.option_count == 2
        assert options.highlighted == 0
        assert options.highlighted_option is not None
        assert options.highlighted_option.id == "relay"
        await set_input(pilot, "#filter", "")  # cleared: back on the current profile
        assert options.highlighted == 1
        await set_input(pilot, "#filter", "example")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["relay"]


# --- profile manager: the list and the editor ----------------------------------------------


async def test_manager_lists_profiles_with_default_marker_and_masked_key_source(
    monkeypatch: Any,
) -> None:
    monkeypatch.setenv("BACKUP_KEY", "sk-backup-secret-key-1234567890")
    two_relays()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#profiles", DataTable)
        rows = [[str(cell) for cell in table.get_row(key)] for key in table.rows]
        assert rows[0][:5] == ["*", "relay", "anthropic", "https://relay.example", "claude-demo"]
        assert rows[1][3] == "https://backup.example"
        assert rows[1][5].startswith("$BACKUP_KEY (")
        assert "sk-backup-secret-key-1234567890" not in " ".join(rows[1])
        assert rows[2][1] == "demo (built-in)"
        assert rows[2][3] == "built-in loopback relay"


async def test_add_saves_a_new_profile_with_mode_0600() -> None:
    two_relays()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "a")
        assert form.query_one("#save", Button).disabled  # no name yet
        await pilot.press(*"work")  # the name field has focus; typed key by key
        await set_input(pilot, "#base_url", "https://work.example/v1")
        await set_input(pilot, "#key_value", "WORK_KEY")
        await set_input(pilot, "#model", "claude-opus-4-1")
        assert not form.query_one("#save", Button).disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProfileManager)
        assert "work" in app.screen.config.profiles
        await pilot.press("escape")
        await pilot.pause()
    table = saved()["profiles"]["work"]
    assert table == {
        "base_url": "https://work.example",
        "api_key_env": "WORK_KEY",
        "model": "claude-opus-4-1",
    }
    assert set(saved()["profiles"]) == {"relay", "backup", "work"}
    assert stat.S_IMODE(paths.config_file().stat().st_mode) == 0o600
    assert app.results == [True]
    assert [set(c.config.profiles) for c in app.changes] == [{"relay", "backup", "work", "demo"}]


async def test_edit_changes_the_model_and_keeps_everything_else() -> None:
    two_relays()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "e", "backup")
        assert form.query_one("#base_url", Input).value == "https://backup.example"
        assert form.query_one("#key_kind", Select).value == "env"
        assert form.query_one("#auth", Select).value == "bearer"
        await set_input(pilot, "#model", "gpt-better")
        await pilot.press("ctrl+s")
        await pilot.pause()
    document = saved()
    assert document["profiles"]["backup"]["model"] == "gpt-better"
    assert document["profiles"]["backup"]["api_key_env"] == "BACKUP_KEY"
    assert document["profiles"]["relay"]["model"] == "claude-demo"
    assert document["default_profile"] == "relay"
    assert document["theme"] == "nord"


async def test_an_invalid_url_is_shown_beside_the_field_and_save_is_disabled() -> None:
    two_relays()
    before = paths.config_file().read_text()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "enter", "relay")  # Enter on a row edits it
        await set_input(pilot, "#base_url", "ftp://relay")
        error = form.query_one("#base_url-error", Label)
        assert error.display
        assert "base_url must be an http:// or https:// URL" in text_of(error)
        assert form.query_one("#save", Button).disabled
        assert "Fix the 1 marked field" in text_of(form.query_one("#status", Label))
        await pilot.press("ctrl+s")  # refused
        await pilot.pause()
        assert app.screen is form

        await set_input(pilot, "#base_url", "https://fixed.example")
        assert not form.query_one("#base_url-error", Label).display
        assert not form.query_one("#save", Button).disabled
        await pilot.press("escape")
        await pilot.pause()
    assert paths.config_file().read_text() == before


async def test_typed_values_are_checked_like_the_config_file() -> None:
    two_relays()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "e", "relay")
        await set_input(pilot, "#max_tokens", "lots")
        await set_input(pilot, "#price_multiplier", "-1")
        errors = form.errors
        assert errors["max_tokens"] == 'max_tokens must be a whole number, not "lots"'
        assert "price_multiplier must be at least 0" in errors["price_multiplier"]
        await set_input(pilot, "#max_tokens", "2048")
        await set_input(pilot, "#price_multiplier", "1.5")
        form.query_one("#thinking", Select).value = "budget"
        await pilot.pause()
        await set_input(pilot, "#thinking_budget", "4096")
        assert "budget must be less than max_tokens (2048)" in form.errors["thinking"]
        await set_input(pilot, "#thinking_budget", "1024")
        form.query_one("#headers", TextArea).load_text("X-Group: team-a\nbroken line")
        await pilot.pause()
        assert form.errors["headers"] == 'headers line 2 is not of the form "Name: Value"'
        form.query_one("#headers", TextArea).load_text("X-Group: team-a")
        await pilot.pause()
        assert form.errors == {}
        await pilot.press("ctrl+s")
        await pilot.pause()
    table = saved()["profiles"]["relay"]
    assert table["max_tokens"] == 2048
    assert table["thinking"] == 1024
    assert table["price_multiplier"] == 1.5
    assert table["headers"] == {"X-Group": "team-a"}


async def test_inline_key_is_masked_and_never_carried_into_a_plain_field() -> None:
    two_relays()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "e", "backup")
        form.query_one("#key_kind", Select).value = "inline"
        await pilot.pause()
        key_input = form.query_one("#key_value", Input)
        assert key_input.password
        assert key_input.value == ""
        await set_input(pilot, "#key_value", "sk-inline-secret-0000000000")
        form.query_one("#key_kind", Select).value = "command"
        await pilot.pause()
        assert not key_input.password
        assert key_input.value == ""  # the pasted key did not follow into plain text
        form.query_one("#key_kind", Select).value = "inline"
        await pilot.pause()
        await set_input(pilot, "#key_value", "sk-inline-secret-0000000000")
        await pilot.press("ctrl+s")
        await pilot.pause()
    table = saved()["profiles"]["backup"]
    assert table["api_key"] == "sk-inline-secret-0000000000"
    assert "api_key_env" not in table


async def test_changing_the_format_moves_the_default_auth_along() -> None:
    two_relays()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "a")
        assert form.query_one("#auth", Select).value == "x-api-key"
        form.query_one("#api_format", Select).value = "openai"
        await pilot.pause()
        assert form.query_one("#auth", Select).value == "bearer"


async def test_the_thinking_dialect_is_offered_for_openai_profiles_and_saved() -> None:
    two_relays()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "e", "relay")  # anthropic: the dialect does not apply
        assert not form.query_one("#field-thinking_dialect").display
        await pilot.press("escape")
        await pilot.pause()
        form = await open_form(pilot, "e", "backup")
        assert form.query_one("#field-thinking_dialect").display
        dialect = form.query_one("#thinking_dialect", Select)
        assert dialect.value == "auto"
        dialect.value = "openrouter"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert saved()["profiles"]["backup"]["thinking_dialect"] == "openrouter"


async def test_rename_moves_the_default_and_removes_the_old_table() -> None:
    two_relays()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "e", "relay")
        await set_input(pilot, "#name", "backup")
        assert "already a profile named" in app.screen.errors["name"]
        await set_input(pilot, "#name", "main")
        await pilot.press("ctrl+s")
        await pilot.pause()
    document = saved()
    assert set(document["profiles"]) == {"main", "backup"}
    assert document["default_profile"] == "main"


async def test_duplicate_saves_an_editable_copy() -> None:
    two_relays()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "c", "backup")
        assert form.query_one("#name", Input).value == "backup-copy"
        await pilot.press("ctrl+s")
        await pilot.pause()
    config = load_config()
    copy, original = config.profile("backup-copy"), config.profile("backup")
    assert copy == original.with_changes(name="backup-copy")
    assert saved()["profiles"]["backup-copy"] == {
        "base_url": "https://backup.example",
        "api_format": "openai",
        "api_key_env": "BACKUP_KEY",
        "model": "gpt-ish",
    }


async def test_duplicating_the_demo_asks_for_a_real_base_url() -> None:
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, "demo")
        await pilot.press("e")  # read-only: refused with a hint
        await pilot.pause()
        assert isinstance(app.screen, ProfileManager)
        form = await open_form(pilot, "c")
        assert form.query_one("#name", Input).value == "demo-copy"
        assert form.query_one("#base_url", Input).value == ""
        assert form.query_one("#save", Button).disabled
        await set_input(pilot, "#base_url", "http://127.0.0.1:8765")
        await pilot.press("ctrl+s")
        await pilot.pause()
    copy = load_config().profile("demo-copy")
    assert not copy.is_demo
    assert copy.base_url == "http://127.0.0.1:8765"
    assert copy.auth == "none"
    assert copy.model == "claude-demo"


async def test_delete_asks_first() -> None:
    two_relays()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, "relay")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert set(saved()["profiles"]) == {"relay", "backup"}
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ProfileManager)
        table = app.screen.query_one("#profiles", DataTable)
        assert [key.value for key in table.rows] == ["backup", "demo"]
        await pilot.press("escape")
        await pilot.pause()
    document = saved()
    assert set(document["profiles"]) == {"backup"}
    assert "default_profile" not in document  # it named the deleted profile
    assert app.results == [True]


async def test_builtins_cannot_be_deleted() -> None:
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, "demo")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ProfileManager)
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [False]
    assert not paths.config_file().exists()


async def test_set_default() -> None:
    two_relays()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, "backup")
        await pilot.press("s")
        await pilot.pause()
        table = app.screen.query_one("#profiles", DataTable)
        assert str(table.get_row("backup")[0]) == "*"
        assert str(table.get_row("relay")[0]) == ""
    assert saved()["default_profile"] == "backup"


async def test_an_unparseable_file_is_reported_and_never_rewritten() -> None:
    write_config('default_profile = "relay"\n[profiles.relay\nbase_url = 1\n')
    before = paths.config_file().read_text()
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#load-error", Label)
        assert banner.display
        assert "invalid TOML" in text_of(banner)
        await pilot.press("a")
        await pilot.pause()
        await set_input(pilot, "#name", "work")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProfileForm)  # still open, with the reason
        status = text_of(form.query_one("#status", Label))
        assert status.startswith("Not saved: ") and "invalid TOML" in status
    assert paths.config_file().read_text() == before


# --- testing a profile ---------------------------------------------------------------------


async def test_test_reports_ok_latency_and_models(demo_relay: DemoRelay) -> None:
    two_relays(demo_relay.base_url)
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, "relay")
        await pilot.press("t")
        await pilot.pause()
        await wait_for_workers(pilot)
        result = app.screen.query_one("#test-result", Static)
        text = text_of(result)
        assert text.startswith("profile relay: OK")
        assert "latency to first event:" in text
        assert "time to first token:" in text
        assert "models (3): " + ", ".join(DEMO_MODELS) in text
        assert result.has_class("-ok")
        assert not app.screen.query_one("#test-panel").loading
    cached = ModelCache().get(load_config().profile("relay"))
    assert cached is not None and list(cached.models) == DEMO_MODELS


async def test_test_shows_why_it_failed(demo_relay: DemoRelay) -> None:
    two_relays(demo_relay.base_url)
    demo_relay.queue_fault(Fault.http_error(401))
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        await select_row(pilot, "relay")
        await pilot.press("t")
        await wait_for_workers(pilot)
        result = app.screen.query_one("#test-result", Static)
        text = text_of(result)
        assert text.startswith("profile relay: FAILED:")
        assert "invalid x-api-key" in text
        assert result.has_class("-failed")


# --- model picker --------------------------------------------------------------------------


def relay_profile(relay: DemoRelay) -> Profile:
    return Profile(
        name="relay",
        base_url=relay.base_url,
        auth="none",
        model="claude-demo",
        models=("my-manual-model",),
        max_retries=0,
    )


def model_gets(relay: DemoRelay) -> int:
    return sum(1 for r in relay.requests if r.method == "GET" and "/v1/models" in r.path)


async def test_model_picker_lists_the_relays_models_and_caches_them(demo_relay: DemoRelay) -> None:
    profile = relay_profile(demo_relay)
    app = ScreenApp(ModelPicker(profile))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        options = app.screen.query_one("#models", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == [*DEMO_MODELS, "my-manual-model"]
        assert options.highlighted == 0  # the current model
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.results == ["claude-demo-fast"]
    assert model_gets(demo_relay) == 1
    cached = ModelCache().get(profile)
    assert cached is not None and list(cached.models) == DEMO_MODELS

    again = ScreenApp(ModelPicker(profile))
    async with again.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        options = again.screen.query_one("#models", OptionList)
        assert options.option_count == 4
        assert "listed by the endpoint just now" in text_of(again.screen.query_one("#status"))
        await pilot.press("escape")
        await pilot.pause()
    assert model_gets(demo_relay) == 1  # read from the cache
    assert again.results == [None]


async def test_model_picker_refresh_ignores_the_cache(demo_relay: DemoRelay) -> None:
    profile = relay_profile(demo_relay)
    ModelCache().put(profile, ["stale-model"])
    app = ScreenApp(ModelPicker(profile))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        assert model_gets(demo_relay) == 0
        await pilot.press("ctrl+r")
        await wait_for_workers(pilot)
        options = app.screen.query_one("#models", OptionList)
        assert options.get_option_at_index(0).id == "claude-demo"
    assert model_gets(demo_relay) == 1


async def test_model_picker_accepts_any_typed_id() -> None:
    # Nothing listens here: the list fails, the manual entry still works.
    profile = Profile(name="closed", base_url="http://127.0.0.1:9", auth="none", max_retries=0)
    app = ScreenApp(ModelPicker(profile))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        status = app.screen.query_one("#status", Label)
        assert text_of(status).startswith("Could not list models: Could not reach")
        assert status.has_class("-error")
        await set_input(pilot, "#model-id", "vendor/model-x")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["vendor/model-x"]


async def test_model_picker_shows_the_reason_for_an_http_error(demo_relay: DemoRelay) -> None:
    demo_relay.queue_fault(Fault.http_error(401))
    app = ScreenApp(ModelPicker(relay_profile(demo_relay)))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        assert "invalid x-api-key" in text_of(app.screen.query_one("#status", Label))
        options = app.screen.query_one("#models", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["my-manual-model", "claude-demo"]  # the profile's own, then current
    assert ModelCache().get(relay_profile(demo_relay)) is None


async def test_model_picker_survives_a_corrupt_cache(demo_relay: DemoRelay) -> None:
    cache_file = paths.data_dir() / "model_cache.json"
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text("{ definitely not json")
    app = ScreenApp(ModelPicker(relay_profile(demo_relay)))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(pilot)
        assert app.screen.query_one("#models", OptionList).option_count == 4
    assert ModelCache().get(relay_profile(demo_relay)) is not None


@pytest.mark.parametrize("key", ["sk-1", "sk-ant-" + "k" * 90], ids=["short key", "long key"])
async def test_a_saved_inline_key_shows_a_fixed_width_mask(key: str) -> None:
    write_config(
        f"""\
[profiles.inline]
base_url = "https://relay.example"
api_key = "{key}"
model = "claude-demo"
"""
    )
    app = ScreenApp(ProfileManager())
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "e", "inline")
        key_input = form.query_one("#key_value", Input)
        assert key_input.value == ""  # no bullets to count
        assert key_input.placeholder == SAVED_KEY_PLACEHOLDER
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert saved()["profiles"]["inline"]["api_key"] == key
