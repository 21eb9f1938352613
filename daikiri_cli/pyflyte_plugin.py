"""A flytekit plugin (entry point ``flytekit.configuration.plugin``) that makes ``pyflyte run``
print a user error as one line (``Error: check_params: input 'labels': ...``) instead of a
traceback box; ``pyflyte -v run ...`` still shows the traceback. It also silences click's
warnings about flytekit's duplicate boolean option names (``--explain_clusters`` and
``--explain-clusters``), which are flytekit's doing and tell a user nothing.
"""

from __future__ import annotations

import warnings
from typing import Any

import click
from flytekit.configuration.plugin import FlytekitPlugin

from daikiri_cli.errors import one_line


class DaikiriPlugin(FlytekitPlugin):
    """flytekit's default plugin, with one-line user errors on ``pyflyte run``."""

    @staticmethod
    def configure_pyflyte_cli(main: click.Group) -> click.Group:
        warnings.filterwarnings("ignore", message=r"The parameter .* is used more than once",
                                category=UserWarning)
        run = main.commands.get("run")
        if run is not None:
            original = run.invoke

            def invoke(ctx: click.Context) -> Any:
                try:
                    return original(ctx)
                except click.ClickException:
                    raise
                except Exception as exc:
                    verbose = (ctx.parent.params.get("verbose") if ctx.parent else 0) or 0
                    message = one_line(exc)
                    if message is None or verbose:
                        raise
                    # one plain line (a ClickException would be drawn as a rich-click panel)
                    click.echo(f"Error: {message}", err=True)
                    ctx.exit(1)

            run.invoke = invoke  # type: ignore[method-assign]
        return main
