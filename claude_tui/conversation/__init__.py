"""conversation layer."""
