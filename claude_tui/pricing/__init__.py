"""pricing layer."""
