"""Resolving keys: inline, env var, or a cached command; and keeping them out of text."""

from __future__ import annotations

import asyncio
import shlex
from pathlib import Path

import pytest

from claude_tui.profiles import (
    KeySource,
    KeySourceError,
    Profile,
    ProfileValueError,
    demo_profile,
    mask_key,
    redact,
)

SECRET = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz-7f3a"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def counting_command(tmp_path: Path, key: str = SECRET) -> tuple[str, Path]:
    """A shell command that prints ``key`` and appends a line to a file each time it runs."""
    counter = tmp_path / "runs.txt"
    return f"echo run >> {shlex.quote(str(counter))}; echo {shlex.quote(key)}", counter


def runs(counter: Path) -> int:
    return len(counter.read_text().splitlines()) if counter.exists() else 0


def test_inline_key() -> None:
    assert KeySource(Profile(name="p", api_key=SECRET)).get() == SECRET


def test_env_key_is_read_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    source = KeySource(Profile(name="p", api_key_env="RELAY_TEST_KEY"))
    monkeypatch.setenv("RELAY_TEST_KEY", f"  {SECRET}\n")
    assert source.get() == SECRET
    assert source.source_label == "$RELAY_TEST_KEY"


@pytest.mark.parametrize("environ", [{}, {"RELAY_KEY": ""}])
def test_missing_env_key_says_which_variable_to_set(environ: dict[str, str]) -> None:
    source = KeySource(Profile(name="relay", api_key_env="RELAY_KEY"), environ=environ)
    with pytest.raises(KeySourceError, match="RELAY_KEY") as caught:
        source.get()
    assert "export RELAY_KEY=" in str(caught.value)


def test_no_key_needed_for_auth_none_and_demo() -> None:
    assert KeySource(Profile(name="p", auth="none", api_key=SECRET)).get() is None
    assert KeySource(demo_profile()).get() is None
    assert KeySource(demo_profile()).source_label == "none"


def test_profile_without_any_source_explains_what_to_set() -> None:
    with pytest.raises(KeySourceError, match="api_key_env, api_key_command or api_key"):
        KeySource(Profile(name="p")).get()


def test_command_key_is_cached_for_ttl(tmp_path: Path) -> None:
    command, counter = counting_command(tmp_path)
    clock = FakeClock()
    source = KeySource(
        Profile(name="p", api_key_command=command, api_key_ttl=300), clock=clock, environ={}
    )
    assert source.get() == SECRET
    assert source.get() == SECRET
    assert runs(counter) == 1
    clock.now += 299
    source.get()
    assert runs(counter) == 1
    clock.now += 2
    source.get()
    assert runs(counter) == 2


def test_zero_ttl_runs_every_time(tmp_path: Path) -> None:
    command, counter = counting_command(tmp_path)
    source = KeySource(Profile(name="p", api_key_command=command, api_key_ttl=0))
    source.get()
    source.get()
    assert runs(counter) == 2


def test_invalidate_reruns_the_command(tmp_path: Path) -> None:
    command, counter = counting_command(tmp_path)
    source = KeySource(Profile(name="p", api_key_command=command))
    source.get()
    source.invalidate()
    source.get()
    assert runs(counter) == 2


def test_invalidate_with_a_stale_key_keeps_a_fresher_one(tmp_path: Path) -> None:
    command, counter = counting_command(tmp_path)
    source = KeySource(Profile(name="p", api_key_command=command))
    key = source.get()
    source.invalidate("an-older-key-that-failed")
    source.get()
    assert runs(counter) == 1
    source.invalidate(key)
    source.get()
    assert runs(counter) == 2


async def test_aget_runs_the_command_without_blocking(tmp_path: Path) -> None:
    command, counter = counting_command(tmp_path)
    source = KeySource(Profile(name="p", api_key_command=command))
    assert await source.aget() == SECRET
    assert await source.aget() == SECRET
    assert runs(counter) == 1
    source.invalidate()
    assert await source.aget() == SECRET
    assert runs(counter) == 2


async def test_concurrent_callers_share_one_run(tmp_path: Path) -> None:
    command, counter = counting_command(tmp_path)
    source = KeySource(Profile(name="p", api_key_command=f"sleep 0.2; {command}"))
    keys = await asyncio.gather(*(source.aget() for _ in range(5)))
    assert keys == [SECRET] * 5
    assert runs(counter) == 1


async def test_aget_inline_and_none() -> None:
    assert await KeySource(Profile(name="p", api_key=SECRET)).aget() == SECRET
    assert await KeySource(demo_profile()).aget() is None


def test_first_line_of_output_is_the_key() -> None:
    source = KeySource(Profile(name="p", api_key_command=f"printf '\\n{SECRET}\\nuser: me\\n'"))
    assert source.get() == SECRET


def test_failing_command_reports_exit_code_but_never_its_output() -> None:
    command = f"echo {SECRET}; echo 'gpg: decryption failed' >&2; exit 3"
    source = KeySource(Profile(name="relay", api_key_command=command))
    with pytest.raises(KeySourceError) as caught:
        source.get()
    message = str(caught.value)
    assert message == (
        'api_key_command of profile "relay" failed with exit code 3; '
        "run the command in a shell to see why"
    )
    assert caught.value.detail == "gpg: decryption failed"  # for a UI to show, briefly


def test_stderr_echoing_the_key_is_masked_in_the_detail() -> None:
    command = f"echo {SECRET}; echo 'token={SECRET}' >&2; exit 1"
    with pytest.raises(KeySourceError) as caught:
        KeySource(Profile(name="p", api_key_command=command)).get()
    assert SECRET not in str(caught.value)
    assert "token" not in str(caught.value)
    assert SECRET not in caught.value.detail
    assert "7f3a" not in caught.value.detail.replace("…7f3a", "")


def test_unknown_secret_on_stderr_is_masked_and_the_detail_is_short() -> None:
    unknown = "tok_live_51HxQ2vK8nE3rT6yU9iO0pA"
    path = "x" * 200
    command = f"echo 'token {unknown} expired for https://relay.example/{path}' >&2; exit 3"
    with pytest.raises(KeySourceError) as caught:
        KeySource(Profile(name="p", api_key_command=command)).get()
    assert unknown not in str(caught.value) and "expired" not in str(caught.value)
    assert caught.value.detail.startswith("token •••• expired for ")
    assert unknown not in caught.value.detail
    assert len(caught.value.detail) <= 80


@pytest.mark.parametrize(
    ("output", "problem"),
    [
        ("x" * 1_000_000, "is 1000000 characters long, too long for an API key"),
        ("sk-key with spaces", "contains spaces or control characters"),
        ("sk-key\twith-tab", "contains spaces or control characters"),
        ("sk-key\x1b[2J", "contains spaces or control characters"),
    ],
    ids=["1 MB", "spaces", "tab", "escape"],  # not the value: it lands in the environment
)
def test_command_output_that_cannot_be_a_key_is_refused(
    tmp_path: Path, output: str, problem: str
) -> None:
    printed = tmp_path / "printed.txt"
    printed.write_bytes(output.encode("utf-8").decode("unicode_escape").encode("utf-8"))
    source = KeySource(Profile(name="p", api_key_command=f"cat {shlex.quote(str(printed))}"))
    with pytest.raises(KeySourceError) as caught:
        source.get()
    assert str(caught.value).startswith('api_key_command of profile "p" printed a first line that')
    assert problem in str(caught.value)
    assert output[:20] not in str(caught.value)


def test_environment_value_that_cannot_be_a_key_is_refused() -> None:
    source = KeySource(Profile(name="p", api_key_env="BIG_KEY"), environ={"BIG_KEY": "k" * 5000})
    with pytest.raises(KeySourceError, match=r"in \$BIG_KEY is 5000 characters long"):
        source.get()


def test_inline_key_that_cannot_be_a_key_is_refused() -> None:
    with pytest.raises(ProfileValueError, match="api_key contains spaces or control"):
        Profile(name="p", api_key="sk-one two")
    with pytest.raises(ProfileValueError, match="api_key is 4097 characters long"):
        Profile(name="p", api_key="k" * 4097)


def test_empty_output_is_an_error() -> None:
    with pytest.raises(KeySourceError, match="printed nothing"):
        KeySource(Profile(name="p", api_key_command="true")).get()


def test_stuck_command_times_out() -> None:
    source = KeySource(Profile(name="p", api_key_command="sleep 30"), command_timeout=0.2)
    with pytest.raises(KeySourceError, match=r"did not finish within 0.2 s"):
        source.get()


def test_known_secrets_and_redact(tmp_path: Path) -> None:
    command, _ = counting_command(tmp_path)
    source = KeySource(Profile(name="p", api_key_command=command))
    assert source.known_secrets() == []
    source.get()
    assert source.known_secrets() == [SECRET]
    assert source.redact(f"401 for key {SECRET}") == "401 for key sk-ant-…7f3a"


def test_mask_key() -> None:
    assert mask_key(SECRET) == "sk-ant-…7f3a"
    assert mask_key("abcdefghijklmnopqrstuvwxyz") == "…wxyz"
    assert mask_key("short") == "••••"
    assert mask_key("sk-0123456789ab") == "••••"
    masked = mask_key("sk-ant-0123456789")
    assert masked.endswith("6789")
    assert len(masked) - 1 <= len("sk-ant-0123456789") // 3 + 1


def test_redact() -> None:
    other = "tok-zyxwvutsrqponmlkjihg"
    text = f"key={SECRET} other={other} again {SECRET}"
    assert redact(text, [SECRET, other, None, ""]) == (
        "key=sk-ant-…7f3a other=tok-…jihg again sk-ant-…7f3a"
    )
    assert redact("nothing here", [SECRET]) == "nothing here"
    assert redact("pw=hunter2", ["hunter2"]) == "pw=••••"


REAL_LOOKING_KEY = (
    "sk-ant-" + "api03-Zq8LmN2vX4cR7tY1uI9oP3aS6dF0gH5jK"
)  # joined: see test_no_false_alarms
UNREACHABLE = (
    "could not connect to http://127.0.0.1:9: check the profile's base_url, your network or proxy"
)


@pytest.mark.parametrize("key", ["k", "key", "abc123", "net", "work"])
def test_redact_keeps_a_short_key_inside_words_readable(key: str) -> None:
    """The issue's message with ``api_key = "k"``: "chec•••• ... networ••••" before."""
    assert redact(UNREACHABLE, [key]) == UNREACHABLE


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("k", "Bearer k was refused", "Bearer •••• was refused"),
        ("k", 'invalid api key "k"', 'invalid api key "••••"'),
        ("key", "key=key; keys are fine", "••••=••••; keys are fine"),
        ("key", "the key is wrong", "the •••• is wrong"),  # a key that is a word is hidden
        ("abc123", "token 'abc123' expired", "token '••••' expired"),
        ("abc123", "abc1234 is not abc123.", "abc1234 is not ••••."),
        ("abc123", "x-abc123-y x_abc123", "x-••••-y x_••••"),
    ],
)
def test_redact_masks_a_short_key_standing_as_a_token(key: str, text: str, expected: str) -> None:
    assert redact(text, [key]) == expected


@pytest.mark.parametrize(
    "text",
    [
        f"invalid x-api-key: {REAL_LOOKING_KEY}",
        f'{{"error": "key \\"{REAL_LOOKING_KEY}\\" is revoked"}}',
        f"glued{REAL_LOOKING_KEY}glued",  # a long key is masked even inside a word
    ],
)
def test_redact_masks_a_long_key_everywhere(text: str) -> None:
    redacted = redact(text, [REAL_LOOKING_KEY])
    assert REAL_LOOKING_KEY not in redacted
    assert "sk-ant-…" + REAL_LOOKING_KEY[-4:] in redacted


def test_redact_with_short_and_long_keys_together() -> None:
    text = f"check k and {REAL_LOOKING_KEY}"
    assert (
        redact(text, ["k", REAL_LOOKING_KEY]) == f"check •••• and sk-ant-…{REAL_LOOKING_KEY[-4:]}"
    )
