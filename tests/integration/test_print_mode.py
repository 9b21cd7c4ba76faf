"""``claude-tui -p`` run as a real process against the demo relay over loopback sockets.

Each test writes a ``config.toml`` into the temporary config folder (see ``isolated_dirs``),
runs ``python -m claude_tui`` and checks three things: what the process printed, what the
relay received, and what was saved in the temporary data folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from config_files import write_config_file

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.demo import DemoRelay, Fault
from claude_tui.demo.scripted_reply import answer_markdown, thinking_text
from claude_tui.sessions.session_store import SessionStore
from claude_tui.terminal_text import safe_for_terminal

from .cli_process import Run, run_claude_tui

RELAY_KEY = "sk-relay-test-4f1c9a7e2b8d6035"
INLINE_KEY = "sk-inline-test-9d2e7a41c6b85f03"


def claude_tui(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``python -m claude_tui ARGS`` with ``RELAY_KEY`` set; stdin is empty unless given."""
    return run_claude_tui(*args, stdin=stdin, env={"RELAY_KEY": RELAY_KEY, **(env or {})})


def write_config(home: Path, text: str) -> Path:
    path = write_config_file(text)  # 0600, as the app writes it (no key-file warning)
    assert path == home / "config" / "config.toml"
    return path


def relay_config(base_url: str, *, max_retries: int = 0) -> str:
    return f"""\
default_profile = "relay"

[profiles.relay]
base_url = "{base_url}"
api_key_env = "RELAY_KEY"
auth = "bearer"
model = "claude-demo"
thinking = 2048
max_retries = {max_retries}

[profiles.openai]
base_url = "{base_url}/v1"
api_format = "openai"
api_key = "{INLINE_KEY}"
model = "demo-gpt"
max_retries = 0
"""


@pytest.fixture
def relay(demo_relay: DemoRelay, isolated_dirs: Path) -> Iterator[DemoRelay]:
    """The demo relay, configured as the default profile ``relay`` (and ``openai``)."""
    write_config(isolated_dirs, relay_config(demo_relay.base_url))
    yield demo_relay


def sessions_json() -> list[dict[str, Any]]:
    run = claude_tui("sessions", "list", "--json")
    assert run.code == 0, run.stderr
    rows: list[dict[str, Any]] = json.loads(run.stdout)
    return rows


def saved_messages(session_id: str) -> list[ChatMessage]:
    return SessionStore().open(session_id).messages


def user_texts(body: dict[str, Any]) -> list[str]:
    """The text of each user turn of an Anthropic request body."""
    return [
        "".join(block["text"] for block in m["content"] if block["type"] == "text")
        for m in body["messages"]
        if m["role"] == "user"
    ]


def assert_one_line(stderr: str, *needles: str) -> None:
    """A failure is one ``claude-tui:`` line naming its cause: no traceback, no noise."""
    assert stderr.count("\n") == 1 and stderr.endswith("\n"), stderr
    assert stderr.startswith("claude-tui: "), stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr, (needle, stderr)


# --- the default demo profile -------------------------------------------------------------


def test_demo_profile_works_with_no_config_at_all(isolated_dirs: Path) -> None:
    run = claude_tui("-p", "hello demo")

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown("hello demo") + "\n"
    # One line says the canned text is the demo's (a script may have meant a real endpoint).
    assert_one_line(run.stderr, "answering from the built-in demo relay (no profile configured)")
    assert not (isolated_dirs / "config").exists()
    [row] = sessions_json()
    assert (row["profile"], row["model"], row["message_count"]) == ("demo", "claude-demo", 2)


# --- the prompt and the output ------------------------------------------------------------


def test_prompt_argument_reply_on_stdout_without_thinking(relay: DemoRelay) -> None:
    prompt = "How do SSE streams work?"
    run = claude_tui("-p", prompt)

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown(prompt) + "\n"
    assert run.stderr == ""
    [request] = relay.requests
    assert (request.method, request.path) == ("POST", "/v1/messages")
    assert request.headers["authorization"] == f"Bearer {RELAY_KEY}"
    assert "x-api-key" not in request.headers
    assert request.json["model"] == "claude-demo"
    assert request.json["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert request.json["stream"] is True
    assert user_texts(request.json) == [prompt]


def test_prompt_from_stdin(relay: DemoRelay) -> None:
    run = claude_tui("-p", stdin="What is in this file?\n")

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown("What is in this file?") + "\n"
    [text] = user_texts(relay.requests[0].json)
    assert text.strip() == "What is in this file?"


def test_stdin_comes_before_the_argument(relay: DemoRelay) -> None:
    run = claude_tui("-p", "Summarise it.", stdin="line one\nline two\n")

    assert run.code == 0, run.stderr
    assert user_texts(relay.requests[0].json) == ["line one\nline two\n\nSummarise it."]


def test_show_thinking_writes_thinking_to_stderr(relay: DemoRelay) -> None:
    prompt = "Think first"
    run = claude_tui("-p", "--show-thinking", prompt)

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown(prompt) + "\n"
    assert run.stderr == thinking_text(prompt) + "\n"


@pytest.mark.parametrize(
    ("args", "stdin"),
    [(("-p", ""), None), (("-p", "   "), None), (("-p",), "  \n\n")],
    ids=["empty-argument", "blank-argument", "blank-stdin"],
)
def test_empty_prompt_is_a_usage_error(
    relay: DemoRelay, args: tuple[str, ...], stdin: str | None
) -> None:
    run = claude_tui(*args, stdin=stdin)

    assert run.code == 2
    assert run.stdout == ""
    assert_one_line(run.stderr, "empty")
    assert relay.requests == []
    assert sessions_json() == []


# --- sessions -----------------------------------------------------------------------------


def test_reply_is_saved_as_a_session(relay: DemoRelay) -> None:
    prompt = "Save me"
    run = claude_tui("-p", prompt)
    assert run.code == 0, run.stderr

    [row] = sessions_json()
    assert row["message_count"] == 2
    assert (row["title"], row["profile"], row["model"]) == (prompt, "relay", "claude-demo")
    user, reply = saved_messages(row["id"])
    assert user.text == prompt
    assert reply.status is MessageStatus.COMPLETE
    assert reply.text == answer_markdown(prompt)
    assert reply.thinking_text == thinking_text(prompt)
    assert reply.content[0]["signature"]
    assert reply.usage is not None and reply.usage.output_tokens > 0
    assert reply.request_id and reply.request_id.startswith("req_demo_")


def test_continue_sends_the_whole_history(relay: DemoRelay) -> None:
    assert claude_tui("-p", "First question").code == 0
    run = claude_tui("-p", "-c", "Second question")

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown("Second question") + "\n"
    body = relay.requests[-1].json
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert user_texts(body) == ["First question", "Second question"]
    earlier = body["messages"][1]["content"]
    # Same model: the signed thinking block goes back with the reply it preceded.
    assert [b["type"] for b in earlier] == ["thinking", "text"]
    assert earlier[0]["signature"] and earlier[1]["text"] == answer_markdown("First question")
    [row] = sessions_json()
    assert row["message_count"] == 4


def test_continue_with_no_saved_session_fails_cleanly(relay: DemoRelay) -> None:
    run = claude_tui("-p", "-c", "anything")

    assert run.code == 1
    assert_one_line(run.stderr, "no saved session to continue")
    assert relay.requests == []


def test_resume_a_given_session_by_id_prefix(relay: DemoRelay) -> None:
    assert claude_tui("-p", "Old topic").code == 0
    [old] = sessions_json()
    assert claude_tui("-p", "New topic").code == 0

    run = claude_tui("-p", "-r", old["id"][:6], "Back to it")

    assert run.code == 0, run.stderr
    assert user_texts(relay.requests[-1].json) == ["Old topic", "Back to it"]
    counts = {row["title"]: row["message_count"] for row in sessions_json()}
    assert counts == {"Old topic": 4, "New topic": 2}
    assert sessions_json()[0]["id"] == old["id"]  # resumed: now the most recent


def test_resume_unknown_session_is_a_usage_error(relay: DemoRelay) -> None:
    run = claude_tui("-p", "-r", "doesnotexist", "hello")

    assert run.code == 2
    assert_one_line(run.stderr, "No saved session matches 'doesnotexist'")
    assert relay.requests == []


def test_model_flag_overrides_the_profile(relay: DemoRelay) -> None:
    run = claude_tui("-p", "--model", "claude-demo-fast", "Quick one")

    assert run.code == 0, run.stderr
    assert relay.requests[0].json["model"] == "claude-demo-fast"
    [row] = sessions_json()
    assert row["model"] == "claude-demo-fast"
    assert saved_messages(row["id"])[-1].model == "claude-demo-fast"


def test_unknown_profile_is_a_usage_error(relay: DemoRelay) -> None:
    run = claude_tui("-p", "--profile", "relya", "hello")

    assert run.code == 2
    assert_one_line(run.stderr, '"relya"', 'did you mean "relay"', "available profiles")
    assert relay.requests == []


def test_openai_profile_with_reasoning(relay: DemoRelay) -> None:
    prompt = "Reason about it"
    run = claude_tui("-p", "--profile", "openai", "--show-thinking", prompt)

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown(prompt) + "\n"
    assert thinking_text(prompt) in run.stderr
    [request] = relay.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == f"Bearer {INLINE_KEY}"
    assert request.json["model"] == "demo-gpt"
    assert request.json["messages"][-1]["role"] == "user"
    [row] = sessions_json()
    assert (row["profile"], row["model"]) == ("openai", "demo-gpt")
    reply = saved_messages(row["id"])[-1]
    assert reply.status is MessageStatus.COMPLETE
    assert reply.text == answer_markdown(prompt)
    assert reply.thinking_text == thinking_text(prompt)


# --- stopping early -----------------------------------------------------------------------


def _interruptible() -> None:
    # A job started in the background of a non-interactive shell (as a CI runner may start
    # the suite) inherits SIGINT ignored; a user's terminal sends it to a process that has
    # it at the default, so give the child that.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_claude_tui(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "claude_tui", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "RELAY_KEY": RELAY_KEY},
        text=True,
        preexec_fn=_interruptible,
    )


def test_ctrl_c_stops_and_saves_the_partial_reply(relay: DemoRelay) -> None:
    process = start_claude_tui("-p", "[demo:slow=0.05] Interrupt me")
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.read(10)
    process.send_signal(signal.SIGINT)
    # Read on through the same buffered pipes (communicate() would skip what they hold).
    rest = process.stdout.read()
    stderr = process.stderr.read()
    code = process.wait(timeout=30)
    process.stdout.close()
    process.stderr.close()

    assert code == 130
    assert stderr.endswith("claude-tui: stopped; the partial reply is saved\n")
    assert "Traceback" not in stderr
    reply = saved_messages(sessions_json()[0]["id"])[-1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.text == first + rest


def test_a_closed_pipe_ends_quietly_and_saves_the_partial_reply(relay: DemoRelay) -> None:
    process = start_claude_tui("-p", "[demo:slow=0.02] Pipe me to head")
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()  # `| head -c 10`
    code = process.wait(timeout=30)
    stderr = process.stderr.read()
    process.stderr.close()

    assert code == 1
    assert stderr == ""
    reply = saved_messages(sessions_json()[0]["id"])[-1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.text.startswith("## A demo")


# --- failures -----------------------------------------------------------------------------


def test_overloaded_until_retries_run_out(demo_relay: DemoRelay, isolated_dirs: Path) -> None:
    write_config(isolated_dirs, relay_config(demo_relay.base_url, max_retries=1))
    overloaded = Fault.http_error(529, headers={"retry-after-ms": "10"})
    demo_relay.queue_faults([overloaded, overloaded])

    run = claude_tui("-p", "Are you there?")

    assert run.code == 1
    assert run.stdout == ""
    assert_one_line(run.stderr, "overloaded", "HTTP 529", "(request-id req_demo_")
    assert len(demo_relay.requests) == 2  # the first try and one retry
    [row] = sessions_json()
    user, reply = saved_messages(row["id"])
    assert user.text == "Are you there?"  # saved although no reply came
    assert reply.status is MessageStatus.ERROR
    assert reply.error and "HTTP 529" in reply.error
    assert reply.request_id and reply.request_id in run.stderr


def test_one_retry_recovers_from_a_single_overload(
    demo_relay: DemoRelay, isolated_dirs: Path
) -> None:
    write_config(isolated_dirs, relay_config(demo_relay.base_url, max_retries=1))
    demo_relay.queue_fault(Fault.http_error(529, headers={"retry-after-ms": "10"}))

    run = claude_tui("-p", "Second time lucky")

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown("Second time lucky") + "\n"
    assert run.stderr == ""  # retry notices only go to a terminal
    assert len(demo_relay.requests) == 2


def test_cut_stream_prints_partial_text_and_saves_it_interrupted(relay: DemoRelay) -> None:
    prompt = "[demo:cut] Explain chunked encoding"
    run = claude_tui("-p", prompt)

    assert run.code == 1
    partial = run.stdout.removesuffix("\n")
    assert partial and answer_markdown(prompt).startswith(partial)
    assert len(partial) < len(answer_markdown(prompt))
    assert_one_line(run.stderr, "connection broke")
    [row] = sessions_json()
    reply = saved_messages(row["id"])[-1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.text == partial


def test_error_event_mid_stream(relay: DemoRelay) -> None:
    prompt = "[demo:error_event] Go on"
    run = claude_tui("-p", prompt)

    assert run.code == 1
    partial = run.stdout.removesuffix("\n")
    assert partial and answer_markdown(prompt).startswith(partial)
    assert_one_line(run.stderr, "interrupted by the server", "overloaded_error", "request-id")
    reply = saved_messages(sessions_json()[0]["id"])[-1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.text == partial


@pytest.mark.parametrize(
    ("keyword", "needles"),
    [
        ("[demo:html]", ("text/html", "502 Bad Gateway", "base_url")),
        ("[demo:json200]", ("application/json instead of an event stream", "no available")),
    ],
    ids=["html", "json200"],
)
def test_answer_that_is_not_a_stream(
    relay: DemoRelay, keyword: str, needles: tuple[str, ...]
) -> None:
    run = claude_tui("-p", f"{keyword} hello")

    assert run.code == 1
    assert run.stdout == ""
    assert_one_line(run.stderr, *needles)
    assert len(relay.requests) == 1  # a 200 that is not a stream is not retried
    reply = saved_messages(sessions_json()[0]["id"])[-1]
    assert reply.status is MessageStatus.ERROR


def test_wrong_key_is_rejected_with_401(isolated_dirs: Path) -> None:
    with DemoRelay(required_key="sk-the-right-key-000000000000") as guarded:
        write_config(isolated_dirs, relay_config(guarded.base_url))
        run = claude_tui("-p", "Let me in")

        assert run.code == 1
        assert run.stdout == ""
        assert_one_line(run.stderr, "rejected the API key", "HTTP 401")
        assert len(guarded.requests) == 1  # a rejected key is not retried

        right = claude_tui("-p", "Let me in", env={"RELAY_KEY": "sk-the-right-key-000000000000"})
        assert right.code == 0, right.stderr


def test_missing_key_variable_fails_cleanly(relay: DemoRelay) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "RELAY_KEY"}
    result = subprocess.run(
        [sys.executable, "-m", "claude_tui", "-p", "hello"],
        stdin=subprocess.DEVNULL,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert_one_line(result.stderr, "RELAY_KEY", "is not set")
    assert relay.requests == []


@pytest.mark.parametrize(
    ("text", "line", "needles"),
    [
        (
            '[profiles.relay]\nbase_url = "http://127.0.0.1:9"\n\nmax_tokens = "lots"\n',
            4,
            ("profiles.relay.max_tokens", "whole number"),
        ),
        ('[profiles.relay]\napi_format = "antropic"\n', 2, ('did you mean "anthropic"',)),
        ('default_profile = "relay"\n[profiles.relay\n', 2, ("invalid TOML",)),
    ],
    ids=["bad-value", "typo", "bad-toml"],
)
def test_bad_config_file_is_one_located_line(
    isolated_dirs: Path, text: str, line: int, needles: tuple[str, ...]
) -> None:
    path = write_config(isolated_dirs, text)

    run = claude_tui("-p", "hello")

    assert run.code == 2
    assert run.stdout == ""
    assert_one_line(run.stderr, f"{path}, line {line}", *needles)


def test_keys_never_reach_output_or_saved_files(relay: DemoRelay, isolated_dirs: Path) -> None:
    # A relay that quotes the rejected key back in its error message.
    relay.queue_fault(Fault.http_error(401, message=f"invalid token {RELAY_KEY}"))
    runs = [
        claude_tui("-p", "One"),
        claude_tui("-p", "-c", "Two"),
        claude_tui("-p", "--profile", "openai", "--show-thinking", "Three"),
        claude_tui("profiles", "list"),
        claude_tui("sessions", "list", "--json"),
    ]
    session_id = sessions_json()[0]["id"]
    runs.append(claude_tui("sessions", "export", session_id, "--format", "json"))

    assert [run.code for run in runs] == [1, 0, 0, 0, 0, 0]
    assert "invalid token" in runs[0].stderr
    for run in runs:
        for key in (RELAY_KEY, INLINE_KEY):
            assert key not in run.stdout and key not in run.stderr
    files = [path for path in (isolated_dirs / "data").rglob("*") if path.is_file()]
    assert files
    for path in files:
        content = path.read_bytes()
        assert RELAY_KEY.encode() not in content, path
        assert INLINE_KEY.encode() not in content, path


# --- a relay that writes escape sequences -------------------------------------------------

# The demo relay quotes the prompt in its reply (and its thinking), escapes and all.
HOSTILE_PROMPT = "hi \x1b[2J\x1b]0;pwned\x07\x1b]52;c;Y3VybCBldmlsfHNo\x07 there"


def run_on_a_terminal(*args: str, env: dict[str, str]) -> tuple[int, bytes]:
    """``python -m claude_tui ARGS`` with stdout and stderr on a pseudo-terminal; returns
    the exit code and everything the terminal received."""
    controller, terminal = os.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "claude_tui", *args],
            stdin=subprocess.DEVNULL,
            stdout=terminal,
            stderr=terminal,
            env={**os.environ, **env},
        )
        os.close(terminal)
        terminal = -1
        received = bytearray()
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not chunk:
                break
            received += chunk
        code = process.wait(timeout=60)
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)
    return code, bytes(received)


def test_reply_to_a_terminal_carries_no_escape_sequences(relay: DemoRelay) -> None:
    code, received = run_on_a_terminal(
        "-p", "--show-thinking", HOSTILE_PROMPT, env={"RELAY_KEY": RELAY_KEY}
    )

    assert code == 0, received
    assert b"\x1b" not in received and b"\x07" not in received
    shown = received.decode("utf-8").replace("\r\n", "\n")
    assert "pwned" not in shown and "Y3VybCBldmlsfHNo" not in shown
    assert safe_for_terminal(answer_markdown(HOSTILE_PROMPT)) in shown
    assert 'You asked: *"hi  there"*.' in shown
    assert safe_for_terminal(thinking_text(HOSTILE_PROMPT)) in shown
    # What was saved is what the relay sent: only the terminal's copy is filtered.
    [row] = sessions_json()
    reply = saved_messages(row["id"])[-1]
    assert reply.text == answer_markdown(HOSTILE_PROMPT)


def test_reply_to_a_pipe_is_byte_exact(relay: DemoRelay) -> None:
    run = claude_tui("-p", HOSTILE_PROMPT)

    assert run.code == 0, run.stderr
    assert run.stdout == answer_markdown(HOSTILE_PROMPT) + "\n"
    assert "\x1b]52;c;Y3VybCBldmlsfHNo\x07" in run.stdout


def test_error_lines_are_filtered_even_to_a_pipe(relay: DemoRelay) -> None:
    relay.queue_fault(Fault.http_error(400, message="bad \x1b]0;pwned\x07\x1b[2Jrequest"))

    run = claude_tui("-p", "hello")

    assert run.code != 0
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr
    assert "bad request" in run.stderr


def test_a_failing_key_command_shows_a_masked_excerpt_and_saves_none(
    demo_relay: DemoRelay, isolated_dirs: Path
) -> None:
    leaked = "sk-ant-" + "api03-LEAKEDLEAKED7c1e9b24f0a8d6"  # joined: see test_no_false_alarms
    write_config(
        isolated_dirs,
        f"""\
default_profile = "relay"

[profiles.relay]
base_url = "{demo_relay.base_url}"
api_key_command = "echo 'token {leaked} expired' >&2; exit 3"
model = "claude-demo"
max_retries = 0
""",
    )

    run = claude_tui("-p", "hello")

    assert_one_line(
        run.stderr,
        'api_key_command of profile "relay" failed with exit code 3',
        "(it said: token •••• expired)",
    )
    assert leaked not in run.stderr
    [row] = sessions_json()
    saved = SessionStore().open(row["id"]).path.read_text(encoding="utf-8")
    assert "expired" not in saved and leaked not in saved
    assert demo_relay.requests == []


def test_sessions_list_and_show_on_a_terminal_carry_no_escapes_but_a_pipe_gets_them(
    relay: DemoRelay,
) -> None:
    assert claude_tui("-p", HOSTILE_PROMPT).code == 0  # the prompt titles the session
    [row] = sessions_json()
    for command in (("sessions", "list"), ("sessions", "show", row["id"])):
        code, received = run_on_a_terminal(*command, env={"RELAY_KEY": RELAY_KEY})
        assert code == 0, received
        assert b"\x1b" not in received and b"\x07" not in received, command
        assert b"hi" in received
    piped = claude_tui("sessions", "show", row["id"])
    assert "\x1b]0;pwned\x07" in piped.stdout  # a pipe gets what was saved, byte-exact
