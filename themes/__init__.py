"""claude-tui's bundled themes, one TOML file each; installed as ``claude_tui.bundled_themes``.

This folder holds data, not code. The file exists only so that editable installs can import
the folder under its mapped name (setuptools' editable finder does not map a package without
an ``__init__.py``); ``claude_tui.ui.theme_files`` reads the ``*.toml`` files beside it.
"""
