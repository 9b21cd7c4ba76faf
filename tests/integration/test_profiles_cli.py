"""``claude-tui profiles list|test`` run as real processes against the demo relay."""

from __future__ import annotations

import re
from pathlib import Path

from claude_tui.demo import DemoRelay, Fault
from claude_tui.profiles import mask_key

from .cli_process import Run, run_claude_tui

ENV_KEY = "sk-env-key-for-tests-5b0e93d1c7a2"
INLINE_KEY = "sk-ant-inline-key-8c4f1e2d9a7b3605"


def claude_tui(*args: str, env: dict[str, str] | None = None) -> Run:
    """Run ``python -m claude_tui ARGS`` with ``RELAY_KEY`` set."""
    return run_claude_tui(*args, env={"RELAY_KEY": ENV_KEY, **(env or {})})


def write_config(home: Path, base_url: str) -> None:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""\
default_profile = "relay"

[profiles.relay]
base_url = "{base_url}"
api_key_env = "RELAY_KEY"
auth = "bearer"
model = "claude-demo"
max_retries = 0

[profiles.inline]
base_url = "{base_url}"
api_key = "{INLINE_KEY}"
model = "claude-demo-fast"
thinking = "adaptive"
max_retries = 0

[profiles.oai]
base_url = "{base_url}/v1"
api_format = "openai"
auth = "none"
model = "demo-gpt"
max_retries = 0

[profiles.unset]
base_url = "https://relay.example/v1"
api_format = "openai"
api_key_env = "UNSET_TEST_KEY"
model = "gpt-demo"
""",
        encoding="utf-8",
    )
    path.chmod(0o600)  # as the app writes it: an inline key in a 0644 file gets a warning


def test_list_shows_every_profile_with_keys_masked(isolated_dirs: Path) -> None:
    write_config(isolated_dirs, "http://127.0.0.1:9")

    run = claude_tui("profiles", "list")

    assert run.code == 0, run.stderr
    out = run.stdout
    assert ENV_KEY not in out and INLINE_KEY not in out
    assert INLINE_KEY[-4:] in out  # recognisable, not usable
    assert f"key $RELAY_KEY ({mask_key(ENV_KEY)})" in out
    assert f"key inline ({mask_key(INLINE_KEY)})" in out
    assert "key $UNSET_TEST_KEY (NOT SET)" in out
    assert re.search(r"^\* relay$", out, re.MULTILINE)
    assert re.search(r"^  demo$", out, re.MULTILINE)
    assert "openai at https://relay.example\n" in out  # the trailing /v1 is normalised away
    assert "model claude-demo-fast, thinking adaptive, auth x-api-key" in out
    assert "built-in loopback relay" in out
    assert out.rstrip().endswith("(* = default profile)")


def test_list_with_no_config_shows_the_demo_profile() -> None:
    run = claude_tui("profiles", "list")

    assert run.code == 0, run.stderr
    assert run.stdout.splitlines()[0] == "* demo"
    assert "auth none, key no key" in run.stdout


def test_profile_test_against_the_relay(demo_relay: DemoRelay, isolated_dirs: Path) -> None:
    write_config(isolated_dirs, demo_relay.base_url)

    run = claude_tui("profiles", "test")  # the default profile

    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "profile relay: OK"
    assert re.fullmatch(r"  latency to first event: \d+ ms", lines[1])
    assert re.fullmatch(r"  time to first token: +\d+ ms", lines[2])
    assert lines[3].startswith("  reply: ## A demo answer You asked:")
    assert lines[4] == "  models (3): claude-demo, claude-demo-fast, claude-demo-thinking"
    assert len(lines) == 5
    message, models = demo_relay.requests
    assert (message.method, message.path) == ("POST", "/v1/messages")
    assert message.headers["authorization"] == f"Bearer {ENV_KEY}"
    assert message.json["model"] == "claude-demo"
    assert (models.method, models.path.split("?")[0]) == ("GET", "/v1/models")
    assert models.headers["authorization"] == f"Bearer {ENV_KEY}"


def test_profile_test_of_a_named_profile(demo_relay: DemoRelay, isolated_dirs: Path) -> None:
    write_config(isolated_dirs, demo_relay.base_url)

    run = claude_tui("profiles", "test", "inline")

    assert run.code == 0, run.stderr
    assert run.stdout.startswith("profile inline: OK\n")
    assert demo_relay.requests[0].headers["x-api-key"] == INLINE_KEY
    assert INLINE_KEY not in run.stdout + run.stderr


def test_profile_test_of_an_openai_profile(demo_relay: DemoRelay, isolated_dirs: Path) -> None:
    write_config(isolated_dirs, demo_relay.base_url)

    run = claude_tui("profiles", "test", "oai")

    assert run.code == 0, run.stderr
    assert run.stdout.startswith("profile oai: OK\n")
    # The demo reasons first, like a reasoning model: its first token is thinking.
    assert re.search(r"^  time to first token: +\d+ ms$", run.stdout, re.MULTILINE)
    assert "models (3)" in run.stdout
    assert [(r.method, r.path) for r in demo_relay.requests] == [
        ("POST", "/v1/chat/completions"),
        ("GET", "/v1/models"),
    ]


def test_profile_test_of_the_built_in_demo() -> None:
    run = claude_tui("profiles", "test", "demo")

    assert run.code == 0, run.stderr
    assert run.stdout.startswith("profile demo: OK\n")
    assert "models (3)" in run.stdout


def test_profile_test_reports_a_rejected_key(demo_relay: DemoRelay, isolated_dirs: Path) -> None:
    write_config(isolated_dirs, demo_relay.base_url)
    demo_relay.queue_fault(Fault.http_error(401))

    run = claude_tui("profiles", "test", "relay")

    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith("profile relay: FAILED: The endpoint rejected the API key")
    assert "HTTP 401, authentication_error" in lines[0]
    assert "request-id req_demo_" in lines[0]
    assert not any("time to first token" in line or "reply:" in line for line in lines)
    assert ENV_KEY not in run.stdout + run.stderr


def test_profile_test_when_nothing_accepts_the_key(isolated_dirs: Path) -> None:
    with DemoRelay(required_key="sk-only-this-one-000000000000") as guarded:
        write_config(isolated_dirs, guarded.base_url)

        run = claude_tui("profiles", "test")

    assert run.code == 1
    assert "profile relay: FAILED:" in run.stdout
    assert "  models: not available (" in run.stdout and "HTTP 401" in run.stdout


def test_profile_test_of_an_unknown_profile(isolated_dirs: Path) -> None:
    write_config(isolated_dirs, "http://127.0.0.1:9")

    run = claude_tui("profiles", "test", "inlien")

    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert 'no profile named "inlien" (did you mean "inline"?)' in run.stderr


def test_profile_test_with_an_unset_key_variable(isolated_dirs: Path) -> None:
    write_config(isolated_dirs, "http://127.0.0.1:9")

    run = claude_tui("profiles", "test", "unset")

    assert run.code == 1
    assert "profile unset: FAILED:" in run.stdout
    assert "UNSET_TEST_KEY, which is not set" in run.stdout
    assert "Traceback" not in run.stderr


# --- names and messages with terminal escapes ----------------------------------------------

EVIL_NAME = "evil\x1b]0;pwned\x07\x1b[2Jname"


def write_evil_config(home: Path, base_url: str) -> None:
    """A hand-written config whose profile name holds escapes (TOML allows \\u001b)."""
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""\
default_profile = "evil\\u001b]0;pwned\\u0007\\u001b[2Jname"

[profiles."evil\\u001b]0;pwned\\u0007\\u001b[2Jname"]
base_url = "{base_url}"
auth = "none"
model = "claude-demo"
max_retries = 0
""",
        encoding="utf-8",
    )


def assert_no_controls(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text, repr(text)
    assert "pwned" not in text


def test_list_filters_escapes_out_of_profile_names(isolated_dirs: Path) -> None:
    write_evil_config(isolated_dirs, "http://127.0.0.1:9")

    run = claude_tui("profiles", "list")

    assert run.code == 0, run.stderr
    assert_no_controls(run.stdout + run.stderr)
    assert re.search(r"^\* evilname$", run.stdout, re.MULTILINE)


def test_test_filters_escapes_out_of_names_and_server_errors(
    demo_relay: DemoRelay, isolated_dirs: Path
) -> None:
    write_evil_config(isolated_dirs, demo_relay.base_url)
    demo_relay.queue_fault(Fault.http_error(400, message="no \x1b]52;c;Y3VybA==\x07\x1b[2Jway"))

    run = claude_tui("profiles", "test", EVIL_NAME)

    assert run.code == 1
    assert_no_controls(run.stdout + run.stderr)
    assert "Y3VybA==" not in run.stdout
    assert run.stdout.startswith("profile evilname: FAILED: ")
    assert "no way" in run.stdout


def test_unknown_profile_error_filters_escapes(isolated_dirs: Path) -> None:
    write_evil_config(isolated_dirs, "http://127.0.0.1:9")

    run = claude_tui("profiles", "test", "missing\x1b]0;pwned\x07")

    assert run.code != 0
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr
    # The name typed is quoted with its escapes made visible; the file's names are filtered.
    assert 'no profile named "missing\\u001b]0;pwned\\u0007"' in run.stderr
    assert "available profiles: evilname, demo" in run.stderr


def test_world_readable_inline_key_is_warned_about_on_stderr(isolated_dirs: Path) -> None:
    write_config(isolated_dirs, "http://127.0.0.1:9")
    path = isolated_dirs / "config" / "config.toml"
    path.chmod(0o644)

    run = claude_tui("profiles", "list")

    assert run.code == 0
    assert run.stderr == (
        f'claude-tui: warning: {path} holds an inline api_key (profile "inline") and other '
        f"users can read it (mode 644): run chmod 600 {path}\n"
    )
    assert INLINE_KEY not in run.stderr
