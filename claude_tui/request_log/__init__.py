"""The request log: what each HTTP request of a run did, shown, copied and written.

The wire layer makes one :class:`~claude_tui.wire.RequestRecord` per attempt; a
conversation keeps its own (``Conversation.request_log``) and passes each to the front-end's
request sink. This package is what the front-ends do with them, without Textual: the row
texts of the ``/log`` view (:mod:`request_columns`), "copy as curl"
(:func:`curl_command`), attachments as sizes (:func:`attachment_sizes`), and the
``--debug-log`` JSON-lines file (:func:`open_debug_log`).
"""

from __future__ import annotations

from claude_tui.request_log.attachment_sizes import AttachmentSize, attachment_sizes, size_text
from claude_tui.request_log.curl_command import curl_command
from claude_tui.request_log.debug_log import DebugLog, DebugLogError, debug_log_line, open_debug_log

__all__ = [
    "AttachmentSize",
    "DebugLog",
    "DebugLogError",
    "attachment_sizes",
    "curl_command",
    "debug_log_line",
    "open_debug_log",
    "size_text",
]
