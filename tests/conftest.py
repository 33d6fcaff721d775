"""Shared test settings, and the tool matrix: which ffmpeg and eSpeak NG a test module runs against."""

import ctypes.util
import os
import shutil

import pytest
from hypothesis import settings

# CI replays the same examples on every run, so a red build always reproduces; local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


def system_tools() -> dict[str, str]:
    """The settings that choose the system's ffmpeg and eSpeak NG, for those this machine has."""
    found = {}
    if shutil.which("ffmpeg"):
        found["PIPELINE_FFMPEG"] = "system"
    if ctypes.util.find_library("espeak-ng"):
        found["PIPELINE_ESPEAK"] = "system"
    return found


WHEEL = {"PIPELINE_FFMPEG": "wheel", "PIPELINE_ESPEAK": "wheel"}
SYSTEM = {**WHEEL, **system_tools()}
TOOLSETS = [
    pytest.param(WHEEL, id="wheel"),
    pytest.param(SYSTEM, id="system", marks=pytest.mark.skipif(
        SYSTEM == WHEEL, reason="no system ffmpeg or eSpeak NG here (CI installs Debian's: apt-get install ffmpeg espeak-ng)")),
]


def use(env: dict[str, str], mp: pytest.MonkeyPatch) -> None:
    """Choose the tools for this process and its children (CLI runs, synthesis workers)."""
    from pipeline.speech import engine

    for name, value in env.items():
        mp.setenv(name, value)
    engine.engine_build.cache_clear()  # the engine build names the library: it is part of speech cache keys


@pytest.fixture(scope="module", params=TOOLSETS)
def toolset(request):
    """Module-wide: every test that uses it runs once with the wheels' ffmpeg and eSpeak NG and once with the
    system's (where the machine has them), each chosen explicitly. A test's own monkeypatch still wins."""
    with pytest.MonkeyPatch.context() as mp:
        use(request.param, mp)
        yield request.param
    from pipeline.speech import engine

    engine.engine_build.cache_clear()
