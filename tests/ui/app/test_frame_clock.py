"""The main screen's frame clock paints as soon as something is dirty, at most 60 times a
second, and never a period late after a late frame (Textual's interval timer was)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from app_driving import run, tap, wait_until_shown, write_config

from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.main_screen import FrameClock, MainScreen

FRAME_PERIOD = 1 / 60


class _App:
    def __init__(self) -> None:
        self.errors: list[Exception] = []

    def _handle_exception(self, error: Exception) -> None:
        self.errors.append(error)


class _Screen:
    """What the clock asks of a screen: its update method, and its app for a failure."""

    def __init__(self, failing: bool = False) -> None:
        self.frames: list[float] = []
        self.app = _App()
        self.failing = failing

    def _on_timer_update(self) -> None:
        self.frames.append(time.monotonic())
        if self.failing:
            raise RuntimeError("a widget failed to render")


async def _until(condition: Any, timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the clock never ticked"
        await asyncio.sleep(0.001)


async def test_a_resumed_clock_paints_at_once_after_a_quiet_spell() -> None:
    screen = _Screen()
    clock = FrameClock(screen, FRAME_PERIOD)  # type: ignore[arg-type]
    clock.resume()
    await _until(lambda: screen.frames)
    await asyncio.sleep(FRAME_PERIOD * 2)  # quiet: the next frame is due already
    resumed = time.monotonic()
    clock.resume()
    await _until(lambda: len(screen.frames) == 2)
    assert screen.frames[1] - resumed < FRAME_PERIOD  # Textual's timer: up to two periods


async def test_frames_come_no_closer_than_the_period_and_resume_twice_paints_once() -> None:
    screen = _Screen()
    clock = FrameClock(screen, FRAME_PERIOD)  # type: ignore[arg-type]
    clock.resume()
    await _until(lambda: screen.frames)
    clock.resume()
    clock.resume()
    await _until(lambda: len(screen.frames) == 2)
    await asyncio.sleep(FRAME_PERIOD * 3)
    assert len(screen.frames) == 2
    assert screen.frames[1] - screen.frames[0] >= FRAME_PERIOD * 0.9


async def test_a_frame_that_fails_goes_to_the_app_and_the_clock_goes_on() -> None:
    """As with Textual's timer: the app shows the error (and exits); nothing is lost in
    the event loop's log."""
    screen = _Screen(failing=True)
    clock = FrameClock(screen, FRAME_PERIOD)  # type: ignore[arg-type]
    clock.resume()
    await _until(lambda: screen.app.errors)
    assert str(screen.app.errors[0]) == "a widget failed to render"
    clock.resume()
    await _until(lambda: len(screen.frames) == 2)


async def test_a_paused_clock_does_not_paint() -> None:
    screen = _Screen()
    clock = FrameClock(screen, FRAME_PERIOD)  # type: ignore[arg-type]
    clock.resume()
    clock.pause()
    await asyncio.sleep(FRAME_PERIOD * 3)
    assert screen.frames == []


async def test_the_app_paints_keys_with_the_main_screens_clock() -> None:
    app = ClaudeTuiApp(write_config({}))
    async with run(app) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert isinstance(screen._update_timer, FrameClock)
        await tap(pilot, "h", "i", "!")
        await wait_until_shown(pilot, "hi!")  # painted by this clock: there is no other
