"""The built-in demo relay: a loopback server that imitates the Claude and OpenAI APIs.

Used by ``claude-tui --demo`` (no API key needed), by the integration tests, and by
``python -m claude_tui.demo`` for trying other clients. Standard library only.
"""

from __future__ import annotations

from claude_tui.demo.fault_modes import Fault
from claude_tui.demo.relay_server import (
    DemoRelay,
    NonLoopbackHostError,
    RecordedRequest,
    run_forever,
)

__all__ = ["DemoRelay", "Fault", "NonLoopbackHostError", "RecordedRequest", "run_forever"]
