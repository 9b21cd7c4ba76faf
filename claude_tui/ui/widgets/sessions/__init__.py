"""The sessions sidebar: saved sessions, filtered by title and message text."""
