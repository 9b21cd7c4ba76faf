"""Usage history and budgets: what was spent, per day, profile and model, from the saved
sessions (a cache beside the session index keeps it fast), and the spending check every
send asks before it starts.

No Textual here: the usage screen, ``claude-tui usage`` and the budget check of both
front-ends read the same report.
"""
