"""The conversation feature: the virtualised message view and the pane that streams into it."""
