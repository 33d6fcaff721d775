"""Shared test settings."""

import os

from hypothesis import settings

# CI replays the same examples on every run, so a red build always reproduces; local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
