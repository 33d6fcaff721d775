"""Settings read from the environment, checked: a bad value is a one-line error, not a traceback."""

from __future__ import annotations

import math
import os

from pipeline.errors import PipelineError


def seconds(name: str, default: float) -> float:
    """A positive number of seconds from $NAME, or `default` when it is unset or empty."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise PipelineError(f"{name}={raw!r} is not a number of seconds", f"set {name} to a positive number or unset it")
    return value
