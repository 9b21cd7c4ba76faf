"""Rich styles the message layout paints with, derived from the active Textual theme.

Kept apart from the layout so a theme switch rebuilds one small object and invalidates the
caches, and so the layout itself never reaches into the app.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from textual.theme import Theme


class LayoutStyles(NamedTuple):
    """Every style a message layout uses (a NamedTuple for the launch, see ``RenderTheme``)."""

    user_label: Style
    assistant_label: Style
    muted: Style
    thinking: Style
    thinking_summary: Style
    error_border: Style
    error_text: Style
    warning: Style
    action: Style
    gutter_selected: Style
    text: Style
    summary: Style  # the /compact summary block's line and bar

    @classmethod
    def from_theme(cls, theme: Theme) -> LayoutStyles:
        """Styles for ``theme``; falls back to sensible colours for unset variables."""
        foreground = theme.foreground or ("#e0e0e0" if theme.dark else "#1f1f1f")
        muted = "#8a8a8a" if theme.dark else "#6b6b6b"
        error = theme.error or "#e5484d"
        warning = theme.warning or "#d29922"
        accent = theme.accent or theme.primary
        return cls(
            user_label=Style(color=accent, bold=True),
            assistant_label=Style(color=theme.primary, bold=True),
            muted=Style(color=muted),
            thinking=Style(color=muted, italic=True),
            thinking_summary=Style(color=muted),
            error_border=Style(color=error),
            error_text=Style(color=foreground),
            warning=Style(color=warning),
            action=Style(color=theme.primary, underline=True),
            gutter_selected=Style(color=accent, bold=True),
            text=Style(color=foreground),
            summary=Style(color=accent, bold=True),
        )
