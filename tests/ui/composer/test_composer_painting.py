"""The composer works out its theme's styles only when styles change, and still paints
exactly what Textual's TextArea paints: typed and selected text, focus moving away and
back, another theme."""

from __future__ import annotations

from app_driving import pane_of, run, tap, write_config
from textual.geometry import Region
from textual.widgets import TextArea

from claude_tui.ui.app import ClaudeTuiApp


def _as_textarea_paints(composer: TextArea) -> bool:
    """Ours first (with whatever styles it kept), then TextArea's own way, which works the
    theme's styles out again on every render."""
    crop = Region(0, 0, composer.size.width, composer.size.height)
    ours = composer.render_lines(crop)
    stock = TextArea.render_lines(composer, crop)
    return ours == stock


async def test_the_composer_paints_what_a_text_area_paints() -> None:
    app = ClaudeTuiApp(write_config({}))
    async with run(app) as pilot:
        composer = pane_of(pilot).composer.composer
        await tap(pilot, "h", "e", "y")
        composer.select_all()  # the selection's colour comes from the theme's styles
        await pilot.pause()
        assert _as_textarea_paints(composer)
        composer.blur()
        await pilot.pause()
        assert _as_textarea_paints(composer)
        composer.focus()
        await pilot.pause()
        assert _as_textarea_paints(composer)
        composer.styles.background = "darkred"  # a style of its own, as a class would give
        await pilot.pause()
        assert _as_textarea_paints(composer)
        app.theme = "textual-light"
        await pilot.pause(0.2)
        assert _as_textarea_paints(composer)
        app.theme = "dracula"
        await pilot.pause(0.2)
        assert _as_textarea_paints(composer)
