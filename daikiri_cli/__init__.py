"""The command line around the workflows: ``daikiri <workflow>`` and the pyflyte plugin.

Above ``workflows/`` in the layering: it runs them through flytekit's local execution and
shows a person what happened (steps, learning problems, explanations, where the outputs went),
and turns user errors into one line, for ``daikiri`` and for ``pyflyte run`` alike.
"""
