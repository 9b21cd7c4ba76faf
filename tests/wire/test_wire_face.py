"""``claude_tui.wire``: the small public face of the wire layer, loaded name by name."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import claude_tui.wire as wire


@pytest.mark.parametrize("name", wire.__all__)
def test_every_public_name_is_the_object_from_its_home_module(name: str) -> None:
    value = getattr(wire, name)
    home = getattr(value, "__module__", None)
    if isinstance(value, type) and home and home.startswith("claude_tui.wire."):
        assert getattr(importlib.import_module(home), name) is value
    assert name in dir(wire)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'NoSuchThing'"):
        _ = wire.NoSuchThing  # type: ignore[attr-defined]


def test_the_face_and_its_light_names_do_not_load_httpx() -> None:
    """The UI imports the face at launch: the client (httpx) must wait for the first reply."""
    script = (
        "import json, sys\n"
        "from claude_tui.wire import (\n"
        "    ApiError, StreamEvent, StreamFailed, TextDelta, estimate_request_tokens,\n"
        "    estimate_text_tokens,\n"
        ")\n"
        "print(json.dumps([m for m in ('httpx', 'claude_tui.wire.chat_client')"
        " if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == []


def test_asking_for_the_client_loads_it() -> None:
    from claude_tui.wire import ChatClient

    assert ChatClient.__module__ == "claude_tui.wire.chat_client"
