"""The SERVER__TOOL naming rule and its reverse map."""

from __future__ import annotations

from claude_tui.mcp import ToolNames, offered_name
from claude_tui.wire import ToolSpec


def test_server_two_underscores_tool() -> None:
    assert offered_name("files", "read_file") == "files__read_file"


def test_characters_the_apis_refuse_become_underscores() -> None:
    assert offered_name("my.server", "get thing/v2") == "my_server__get_thing_v2"
    assert offered_name("ok-name", "with-dash") == "ok-name__with-dash"


def test_the_whole_name_is_cut_to_64_and_still_valid() -> None:
    name = offered_name("s" * 40, "t" * 40)
    assert len(name) == 64
    ToolSpec(name)  # accepted by both APIs


def test_the_reverse_map_does_not_split_at_underscores() -> None:
    names = ToolNames()
    assert names.add("a__b", "c") == "a__b__c"
    assert names.lookup("a__b__c") == ("a__b", "c")
    assert names.lookup("a__b__d") is None


def test_a_clash_keeps_the_first_tool() -> None:
    names = ToolNames()
    assert names.add("x.y", "t") == "x_y__t"
    assert names.add("x_y", "t") is None
    assert names.lookup("x_y__t") == ("x.y", "t")
