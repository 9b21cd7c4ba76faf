"""The confirm dialog: Cancel is the default, the focused button is visible, and the button
row says what Enter does."""

from __future__ import annotations

from textual.app import App
from textual.color import Color
from textual.widgets import Button, Label

from claude_tui.ui.screens.confirm_screen import ConfirmScreen

SIZE = (80, 24)


class ConfirmApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool | None] = []

    def on_mount(self) -> None:
        self.push_screen(
            ConfirmScreen("Delete the session “x”?", yes="Delete"), self.answers.append
        )


def keys_of(app: App[None]) -> str:
    return str(app.screen.query_one("#keys", Label).content)


def framed(app: App[None], button: Button) -> bool:
    """Whether the button wears the focus frame: the text colour all round."""
    foreground = Color.parse(app.theme_variables["foreground"])
    edges = (button.styles.border_top, button.styles.border_left, button.styles.border_bottom)
    return all(edge[1] == foreground for edge in edges)


async def test_enter_on_a_delete_confirm_cancels_and_the_row_says_so() -> None:
    app = ConfirmApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert keys_of(app) == "Enter: Cancel · y: Delete"
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [False]


async def test_the_focused_button_is_framed_and_tab_moves_the_frame() -> None:
    app = ConfirmApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cancel = app.screen.query_one("#no", Button)
        delete = app.screen.query_one("#yes", Button)
        assert app.focused is cancel
        assert framed(app, cancel) and not framed(app, delete)

        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is delete
        assert framed(app, delete) and not framed(app, cancel)
        assert keys_of(app) == "Enter: Delete · n: Cancel"
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [True]


async def test_y_confirms_and_n_or_escape_cancel() -> None:
    for key, answer in (("y", True), ("n", False), ("escape", False)):
        app = ConfirmApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
        assert app.answers == [answer], key
