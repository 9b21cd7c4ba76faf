"""The app's pickers and managers: profile, model, theme, and the profile manager.

A mixin of the app, typed against :class:`~claude_tui.ui.app_host.AppHost`; the screens are
imported when first opened, so none of them costs start-up time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claude_tui.ui.app_host import AppHost


class PickerActions:
    """Actions that open a picker screen and apply its answer."""

    def action_pick_profile(self: AppHost) -> None:
        """Pick the profile the current conversation talks to."""
        from claude_tui.ui.command_dispatch import switch_profile
        from claude_tui.ui.screens.profile_picker import ProfilePicker

        pane = self.active_pane
        if pane is None:
            return
        self.refresh_config()  # a profile just added in an editor is offered

        def chosen(name: str | None) -> None:
            if name and name != pane.conversation.profile.name:
                switch_profile(self, pane, name)
                self.refresh_status()

        self.push_screen(ProfilePicker(self.config, pane.conversation.profile.name), chosen)

    def action_pick_model(self: AppHost) -> None:
        """Pick a model from the endpoint's list (cached), or type one."""
        from claude_tui.ui.screens.model_picker import ModelPicker

        pane = self.active_pane
        if pane is None:
            return
        conversation = pane.conversation

        def chosen(model: str | None) -> None:
            if model and model != conversation.settings.model:
                conversation.set_model(model)
                self.notify(f"Next messages go to {model}.")
                self.refresh_status()

        picker = ModelPicker(
            conversation.profile, current=conversation.settings.model, pool=self.pool
        )
        self.push_screen(picker, chosen)

    def action_manage_profiles(self: AppHost) -> None:
        """Open the profile manager: add, edit, duplicate, delete, set default, test."""
        from claude_tui.ui.screens.profile_manager import ProfileManager

        self.refresh_config()
        self.push_screen(ProfileManager(self.config.path))

    def on_profile_manager_changed(self: AppHost, event: object) -> None:
        """Reload profiles after the manager saved; open tabs follow their edited profile."""
        config = getattr(event, "config", None)
        if config is not None:
            self.apply_config(config)  # an edited profile re-applies to its tabs (see README)

    def action_pick_theme(self: AppHost) -> None:
        """Theme picker with live preview; the choice is saved to config.toml."""

        def chosen(name: str | None) -> None:
            if name:
                self.set_theme(name)

        from claude_tui.ui.screens.theme_picker import ThemePicker

        self.push_screen(ThemePicker(), chosen)

    def set_theme(self: AppHost, name: str) -> None:
        """Switch theme live and remember the choice in config.toml."""
        if not name:
            self.action_pick_theme()
            return
        if name not in self.available_themes:
            self.notify(
                f"No theme {name!r}. Themes: {', '.join(sorted(self.available_themes))}",
                severity="warning",
            )
            return
        self.theme = name
        from claude_tui.ui.theme_registry import save_theme_choice

        problem = save_theme_choice(name)
        if problem:
            self.notify(f"Theme applied but not saved: {problem}", severity="warning")
