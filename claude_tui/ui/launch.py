"""Starts the Textual app; the only entry from the CLI into the UI layer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claude_tui.profiles import Config

if TYPE_CHECKING:
    from claude_tui.ui.app import ClaudeTuiApp


def build_app(
    config: Config,
    *,
    profile_name: str | None,
    model: str | None,
    continue_latest: bool,
    resume: str | None,
    system: str | None,
) -> ClaudeTuiApp:
    """The app, ready to run: the UI's modules are imported here, after the collector is
    told to collect rarely, since the imports otherwise pay for dozens of collections."""
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
    )


def run_app(app: ClaudeTuiApp) -> int:
    """Run the app until the user quits; returns the exit code."""
    app.run()
    return app.return_code or 0
