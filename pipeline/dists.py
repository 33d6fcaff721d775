"""Installed distributions' versions, read from their `.dist-info` folder names (the wheel spec's
`<name>-<version>.dist-info`): importlib.metadata costs 40-80 ms to import and answer (it parses METADATA with the
email package), and the engine's and splitters' versions are asked on every run."""

from __future__ import annotations

import functools
import os
import re
import sys


def version(dist: str) -> str | None:
    """The version of distribution `dist` ("piper-tts", "pyttsx3") that imports here, or None if none is installed."""
    want = _normal(dist)
    for entry in sys.path:
        for name in _listing(entry or "."):
            stem, dot, kind = name.rpartition(".")
            if kind == "dist-info" and dot:
                found, _, ver = stem.partition("-")
                if ver and _normal(found) == want:
                    return ver
    # An egg-info or other layout: importlib.metadata knows them all.
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.cache
def _listing(folder: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(folder)))
    except OSError:
        return ()
