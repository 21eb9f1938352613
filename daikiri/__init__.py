"""DAIKIRI core library: Flyte-free algorithms behind the platform's tasks.

Everything in this package can be imported and tested without flytekit; the thin typed
Flyte wrappers live in the top-level ``tasks`` package and the compositions in ``workflows``.
"""

__version__ = "0.1.0"
