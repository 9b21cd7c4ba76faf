"""The built-in ``demo`` profile: talks to the in-process fake relay, needs no key.

Its ``base_url`` is only known once that relay is listening, so the profile carries a
placeholder and whoever starts the relay points it there with
``demo_profile().with_changes(base_url=relay_url)``.
"""

from __future__ import annotations

from .profile import Profile

DEMO_PROFILE_NAME = "demo"
DEMO_PLACEHOLDER_URL = "http://127.0.0.1:0"
"""Not a reachable address: replaced at run time by the live relay's URL."""
DEMO_MODEL = "claude-demo"


def demo_profile(base_url: str = DEMO_PLACEHOLDER_URL) -> Profile:
    """The demo profile, optionally already aimed at a running relay."""
    return Profile(
        name=DEMO_PROFILE_NAME,
        base_url=base_url,
        api_format="anthropic",
        auth="none",
        model=DEMO_MODEL,
        models=(DEMO_MODEL,),
        max_tokens=8192,
        thinking=2048,
        is_demo=True,
    )
