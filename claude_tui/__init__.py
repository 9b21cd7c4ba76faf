"""claude-tui: a terminal chat client for Claude and Claude-compatible relays.

The package is split in two layers. The backend (``profiles``, ``wire``, ``sessions``,
``pricing``, ``demo``, ``conversation``, ``cli``) is a plain async library that never imports
Textual, so print mode and the tests run headless. The UI (``ui``) renders backend events.
"""

__version__ = "0.1.0"
