"""Option values that need no checking, taken without pydantic.

typer (0.29) turns every option's and argument's value into its Python type through a pydantic
``TypeAdapter``, built when the parameter is first processed: importing pydantic and building
the adapters costs about 0.1 s of CPU, more than the rest of ``aimama child show``. Most values
need nothing of it: an option not given (``None``), a text given for a ``str``, a list of texts,
a choice's default member or a choice's name. Those are taken here exactly as typer's own
coercion (``typer._param_types.coerce_cli_choice`` for choices) would take them; every other
value — a number and its bounds, a path, a choice that is not one — goes through typer's
adapter as before, so its checks and error messages are typer's own.
"""

from __future__ import annotations

from enum import Enum
from typing import get_args, get_origin

_NEEDED = object()  # typer's own coercion must decide


def install() -> None:
    """Give typer's parameters the shortcut (once; left alone if typer's internals moved)."""
    from typer.core import _TyperParameter

    original = getattr(_TyperParameter, "get_runtime_param", None)
    if original is None or getattr(original, "shortcut", False):
        return

    def get_runtime_param(self):
        return _Shortcut(original, self)

    get_runtime_param.shortcut = True
    _TyperParameter.get_runtime_param = get_runtime_param


class _Shortcut:
    """A parameter's coercion: the value taken as it is when that is all typer would do, else
    typer's own (built, and kept by the parameter, the first time one is needed)."""

    def __init__(self, build, param):
        self.build, self.param = build, param

    def coerce(self, value, param, ctx):
        taken = quick(param, value, ctx)
        if taken is _NEEDED:
            return self.build(self.param).coerce(value, param=param, ctx=ctx)
        return taken


def quick(param, value, ctx):
    """``value`` as typer's coercion would return it, or _NEEDED when it must check it."""
    descriptor = getattr(param, "type_descriptor", None)
    info = getattr(descriptor, "parameter_info", None)
    if descriptor is None or descriptor.file_annotation is not None or getattr(info, "parser", 1) is not None:
        return _NEEDED
    many = param.multiple or param.nargs == -1
    if value is None:
        return () if many else None
    annotation = descriptor.annotation
    if many:  # typer's list adapter returns a list, of the items each coerced
        if get_origin(annotation) is not list or not isinstance(value, (list, tuple)):
            return _NEEDED
        if not value or (get_args(annotation) == (str,) and all(isinstance(v, str) for v in value)):
            return list(value)
        return _NEEDED
    if annotation is str and isinstance(value, str):
        return value
    if isinstance(annotation, type) and issubclass(annotation, Enum) and isinstance(value, (str, Enum)):
        from typer._param_types import coerce_cli_choice

        try:
            return coerce_cli_choice(value, choices=list(annotation), case_sensitive=info.case_sensitive,
                                     ctx=ctx)
        except ValueError:  # not a choice: typer says so in its own words
            return _NEEDED
    return _NEEDED
