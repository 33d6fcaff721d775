"""Shared test settings, and the tool matrix: which ffmpeg and eSpeak NG a test module runs against."""

import ctypes.util
import json
import os
import shutil
import tomllib
from pathlib import Path

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
    from pipeline.speech.voices import forget_engines

    for name, value in env.items():
        mp.setenv(name, value)
    forget_engines()  # the engine build names the library: it is part of speech cache keys


@pytest.fixture(scope="module", params=TOOLSETS)
def toolset(request):
    """Module-wide: every test that uses it runs once with the wheels' ffmpeg and eSpeak NG and once with the
    system's (where the machine has them), each chosen explicitly. A test's own monkeypatch still wins."""
    with pytest.MonkeyPatch.context() as mp:
        use(request.param, mp)
        yield request.param
    from pipeline.speech.voices import forget_engines

    forget_engines()


# Most tests exercise the pipeline's mechanics (cache, swap, errors, publishing), not the voice: they speak with
# eSpeak NG, which synthesises a whole article in well under a second, through copies of the shipped voices that
# list eSpeak NG only. Tests of the shipped voices themselves (Kokoro first for Korean) are marked shipped_voices.
SHIPPED_VOICES = Path(__file__).resolve().parents[1] / "voices"


def pytest_configure(config):
    config.addinivalue_line("markers", "shipped_voices: speak with the shipped voice files (Kokoro for Korean)")


def _toml_value(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


@pytest.fixture(scope="session")
def espeak_voices(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("espeak-voices")
    for path in SHIPPED_VOICES.glob("*.toml"):
        data = tomllib.loads(path.read_text("utf-8"))
        data["engines"] = ["espeak"]
        data["engine"] = {"espeak": data.get("engine", {}).get("espeak", {})}
        lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
        lines += [f"[engine.espeak]"] + [f"{k} = {_toml_value(v)}" for k, v in data["engine"]["espeak"].items()]
        lines += ["[lexicon]"] + [f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}" for k, v in data.get("lexicon", {}).items()]
        (folder / path.name).write_text("\n".join(lines) + "\n", "utf-8")
    return folder


_USER_VOICES = os.environ.get("PIPELINE_VOICES_DIR")


@pytest.fixture(scope="session", autouse=True)
def _espeak_voices_by_default(espeak_voices):
    # Session-wide (not monkeypatch): module fixtures that run the sample start before function fixtures.
    if _USER_VOICES is None:
        os.environ["PIPELINE_VOICES_DIR"] = str(espeak_voices)
    # A shared test machine can be many times slower than a studio's: the hang detector must not fire on that.
    # Tests of the timeout itself set their own value.
    os.environ.setdefault("PIPELINE_SPEECH_TIMEOUT", "600")


@pytest.fixture(autouse=True)
def _shipped_voices_when_marked(request, monkeypatch):
    if request.node.get_closest_marker("shipped_voices") and _USER_VOICES is None:
        monkeypatch.delenv("PIPELINE_VOICES_DIR", raising=False)


def shipped_voices_env() -> dict:
    """The environment for a subprocess that must speak with the shipped voices (Kokoro for Korean)."""
    env = dict(os.environ)
    if _USER_VOICES is None:
        env.pop("PIPELINE_VOICES_DIR", None)
    return env
