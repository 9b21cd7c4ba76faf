"""A hand-written, commented config.toml, for the tests that check writes keep it intact."""

from __future__ import annotations

COMMENTED = """\
# claude-tui settings: edited by hand, keep the comments please.
# Keys live in the password manager.

default_profile = "work"   # what I use most days
theme = "nord"

# ---- Relays ----

# The official API.
[profiles.anthropic]
base_url = "https://api.anthropic.com"
api_key_env = "ANTHROPIC_API_KEY"  # set in ~/.profile
# thinking costs money
thinking = 4096
headers = { "X-Group" = "vip", "X-Team" = "a" }
models = [
    "claude-sonnet-4-5",  # the usual
    "claude-opus-4-5",
]

# Work gateway: ask Sam for access.
[profiles.work]
base_url = "https://llm-gateway.internal.example"
auth = "bearer"                       # the gateway wants a token
api_key_command = "pass show work/llm-gateway"
timeout = 600.0
# temperature = 0.2   (tried it, did not help)

[profiles.work.prices]   # the gateway's own rates
input = 3.0
output = 15.0

# Scratch relay for experiments.
[profiles.scratch]
base_url = 'http://127.0.0.1:8080'
auth = "none"
"""


def replaced(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` (which must occur exactly once) replaced by ``new``."""
    assert text.count(old) == 1, old
    return text.replace(old, new)
