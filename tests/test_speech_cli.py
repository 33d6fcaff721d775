import os
import re
import subprocess
import sys
import wave
from pathlib import Path

import pytest

pytestmark = pytest.mark.shipped_voices

# Tests marked with the `toolset` fixture run with the wheels' ffmpeg and eSpeak NG and again with the system's.
BOTH = pytest.mark.usefixtures("toolset")


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, **kw)


def wav_seconds(path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


@BOTH
def test_speak_text_and_file_write_one_wav(tmp_path):
    out = tmp_path / "out.wav"
    r = run("speak", "--text", "안녕하세요. 오늘의 소식입니다.", "--voice", "ko", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert 1.5 < wav_seconds(out) < 8
    src = tmp_path / "in.txt"
    src.write_text("Hello there.\n\nSecond paragraph here.", encoding="utf-8")
    r = run("speak", str(src), "--voice", "en", "-o", str(tmp_path / "plain.wav"), "--announce")
    assert r.returncode == 0, r.stderr
    plain = wav_seconds(tmp_path / "plain.wav")  # the shipped voices announce nothing (idents: the station file)
    voices = tmp_path / "voices"
    voices.mkdir()
    en = (Path(__file__).resolve().parents[1] / "voices" / "en.toml").read_text("utf-8")
    (voices / "en.toml").write_text(re.sub(r'(?m)^intro = .*$', 'intro = "This is the news."', en), "utf-8")
    r = run("speak", str(src), "--voice", "en", "-o", str(tmp_path / "en.wav"), "--announce",
            env={**os.environ, "PIPELINE_VOICES_DIR": str(voices)})
    assert r.returncode == 0, r.stderr
    assert wav_seconds(tmp_path / "en.wav") > plain + 1  # the announcement, then the two paragraphs


def test_speak_errors_are_one_line_without_traceback(tmp_path):
    for args in (["speak", "--text", "hi", "--voice", "nope", "-o", str(tmp_path / "x.wav")],
                 ["speak", "-o", str(tmp_path / "x.wav")],
                 ["speak", "--text", "   ", "-o", str(tmp_path / "x.wav")]):
        r = run(*args)
        assert r.returncode != 0 and r.stderr.startswith("error: ") and "Traceback" not in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@BOTH
def test_voices_list_show_preview(tmp_path):
    r = run("voices", "list")
    assert r.returncode == 0, r.stderr
    assert [line.split()[0] for line in r.stdout.splitlines()] == ["en", "ja", "ko", "ru", "zh"]
    assert "kokoro" in r.stdout.splitlines()[2] or "fallback" in r.stdout.splitlines()[2]  # ko: who speaks, or why not
    r = run("voices", "show", "ja")
    assert r.returncode == 0 and "kanji" in r.stdout and "eSpeak NG" in r.stdout and "engine 2: espeak" in r.stdout
    out = tmp_path / "p.wav"
    r = run("voices", "preview", "en", "He flew to Pyongyang.", "-o", str(out))
    assert r.returncode == 0, r.stderr
    # the text as said, in words; the engine's phoneme spelling of Pyongyang stays inside the engine
    assert "said: He flew to Pyongyang." in r.stdout and "[[" not in r.stdout and wav_seconds(out) > 0.8
    r = run("voices", "preview", "ko", "2009년 DMZ를 넘었다.", "--engine", "espeak", "-o", str(tmp_path / "k.wav"))
    assert r.returncode == 0, r.stderr
    assert "said: 이천구 년 디엠지를 넘었다." in r.stdout and "espeak" in r.stdout
