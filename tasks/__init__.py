"""Typed Flyte tasks: thin wrappers around the Flyte-free algorithms in ``daikiri``."""
