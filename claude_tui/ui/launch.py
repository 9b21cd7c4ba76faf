"""Starts the Textual app; the only entry from the CLI into the UI layer."""

from __future__ import annotations

from claude_tui.profiles import Config


def launch_app(
    config: Config,
    *,
    profile_name: str | None,
    model: str | None,
    continue_latest: bool,
    resume: str | None,
    system: str | None,
) -> int:
    """Run the app until the user quits; returns the exit code."""
    from claude_tui.ui.app import ClaudeTuiApp

    app = ClaudeTuiApp(
        config,
        profile_name=profile_name,
        model=model,
        continue_latest=continue_latest,
        resume=resume,
        system=system,
    )
    app.run()
    return app.return_code or 0
