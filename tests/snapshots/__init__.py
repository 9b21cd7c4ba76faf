"""SVG snapshot tests of the app (pytest-textual-snapshot)."""
