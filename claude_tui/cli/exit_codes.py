"""The exit codes every ``claude-tui`` command uses, so scripts can tell failures apart."""

EXIT_OK = 0  # the reply completed / the command did what was asked
EXIT_FAILURE = 1  # the request failed or the reply was cut (partial output was still printed)
EXIT_USAGE = 2  # bad arguments or a config that does not load
EXIT_INTERRUPTED = 130  # Ctrl+C; a partial reply is saved
