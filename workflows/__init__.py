"""Flyte workflows and launch plans of the DAIKIRI platform (composition only)."""
