"""One typed record of a session's settings, saved whole and read back exactly."""

from __future__ import annotations

import json

from claude_tui.profiles.profile import Profile
from claude_tui.sessions.session_settings import SessionSettings, parse_thinking
from claude_tui.sessions.session_store import SessionStore

THINKER = Profile(
    name="thinker",
    base_url="http://127.0.0.1:9",
    model="claude-opus",
    thinking=4096,
    effort="high",
    max_tokens=16000,
    system="You think hard.",
)
QUICK = Profile(name="quick", base_url="http://127.0.0.1:9", model="claude-haiku", max_tokens=2048)


def test_a_new_session_starts_from_its_profile() -> None:
    settings = SessionSettings.from_profile(THINKER)
    assert settings == SessionSettings(
        profile="thinker",
        model="claude-opus",
        thinking=4096,
        effort="high",
        system="You think hard.",
        max_tokens=16000,
        temperature=None,
    )
    assert SessionSettings.from_profile(THINKER, model="m", system="s").model == "m"


def test_switching_takes_the_profile_s_settings_and_keeps_a_system_prompt_of_one_s_own() -> None:
    start = SessionSettings.from_profile(THINKER)
    switched = start.switched_to(QUICK, previous=THINKER)
    # The profile's own system prompt does not follow to another profile...
    assert switched == SessionSettings(profile="quick", model="claude-haiku", max_tokens=2048)
    # ...one the user set for this session does.
    own = start.changed(system="Answer in French.").switched_to(QUICK, previous=THINKER)
    assert own.system == "Answer in French."
    assert own.thinking == "off"


def test_settings_round_trip_and_damaged_fields_fall_back() -> None:
    settings = SessionSettings.from_profile(THINKER).changed(temperature=0.3)
    fallback = SessionSettings(profile="x", model="y")
    saved = json.loads(json.dumps(settings.to_json()))
    assert SessionSettings.from_json(saved, fallback=fallback) == settings
    data = settings.to_json() | {"thinking": "lots", "max_tokens": -1, "effort": "extreme"}
    read = SessionSettings.from_json(data, fallback=fallback)
    assert (read.thinking, read.max_tokens, read.effort) == ("off", 8192, None)
    assert read.model == "claude-opus" and read.temperature == 0.3
    assert SessionSettings.from_json("not a table", fallback=fallback) is fallback


def test_older_thinking_spellings_parse() -> None:
    assert [parse_thinking(v) for v in ("4096", "adaptive", "off", None, "12", 2048)] == [
        4096,
        "adaptive",
        "off",
        "off",
        "off",
        2048,
    ]


def test_every_change_is_saved_whole_and_loads_exactly() -> None:
    store = SessionStore()
    session = store.create(SessionSettings.from_profile(THINKER))
    changes = [
        session.settings.changed(model="claude-other"),
        session.settings.changed(thinking="adaptive", effort="low"),
        session.settings.switched_to(QUICK, previous=THINKER),
        session.settings.changed(system="Be brief.", temperature=0.7),
    ]
    for settings in changes:
        session.set_settings(settings)
        assert store.open(session.id).settings == settings
    lines = session.path.read_text().splitlines()
    assert len(lines) == 1 + len(changes)  # one meta record per change
    assert json.loads(lines[-1])["settings"] == changes[-1].to_json()


def test_a_file_from_before_saved_settings_loads_its_settings() -> None:
    store = SessionStore()
    session = store.create(SessionSettings(profile="p", model="m"))
    header = {
        "t": "session",
        "schema": 1,
        "id": session.id,
        "title": None,
        "created": 1.0,
        "profile": "relay",
        "model": "claude-x",
        "system": "old",
        "thinking": "2048",
        "at": 1.0,
    }
    meta = {"t": "meta", "at": 2.0, "thinking": "adaptive", "model": "claude-y"}
    session.path.write_text(json.dumps(header) + "\n" + json.dumps(meta) + "\n")
    loaded = store.open(session.id).settings
    assert (loaded.profile, loaded.model, loaded.system, loaded.thinking) == (
        "relay",
        "claude-y",
        "old",
        "adaptive",
    )
