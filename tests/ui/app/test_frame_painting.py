"""The shortcuts in painting a frame paint what Textual paints.

``RowCroppedCompositor`` asks widgets for fewer lines (only unpainted cells of the updated
rows) and the conversation view keeps styled rows across scrolls (``StyledLineCache``).
These tests hold both to Textual's own ``Compositor`` and ``StylesCache`` on the real app:
the same full screen and the same bytes for partial updates, with a finished reply, one
still streaming, the sidebar and a toast; the same rows after a scroll, a theme change and
a change of focus.
"""

from __future__ import annotations

from typing import Any

from app_driving import pane_of, relay_table, run, send, tap, wait_until, write_config
from textual._compositor import Compositor
from textual.geometry import Region
from textual.screen import Screen

from claude_tui.demo import DemoRelay
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.row_cropped_compositor import RowCroppedCompositor


def _stock_twin(screen: Screen[Any]) -> Compositor:
    """Textual's compositor laid out like ``screen``'s."""
    stock = Compositor()
    stock.reflow(screen, screen.size)
    return stock


def _same_frames(app: ClaudeTuiApp, screen: Screen[Any]) -> None:
    ours = screen._compositor
    # Both laid out now: mid-stream the screen may have a layout pending (the scrollbar
    # has just appeared) while the twin is laid out afresh, and the frames would differ
    # in where their widgets are, not in how they paint them.
    ours.reflow(screen, screen.size)
    stock = _stock_twin(screen)
    assert [s.text for s in ours.render_strips()] == [s.text for s in stock.render_strips()]
    assert ours.render_strips() == stock.render_strips()  # styles too, segment by segment
    width, height = screen.size
    updates = [
        [Region(0, height - 6, width, 2)],  # the conversation's last rows and the composer
        [Region(3, 2, 20, 3), Region(width - 30, height - 3, 25, 2)],  # two separate spans
        [Region(0, 0, width, height)],
    ]
    for regions in updates:
        ours._dirty_regions.clear()
        stock._dirty_regions.clear()
        ours._dirty_regions.update(regions)
        stock._dirty_regions.update(regions)
        our_update = ours.render_update(screen_stack=[])
        stock_update = stock.render_update(screen_stack=[])
        assert our_update is not None and stock_update is not None
        assert our_update.render_segments(app.console) == stock_update.render_segments(
            app.console
        ), regions


async def test_the_main_screen_paints_what_textual_paints(demo_relay: DemoRelay) -> None:
    config = write_config({"relay": relay_table(demo_relay.base_url)})
    app = ClaudeTuiApp(config, profile_name="relay")
    async with run(app) as pilot:
        assert isinstance(app.screen._compositor, RowCroppedCompositor)
        await send(pilot, "[demo:long=400] Tell me about terminals")
        _same_frames(app, app.screen)
        app.notify("a toast over the conversation")
        await tap(pilot, "ctrl+b")  # the session sidebar opens beside the view
        await wait_until(pilot, lambda: len(app.screen.query("SessionSidebar")) > 0)
        await pilot.pause(0.3)
        _same_frames(app, app.screen)


async def test_a_frame_mid_stream_paints_what_textual_paints(demo_relay: DemoRelay) -> None:
    demo_relay.delay = 0.01
    config = write_config({"relay": relay_table(demo_relay.base_url)})
    app = ClaudeTuiApp(config, profile_name="relay")
    async with run(app) as pilot:
        pane = pane_of(pilot)
        pane.composer.set_text("[demo:markdown=3000] Tell me about terminals")
        await tap(pilot, "enter")
        await wait_until(pilot, lambda: pane.streaming and pane.view.line_count > 30)
        _same_frames(app, app.screen)
        await tap(pilot, "escape")
        await wait_until(pilot, lambda: not pane.streaming)


def _view_rows_as_textual_styles_them(pane: Any) -> tuple[list[Any], list[Any]]:
    """The view's rows from its own cache, and as a fresh Textual ``StylesCache`` makes them."""
    from textual._styles_cache import StylesCache

    view = pane.view
    crop = Region(0, 0, view.size.width, view.size.height)
    return view.render_lines(crop), StylesCache().render_widget(view, crop)


async def test_scrolled_rows_are_styled_as_textual_styles_them(demo_relay: DemoRelay) -> None:
    # The view keeps styled rows by their line (styled_line_cache): scrolling, a theme
    # change and focus must all give what Textual's own cache gives.
    config = write_config({"relay": relay_table(demo_relay.base_url)})
    app = ClaudeTuiApp(config, profile_name="relay")
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, "[demo:long=600] Tell me about terminals")
        ours, textual = _view_rows_as_textual_styles_them(pane)
        assert ours == textual
        pane.view.scroll_to(y=pane.view.scroll_y - 7, animate=False, immediate=True)
        await pilot.pause()
        ours, textual = _view_rows_as_textual_styles_them(pane)
        assert ours == textual
        before = ours
        app.set_theme("textual-light")
        await pilot.pause(0.2)
        ours, textual = _view_rows_as_textual_styles_them(pane)
        assert ours == textual
        assert ours != before  # the theme reached the rows
        pane.view.focus()
        await pilot.pause(0.1)
        ours, textual = _view_rows_as_textual_styles_them(pane)
        assert ours == textual
