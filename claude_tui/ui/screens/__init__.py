"""Modal and full-screen screens of the app, each beside its .tcss."""
