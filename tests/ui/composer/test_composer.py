"""The composer and its suggestions, driven through a tiny app with Pilot."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button

from claude_tui.ui.prompt_history import PromptHistory
from claude_tui.ui.widgets.composer import Composer
from claude_tui.ui.widgets.composer_box import ComposerBox

MODELS = ("claude-sonnet-4-5", "claude-opus-4-1")


def choices(name: str) -> Sequence[str]:
    """Model names for ``/model``; nothing for the rest."""
    return MODELS if name == "model" else ()


class ComposerApp(App[None]):
    """Just a composer box, a button to tab to, and an Esc binding like the real app's."""

    BINDINGS = [Binding("escape", "stop_reply", "Stop", id="test.stop")]

    def __init__(self, history: PromptHistory | None = None) -> None:
        super().__init__()
        self.history = history
        self.submitted: list[ComposerBox.Submitted] = []
        self.escapes = 0
        self.notes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Button("elsewhere")
        yield ComposerBox(choices, self.history)

    def on_mount(self) -> None:
        self.query_one(ComposerBox).focus_composer()

    def on_composer_box_submitted(self, event: ComposerBox.Submitted) -> None:
        self.submitted.append(event)

    def action_stop_reply(self) -> None:
        self.escapes += 1

    def notify(self, message: str, **_: object) -> None:  # type: ignore[override]
        self.notes.append(message)

    @property
    def box(self) -> ComposerBox:
        return self.query_one(ComposerBox)

    @property
    def composer(self) -> Composer:
        return self.box.composer

    @property
    def texts(self) -> list[str]:
        return [event.text for event in self.submitted]


async def test_enter_submits_and_clears() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        await pilot.press(*"hello", "enter")
        await pilot.pause()
        assert app.texts == ["hello"]
        assert app.submitted[0].slash is None
        assert app.composer.text == ""
        assert app.box.history.entries == ("hello",)


def burst(app: App[None], text: str) -> None:
    """Keys arriving together, as from a fast typist, a text expander or ``tmux send-keys``:
    all queued before the app handles the first."""
    for character in text:
        key = "enter" if character == "\r" else character
        app.post_message(events.Key(key, character))


async def test_enter_in_a_burst_sends_the_keys_before_it_and_keeps_those_after() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        burst(app, "hello there\rnext")
        for _ in range(5):
            await pilot.pause()
        assert app.texts == ["hello there"]
        assert app.composer.text == "next"  # typed after Enter: the start of the next prompt


async def test_blank_enter_posts_nothing() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        await pilot.press("enter", "space", "space", "enter")
        await pilot.pause()
        assert app.submitted == []
        assert app.composer.text == "  "  # Enter never inserts a newline.


async def test_shift_enter_and_ctrl_j_insert_newlines() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        await pilot.press("a", "shift+enter", "b", "ctrl+j", "c")
        await pilot.pause()
        assert app.composer.text == "a\nb\nc"
        assert app.submitted == []
        await pilot.press("enter")
        await pilot.pause()
        assert app.texts == ["a\nb\nc"]


async def test_outer_blank_lines_are_trimmed_inner_kept() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        app.composer.set_text("\n  \n  indented\n\nlast  \n\n")
        await pilot.press("enter")
        await pilot.pause()
        assert app.texts == ["  indented\n\nlast"]


async def test_composer_grows_with_its_text_up_to_a_limit() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        assert app.composer.outer_size.height == 3  # One line inside a tall border.
        app.composer.set_text("1\n2\n3")
        await pilot.pause()
        assert app.composer.outer_size.height == 5
        app.composer.set_text("\n".join(str(n) for n in range(20)))
        await pilot.pause()
        assert app.composer.outer_size.height == 10


async def test_paste_of_multiline_text_is_inserted_verbatim() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        await pilot.press("x")
        app.post_message(events.Paste("a\nb"))
        await pilot.pause()
        assert app.composer.text == "xa\nb"
        assert app.submitted == []


async def test_history_is_recalled_in_a_new_instance() -> None:
    first = ComposerApp()
    async with first.run_test() as pilot:
        await pilot.press(*"one", "enter", *"two", "enter")
        await pilot.pause()

    second = ComposerApp()  # Same (isolated) data folder, fresh PromptHistory.
    async with second.run_test() as pilot:
        composer = second.composer
        await pilot.press(*"draft")
        await pilot.press("up")
        assert composer.text == "two"
        await pilot.press("up")
        assert composer.text == "one"
        await pilot.press("up")  # Oldest: stays.
        assert composer.text == "one"
        await pilot.press("down")
        assert composer.text == "two"
        await pilot.press("down")
        assert composer.text == "draft"


async def test_up_moves_within_multiline_text_before_recalling(tmp_path: Path) -> None:
    history = PromptHistory(tmp_path / "h.jsonl")
    history.add("older")
    app = ComposerApp(history)
    async with app.run_test() as pilot:
        await pilot.press("a", "ctrl+j", "b", "up")
        assert app.composer.text == "a\nb"
        assert app.composer.cursor_location == (0, 1)
        await pilot.press("up")
        assert app.composer.text == "older"
        await pilot.press("down")
        assert app.composer.text == "a\nb"


async def test_slash_then_tab_completes_the_command_name(tmp_path: Path) -> None:
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press(*"/mo")
        await pilot.pause()
        assert app.box.suggestions.is_showing
        assert app.box.suggestions.display
        await pilot.press("tab")
        await pilot.pause()
        assert app.composer.text == "/model "
        assert app.composer.has_focus
        # The list now offers the argument.
        assert [c.label for c in app.box.suggestions.completions] == list(MODELS)


async def test_argument_completion_with_down_and_enter(tmp_path: Path) -> None:
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press(*"/model cl")
        await pilot.pause()
        assert [c.label for c in app.box.suggestions.completions] == list(MODELS)
        await pilot.press("down", "down", "enter")  # Enter applies, does not send.
        await pilot.pause()
        assert app.composer.text == "/model claude-opus-4-1"
        assert app.submitted == []
        assert not app.box.suggestions.is_showing
        await pilot.press("enter")
        await pilot.pause()
        (event,) = app.submitted
        assert event.slash is not None
        assert (event.slash.name, event.slash.argument) == ("model", "claude-opus-4-1")
        assert app.box.history.entries == ("/model claude-opus-4-1",)


async def test_enter_without_highlight_sends_the_command(tmp_path: Path) -> None:
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press(*"/new")
        await pilot.pause()
        assert app.box.suggestions.is_showing
        await pilot.press("enter")
        await pilot.pause()
        assert app.submitted[0].slash is not None
        assert app.submitted[0].slash.name == "new"
        assert not app.box.suggestions.is_showing


async def test_double_slash_sends_a_prompt_starting_with_slash(tmp_path: Path) -> None:
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press(*"//etc/hosts?", "enter")
        await pilot.pause()
        assert app.texts == ["/etc/hosts?"]
        assert app.submitted[0].slash is None
        assert app.box.history.entries == ("//etc/hosts?",)


async def test_escape_hides_suggestions_then_reaches_the_app(tmp_path: Path) -> None:
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press("/")
        await pilot.pause()
        assert app.box.suggestions.is_showing
        await pilot.press("escape")
        await pilot.pause()
        assert not app.box.suggestions.is_showing
        assert not app.box.suggestions.display
        assert app.escapes == 0
        await pilot.press("escape")
        assert app.escapes == 1
        await pilot.press("m")  # New text: the list comes back.
        await pilot.pause()
        assert app.box.suggestions.is_showing


async def test_escape_without_suggestions_reaches_the_app(tmp_path: Path) -> None:
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press(*"hi", "escape")
        assert app.escapes == 1
        assert app.composer.text == "hi"


async def test_tab_without_suggestions_moves_focus(tmp_path: Path) -> None:
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press(*"hi", "tab")
        assert isinstance(app.focused, Button)


async def test_clicking_a_suggestion_applies_it(tmp_path: Path) -> None:
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press(*"/th")
        await pilot.pause()
        await pilot.click(app.box.suggestions, offset=(2, 0))
        await pilot.pause()
        assert app.composer.text == "/thinking "
        assert app.composer.has_focus


async def test_recalled_command_does_not_open_suggestions(tmp_path: Path) -> None:
    history = PromptHistory(tmp_path / "h.jsonl")
    history.add("older prompt")
    history.add("/new")
    app = ComposerApp(history)
    async with app.run_test() as pilot:
        await pilot.press("up")
        await pilot.pause()
        assert app.composer.text == "/new"
        assert not app.box.suggestions.is_showing
        await pilot.press("up")  # Still walks the history rather than the list.
        assert app.composer.text == "older prompt"


async def test_set_text_replaces_and_focuses(tmp_path: Path) -> None:
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        app.set_focus(None)
        app.box.set_text("edit me\nplease")
        await pilot.pause()
        assert app.composer.text == "edit me\nplease"
        assert app.composer.has_focus
        assert app.composer.cursor_location == (1, 6)


def _editor_script(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "editor.sh"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


async def test_ctrl_g_edits_in_external_editor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Appends to what it was given, proving the composer text was written to the file.
    script = _editor_script(tmp_path, """printf ' and more\\nsecond line\\n' >> "$1" """)
    monkeypatch.setenv("EDITOR", str(script))
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press(*"start", "ctrl+g")
        await pilot.pause()
        assert app.composer.text == "start and more\nsecond line"
        assert app.notes == []
        assert app.submitted == []


async def test_visual_wins_over_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = _editor_script(tmp_path, """printf 'from visual' > "$1" """)
    monkeypatch.setenv("VISUAL", str(script))
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.composer.text == "from visual"


async def test_failing_editor_keeps_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _editor_script(tmp_path, """printf 'garbage' > "$1"; exit 3""")
    monkeypatch.setenv("EDITOR", str(script))
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press(*"keep me", "ctrl+g")
        await pilot.pause()
        assert app.composer.text == "keep me"
        assert len(app.notes) == 1
        assert "status 3" in app.notes[0]


async def test_missing_editor_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "/nonexistent/editor --wait")
    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        await pilot.press(*"keep me", "ctrl+g")
        await pilot.pause()
        assert app.composer.text == "keep me"
        assert "/nonexistent/editor" in app.notes[0]


async def test_editor_suspends_a_real_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _editor_script(tmp_path, """printf 'edited' > "$1" """)
    monkeypatch.setenv("EDITOR", str(script))
    suspended: list[bool] = []

    @contextlib.contextmanager
    def fake_suspend() -> Iterator[None]:
        suspended.append(True)
        yield

    app = ComposerApp(PromptHistory(tmp_path / "h.jsonl"))
    async with app.run_test() as pilot:
        monkeypatch.setattr(ComposerApp, "is_headless", property(lambda self: False))
        monkeypatch.setattr(app, "suspend", fake_suspend)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert suspended == [True]
        assert app.composer.text == "edited"


class TwoComposersApp(App[None]):
    """Two composers sharing one history, like two conversation tabs."""

    def __init__(self, history: PromptHistory) -> None:
        super().__init__()
        self.history = history

    def compose(self) -> ComposeResult:
        yield ComposerBox(choices, self.history, id="first")
        yield ComposerBox(choices, self.history, id="second")


async def test_history_walk_does_not_leak_between_composers_sharing_it(tmp_path: Path) -> None:
    history = PromptHistory(tmp_path / "h.jsonl")
    history.add("old")
    app = TwoComposersApp(history)
    async with app.run_test() as pilot:
        first = app.query_one("#first", ComposerBox)
        second = app.query_one("#second", ComposerBox)
        first.focus_composer()
        await pilot.press(*"draft A", "up")
        assert first.composer.text == "old"
        second.focus_composer()
        await pilot.pause()
        await pilot.press("down")
        assert second.composer.text == ""  # Not first's draft.


async def test_the_cursor_rests_when_idle_and_blinks_again_on_a_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Composer, "BLINK_SECONDS", 0.1)
    app = ComposerApp()
    async with app.run_test() as pilot:
        composer = app.composer
        assert composer.cursor_blink
        await pilot.pause(0.3)
        assert not composer.cursor_blink  # steady, and still shown: nothing to repaint
        # Blinking again for longer than a loaded machine can take to handle the key (at
        # 0.1 s it had stopped again by the time pilot.press returned, once in .ci/run).
        monkeypatch.setattr(Composer, "BLINK_SECONDS", 30.0)
        await pilot.press("a")
        assert composer.cursor_blink

        composer.cursor_blink = False  # turned off by someone else: left off
        await pilot.pause(0.3)
        await pilot.press("b")
        assert not composer.cursor_blink
        assert composer.text == "ab"
