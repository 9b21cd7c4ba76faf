"""The main screen: Textual's ``Screen`` with the two parts of its painting replaced.

- Its compositor renders only the rows a frame changes (see ``row_cropped_compositor``).
- Its frame clock (:class:`FrameClock`) paints as soon as something is dirty, at most
  once a frame period (``TEXTUAL_FPS``: 120 a second unless the user set it, see
  ``launch``). Textual's update timer is an interval timer that the screen pauses after
  every frame and resumes when a widget changes; after a late tick its skip logic sets
  the next tick one to two periods ahead, so under a streaming reply a keystroke waited
  up to two periods more for the frame that shows it.

Both rest on private parts of Textual 8 (``Screen._update_timer``, ``_on_timer_update``,
``Compositor._render_chops``); ``pyproject.toml`` pins ``textual<9`` and
``tests/ui/app/test_frame_painting.py`` checks the painting against Textual's own.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from textual.screen import UPDATE_PERIOD, Screen

from claude_tui.ui.row_cropped_compositor import RowCroppedCompositor


class FrameClock:
    """Stands in for the screen's update timer (``pause`` and ``resume`` are all the
    screen asks of it): once resumed it paints ``period`` seconds after the previous
    frame, or at once if that has passed."""

    def __init__(self, screen: Screen[Any], period: float = UPDATE_PERIOD) -> None:
        self._screen = screen
        self.period = period
        self._handle: asyncio.TimerHandle | None = None
        self._last_frame = 0.0

    def pause(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def resume(self) -> None:
        if self._handle is not None:
            return
        delay = max(0.0, self._last_frame + self.period - time.monotonic())
        self._handle = asyncio.get_running_loop().call_later(delay, self._frame)

    def _frame(self) -> None:
        self._handle = None
        self._last_frame = time.monotonic()
        # Called here, as Textual's timer calls it from its own task (not through the
        # screen's message queue: a wake of the screen's pump cost ~0.4 ms a frame, a
        # tenth of a paced reply's CPU), and a failure goes to the app as the timer's does.
        try:
            self._screen._on_timer_update()
        except Exception as error:  # the app shows it and exits
            self._screen.app._handle_exception(error)


class MainScreen(Screen[Any]):
    """The screen the conversations live on."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._compositor = RowCroppedCompositor()
        self._frame_clock = FrameClock(self)

    @property
    def _update_timer(self) -> FrameClock:  # type: ignore[override]
        return self._frame_clock

    def _on_unmount(self) -> None:  # Textual calls each class's handler: no super()
        self._frame_clock.pause()
