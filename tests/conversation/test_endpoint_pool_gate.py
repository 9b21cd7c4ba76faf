"""The endpoint pool gives the rate-limit gate only to clients of profiles that set one."""

from __future__ import annotations

from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.profiles.profile import Profile
from claude_tui.rate_limits import SharedRateGate


async def test_a_profile_with_rpm_or_tpm_gets_the_pools_one_gate() -> None:
    pool = EndpointPool()
    try:
        by_rpm = pool.client(Profile(name="a", base_url="http://127.0.0.1:9", auth="none", rpm=5))
        by_tpm = pool.client(Profile(name="b", base_url="http://127.0.0.1:9", auth="none", tpm=9))
        free = pool.client(Profile(name="c", base_url="http://127.0.0.1:9", auth="none"))
        assert isinstance(by_rpm.gate, SharedRateGate)
        assert by_tpm.gate is by_rpm.gate
        assert free.gate is None
    finally:
        await pool.aclose()


async def test_setting_a_limit_on_a_known_profile_gives_its_new_client_the_gate() -> None:
    pool = EndpointPool()
    profile = Profile(name="a", base_url="http://127.0.0.1:9", auth="none")
    try:
        assert pool.client(profile).gate is None
        assert pool.client(profile.with_changes(rpm=3)).gate is not None
    finally:
        await pool.aclose()
