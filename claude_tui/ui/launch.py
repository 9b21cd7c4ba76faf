"""Starts the Textual app; the only entry from the CLI into the UI layer."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from claude_tui.profiles import Config

if TYPE_CHECKING:
    from claude_tui.ui.app import ClaudeTuiApp

MAX_FPS = 120


def build_app(
    config: Config,
    *,
    profile_name: str | None,
    model: str | None,
    continue_latest: bool,
    resume: str | None,
    system: str | None,
    initial_prompt: str | None = None,
) -> ClaudeTuiApp:
    """The app, ready to run: the UI's modules are imported here, after the collector is
    told to collect rarely, since the imports otherwise pay for dozens of collections.

    Textual paints at most 60 frames a second unless told otherwise, so a key typed just
    after a streamed repaint waited up to 17 ms for its frame (``main_screen``'s clock;
    Textual's own timer added up to a period more). At 120 the wait halves; the
    conversation's own repaints are throttled by the view, so the higher cap costs no
    extra work. A ``TEXTUAL_FPS`` the user set wins.

    ``initial_prompt`` (``claude-tui "a prompt"``) is sent by the first conversation once
    it is on screen, as if typed there.
    """
    os.environ.setdefault("TEXTUAL_FPS", str(MAX_FPS))
    from claude_tui.ui.gc_tuning import collect_rarely

    collect_rarely()
    from claude_tui.ui.app import ClaudeTuiApp

    return ClaudeTuiApp(
        config,
        profile_name=profile_name,
        model=model,
        continue_latest=continue_latest,
        resume=resume,
        system=system,
        initial_prompt=initial_prompt,
    )


def run_app(app: ClaudeTuiApp) -> int:
    """Run the app until the user quits; returns the exit code."""
    app.run()
    return app.return_code or 0
