"""Widgets of the claude-tui app, one per module; folders group a feature."""
